import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { blockSourceOf, getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { formatServerTiming } from "@/lib/api/serverTiming";
import type { BlockWire } from "@/lib/api/wire";

export const dynamic = "force-dynamic";

/** The block the server's snapshot is at, for the browser's live updates. 503 with a reason when the chain cannot be read. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { snapshot, stale, timing } = await getLatestSnapshot();
    // With its length (Next would send it chunked), so the server does not compress 150 bytes.
    const body = JSON.stringify({ blockNumber: snapshot.blockNumber.toString(), blockHash: snapshot.blockHash, timestamp: snapshot.timestamp.toString(), stale: stale ?? null } satisfies BlockWire);
    const response = sharedJsonResponse(request, { identity: new TextEncoder().encode(body) });
    // Whether this server read the block from the chain or loaded the publisher's (servers sharing a Postgres: lib/server/blockShare).
    response.headers.set("x-backstop-block-source", blockSourceOf(snapshot.blockHash));
    // Where the block's read spent its time, stage by stage (lib/server/blockReader's BlockTiming): the devtools' Timing tab shows it.
    response.headers.set("server-timing", formatServerTiming(timing));
    return response;
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/block", ["GET"]);
