/** Query options for the latest block the server has read (GET /api/block). */

import { queryOptions } from "@tanstack/react-query";
import { fetchApiJson } from "./fetchApi.ts";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export interface LatestBlock {
  blockNumber: string;
  blockHash: `0x${string}`;
  timestamp: string;
  stale: { reason: string; sinceMs: number; forSeconds: number } | null;
}

export const fetchLatestBlock = () => fetchApiJson<LatestBlock>("/api/block");

export const latestBlockQueryOptions = (intervalMs = 2000) =>
  queryOptions({
    queryKey: ["latestBlock"] as const,
    queryFn: fetchLatestBlock,
    refetchInterval: intervalMs,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
