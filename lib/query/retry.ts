/**
 * The browser's retry policy for reads, in one place: a failed query is tried again
 * QUERY_RETRY_COUNT times, waiting 500 ms, 1 s, 2 s (doubling, capped at 8 s), then shows its
 * error; a later poll or navigation starts over. The wagmi transport to /api/rpc retries once on
 * its own (a dropped connection) so one query costs at most (1 + 3) × (1 + 1) requests.
 */

export const QUERY_RETRY_COUNT = 3;

export function queryRetryDelay(failures: number): number {
  return Math.min(500 * 2 ** failures, 8_000);
}

export const RPC_TRANSPORT_RETRY = { retryCount: 1, retryDelay: 300 } as const;
