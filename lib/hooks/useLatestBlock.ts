"use client";

import { useQuery } from "@tanstack/react-query";
import { latestBlockQueryOptions } from "../query/latestBlock.ts";

/** The latest block the server has read, polled every two seconds. */
export function useLatestBlock(intervalMs?: number) {
  return useQuery(latestBlockQueryOptions(intervalMs));
}
