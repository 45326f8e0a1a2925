/**
 * Query options for the system's history (GET /api/history), read again with each new block the
 * server publishes (the newest point is that block).
 */

import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { historyWire } from "../api/wire.ts";
import { fetchApiJson } from "./fetchApi.ts";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export const historyQueryOptions = (range: string, blockHash: `0x${string}` | undefined) =>
  queryOptions({
    queryKey: ["history", { range, blockHash }] as const,
    queryFn: () => fetchApiJson(`/api/history?range=${encodeURIComponent(range)}`, historyWire),
    enabled: blockHash !== undefined,
    placeholderData: keepPreviousData,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
