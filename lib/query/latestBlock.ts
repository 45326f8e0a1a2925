/** Query options for the latest block the server has read (GET /api/block). */

import { queryOptions } from "@tanstack/react-query";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export interface LatestBlock {
  blockNumber: string;
  blockHash: `0x${string}`;
  timestamp: string;
  stale: { reason: string; sinceMs: number; forSeconds: number } | null;
}

export class LatestBlockError extends Error {
  override name = "LatestBlockError";
}

export async function fetchLatestBlock(): Promise<LatestBlock> {
  const response = await fetch("/api/block", { cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as Partial<LatestBlock> & { error?: string };
  if (!response.ok) throw new LatestBlockError(body.error ?? `the dashboard server answered ${response.status}`);
  return body as LatestBlock;
}

export const latestBlockQueryOptions = (intervalMs = 2000) =>
  queryOptions({
    queryKey: ["latestBlock"] as const,
    queryFn: fetchLatestBlock,
    refetchInterval: intervalMs,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
