import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { accountsBody } from "@/lib/server/views";

export const dynamic = "force-dynamic";

/** Every account's row for the accounts table, at the server's latest block. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { snapshot, stale, views } = await getLatestSnapshot();
    // Serialised (and gzipped) once per block by the block worker; a stale mark only wraps the rows anew.
    return sharedJsonResponse(request, stale ? { identity: accountsBody(snapshot, stale, views.accountRowsJson) } : views.accountsJson);
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/accounts", ["GET"]);
