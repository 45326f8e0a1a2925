"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";

/**
 * Follows the chain: when the server has read a new block (or the chain comes back after an
 * outage), the page's server components render again with it. Shows the block it is at.
 */
export function LiveRefresh() {
  const router = useRouter();
  const { data, error, isError } = useLatestBlock();
  const seen = useRef<string | undefined>(undefined);
  const key = data ? `${data.blockHash}:${data.stale ? "stale" : "live"}` : isError ? "error" : undefined;
  useEffect(() => {
    if (key === undefined) return;
    if (seen.current !== undefined && seen.current !== key) router.refresh();
    seen.current = key;
  }, [key, router]);
  const live = data && !data.stale;
  return (
    <span className="flex items-center gap-1.5 text-xs text-neutral-400" role="status" aria-live="polite">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-red-500"}`} />
      {live ? `Live · block #${data.blockNumber}` : isError ? `Offline: ${error.message}` : data?.stale ? "Chain unreachable" : "Connecting…"}
    </span>
  );
}
