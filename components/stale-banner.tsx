import { RenderedBlock } from "./live-refresh";

/**
 * Shown above a page whose figures come from the last good snapshot because the chain cannot be
 * read. Also tells the header's live refresh which block (and whether stale) the page shows, so it
 * refreshes the page whenever the server is at another one (RenderedBlock).
 */
export function StaleBanner({ stale, blockNumber, blockHash }: { stale?: { reason: string; forSeconds: number }; blockNumber: bigint; blockHash: `0x${string}` }) {
  const rendered = <RenderedBlock blockHash={blockHash} stale={stale !== undefined} />;
  if (!stale) return rendered;
  const seconds = stale.forSeconds;
  return (
    <div role="alert" className="rounded-lg border border-amber-700/60 bg-amber-950/40 px-4 py-3 text-sm text-amber-200">
      {rendered}
      <strong className="font-semibold">Stale data.</strong> Showing block #{blockNumber.toString()}, the last one read; the chain has been unreachable for {seconds} s and the page will recover by itself. <span className="text-amber-300/70">({stale.reason})</span>
    </div>
  );
}
