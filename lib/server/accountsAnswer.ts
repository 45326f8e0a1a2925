/**
 * GET /api/accounts answered, in one place for both ways a request reaches it: the Next route
 * (app/api/accounts, under `next dev` and any server but ours) and the production server's direct
 * path (lib/server/directRoutes), which answers it before Next. One page of the accounts table at
 * the server's latest block (lib/server/views' accountPage), or the error in words: 400 for a
 * query it cannot take, 503 when no block can be read.
 */

import { accountsQuery, accountsQueryKeys } from "../api/accountsQuery.ts";
import { parseQuery } from "../api/parseQuery.ts";
import { publicErrorMessage } from "./publicError.ts";
import { getLatestSnapshot } from "./snapshot.ts";
import { accountPage, type EncodedJson } from "./views.ts";

export type AccountsAnswer = { ok: true; body: EncodedJson } | { ok: false; status: 400 | 503; error: string };

export async function answerAccounts(search: URLSearchParams): Promise<AccountsAnswer> {
  const query = parseQuery(search, accountsQuery, accountsQueryKeys);
  if (!query.ok) return { ok: false, status: 400, error: query.error };
  try {
    const read = await getLatestSnapshot();
    return { ok: true, body: accountPage(read, read.stale, query.value) };
  } catch (error) {
    return { ok: false, status: 503, error: publicErrorMessage(error) };
  }
}
