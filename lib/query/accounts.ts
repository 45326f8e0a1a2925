/** Query options for the accounts table (GET /api/accounts), keyed by the block it was read at. */

import { queryOptions } from "@tanstack/react-query";
import type { AccountRow } from "../server/views.ts";

export interface AccountsResponse {
  blockNumber: string;
  rows: AccountRow[];
}

export const accountsQueryOptions = (blockNumber: string | undefined) =>
  queryOptions({
    queryKey: ["accounts", { blockNumber }] as const,
    queryFn: async (): Promise<AccountsResponse> => {
      const response = await fetch("/api/accounts", { cache: "no-store" });
      const body = (await response.json().catch(() => ({}))) as AccountsResponse & { error?: string };
      if (!response.ok) throw new Error(body.error ?? `the dashboard server answered ${response.status}`);
      return body;
    },
    placeholderData: (previous) => previous,
  });
