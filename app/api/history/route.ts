import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import type { HistoryWire } from "@/lib/api/wire";
import { DatabaseError } from "@/lib/db/database";
import { serverDatabase } from "@/lib/server/database";
import { historyQuery, historyQueryKeys, readHistory } from "@/lib/server/history";
import { getContext, publishedHistoryRecorded } from "@/lib/server/snapshot";

export const dynamic = "force-dynamic";

/** The system's figures over a range of chain time (lib/server/history), at most 240 points. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, historyQuery, historyQueryKeys);
  if (!query.ok) return apiError(400, query.error);
  let points;
  try {
    // As of the block the caller was last served: its point, once written, is in the answer.
    const [{ config }, db] = await Promise.all([getContext(), serverDatabase(), publishedHistoryRecorded()]);
    points = await readHistory(db, config.chainId, query.value.range);
  } catch (error) {
    // The database's own words (SQL, hosts) stay in the server's log; the caller gets ours.
    console.error("history:", error);
    return apiError(503, `The history cannot be read: ${error instanceof DatabaseError ? error.message : "the database did not answer"}.`);
  }
  const body = { range: query.value.range, points } satisfies HistoryWire;
  return sharedJsonResponse(request, { identity: new TextEncoder().encode(JSON.stringify(body)) });
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/history", ["GET"]);
