import { NextResponse } from "next/server";
import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { accountRows } from "@/lib/server/views";

export const dynamic = "force-dynamic";

/** Every account's row for the accounts table, at the server's latest block. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { snapshot, stale } = await getLatestSnapshot();
    return NextResponse.json(
      { blockNumber: snapshot.blockNumber.toString(), blockHash: snapshot.blockHash, stale: stale ?? null, rows: accountRows(snapshot) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return apiError(503, error instanceof Error ? error.message : String(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/accounts", ["GET"]);
