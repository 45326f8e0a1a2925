"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useSyncExternalStore } from "react";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";

/** How many mounted pages say they do not follow the chain (see StaticPage). */
let staticPages = 0;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));
const setStaticPages = (n: number) => ((staticPages = n), listeners.forEach((l) => l()));

/**
 * Rendered by a page that does not change with the chain (a 404): LiveRefresh leaves it alone.
 * Refreshing it would be worse than useless: Next answers a refresh of a 404 by reloading the
 * whole document, once per block.
 */
export function StaticPage() {
  useEffect(() => {
    setStaticPages(staticPages + 1);
    return () => setStaticPages(staticPages - 1);
  }, []);
  return null;
}

/** The block the page on screen was rendered at, as `${hash}:live|stale` (see RenderedBlock). */
let renderedKey: string | undefined;
const renderedListeners = new Set<() => void>();
const subscribeRendered = (listener: () => void) => (renderedListeners.add(listener), () => void renderedListeners.delete(listener));
const setRenderedKey = (key: string | undefined) => ((renderedKey = key), renderedListeners.forEach((l) => l()));

/**
 * Rendered by a page with the block its figures come from: the live refresh then compares what
 * the server says now with what the page shows, rather than with its own previous poll — a page
 * rendered at block N whose first poll already says N + 1, or says the chain is down, is
 * refreshed at once instead of at the next change.
 */
export function RenderedBlock({ blockHash, stale }: { blockHash: string; stale: boolean }) {
  const key = `${blockHash}:${stale ? "stale" : "live"}`;
  useEffect(() => {
    setRenderedKey(key);
    return () => setRenderedKey(undefined);
  }, [key]);
  return null;
}

/**
 * Follows the chain: when the server has read a new block (or the chain comes back after an
 * outage, or goes), the page's server components render again with it. Shows the block it is at.
 * At most one refresh per state the server reports: a server still rendering an older block than
 * it reports is not asked again and again.
 */
export function LiveRefresh() {
  const router = useRouter();
  const { data, error, isError } = useLatestBlock();
  const pageIsStatic = useSyncExternalStore(subscribe, () => staticPages > 0, () => false);
  const rendered = useSyncExternalStore(subscribeRendered, () => renderedKey, () => undefined);
  const seen = useRef<string | undefined>(undefined);
  const refreshedFor = useRef<string | undefined>(undefined);
  const key = data ? `${data.blockHash}:${data.stale ? "stale" : "live"}` : isError ? "error" : undefined;
  useEffect(() => {
    if (key === undefined) return;
    const shown = rendered ?? seen.current;
    seen.current = key;
    if (shown === undefined || shown === key || refreshedFor.current === key || pageIsStatic) return;
    refreshedFor.current = key;
    router.refresh();
  }, [key, rendered, router, pageIsStatic]);
  const live = data && !data.stale;
  return (
    <span className="flex min-w-0 items-center gap-1.5 text-xs text-neutral-300" role="status" aria-live="polite">
      <span aria-hidden className={`inline-block h-2 w-2 shrink-0 rounded-full ${live ? "bg-emerald-500" : "bg-red-500"}`} />
      {live ? (
        <span>
          {/* On a phone only the block number shows; a screen reader hears the whole phrase. */}
          <span className="sr-only sm:not-sr-only">Live · block </span>#{data.blockNumber}
        </span>
      ) : (
        <span className="max-w-[10rem] truncate sm:max-w-xs">{isError ? `Offline: ${error.message}` : data?.stale ? "Chain unreachable" : "Connecting…"}</span>
      )}
    </span>
  );
}
