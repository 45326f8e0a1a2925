import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { answerAccounts } from "@/lib/server/accountsAnswer";

export const dynamic = "force-dynamic";

/**
 * One page of the accounts table at the server's latest block: filtered, searched, sorted and
 * sliced here (lib/api/accountsQuery), so a browser downloads ≤ 50 kB whatever the venue's size.
 * The production server answers GET before Next does (lib/server/directRoutes), the same answer.
 */
export async function GET(request: Request) {
  const answer = await answerAccounts(new URL(request.url).searchParams);
  return answer.ok ? sharedJsonResponse(request, answer.body) : apiError(answer.status, answer.error);
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/accounts", ["GET"]);
