/**
 * Query options for the accounts table (GET /api/accounts), keyed by the hash of the block the
 * server is at: after a reorg the same block number is another block, and must be read again.
 */

import { queryOptions } from "@tanstack/react-query";
import { accountsWire } from "../api/wire.ts";
import { fetchApiJson } from "./fetchApi.ts";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export const accountsQueryOptions = (blockHash: `0x${string}` | undefined) =>
  queryOptions({
    queryKey: ["accounts", { blockHash }] as const,
    queryFn: () => fetchApiJson("/api/accounts", accountsWire),
    // Disabled until the block is known: one read per block, not one before and one after.
    enabled: blockHash !== undefined,
    placeholderData: (previous) => previous,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
