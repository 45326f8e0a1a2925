import { accountsQuery, accountsQueryKeys } from "@/lib/api/accountsQuery";
import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { publicErrorMessage } from "@/lib/server/publicError";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { accountPage } from "@/lib/server/views";

export const dynamic = "force-dynamic";

/**
 * One page of the accounts table at the server's latest block: filtered, searched, sorted and
 * sliced here (lib/api/accountsQuery), so a browser downloads ≤ 50 kB whatever the venue's size.
 */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, accountsQuery, accountsQueryKeys);
  if (!query.ok) return apiError(400, query.error);
  try {
    const read = await getLatestSnapshot();
    return sharedJsonResponse(request, accountPage(read, read.stale, query.value));
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/accounts", ["GET"]);
