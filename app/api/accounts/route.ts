import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { accountRowsJson } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** Every account's row for the accounts table, at the server's latest block. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { snapshot, stale } = await getLatestSnapshot();
    // The rows are serialised once per block; only the small envelope is built per request.
    const body = `{"blockNumber":${JSON.stringify(snapshot.blockNumber.toString())},"blockHash":${JSON.stringify(snapshot.blockHash)},"stale":${JSON.stringify(stale ?? null)},"rows":${accountRowsJson(snapshot)}}`;
    return new Response(body, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/accounts", ["GET"]);
