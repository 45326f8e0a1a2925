/**
 * Query options for the accounts table: one page of GET /api/accounts, keyed by the question
 * (lib/api/accountsQuery) and by the hash of the block the server is at — after a reorg the same
 * block number is another block, and must be read again.
 */

import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { AccountsQuery } from "../api/accountsQuery.ts";
import { accountsWire } from "../api/wire.ts";
import { fetchApiJson } from "./fetchApi.ts";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export const accountsQueryOptions = (blockHash: `0x${string}` | undefined, question: AccountsQuery) =>
  queryOptions({
    queryKey: ["accounts", { blockHash, ...question }] as const,
    queryFn: () => fetchApiJson(`/api/accounts?${new URLSearchParams(Object.entries(question).map(([k, v]) => [k, String(v)]))}`, accountsWire),
    // Disabled until the block is known: one read per block, not one before and one after.
    enabled: blockHash !== undefined,
    // The page on screen stays while the next one (another block, sort or page) loads.
    placeholderData: keepPreviousData,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
