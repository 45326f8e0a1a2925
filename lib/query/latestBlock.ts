/** Query options for the latest block the server has read (GET /api/block). */

import { queryOptions } from "@tanstack/react-query";
import { blockWire } from "../api/wire.ts";
import { fetchApiJson } from "./fetchApi.ts";
import { QUERY_RETRY_COUNT, queryRetryDelay } from "./retry.ts";

export const fetchLatestBlock = () => fetchApiJson("/api/block", blockWire);

export const latestBlockQueryOptions = (intervalMs = 2000) =>
  queryOptions({
    queryKey: ["latestBlock"] as const,
    queryFn: fetchLatestBlock,
    refetchInterval: intervalMs,
    retry: QUERY_RETRY_COUNT,
    retryDelay: queryRetryDelay,
  });
