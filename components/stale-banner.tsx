/** Shown above a page whose figures come from the last good snapshot because the chain cannot be read. */
export function StaleBanner({ stale, blockNumber }: { stale?: { reason: string; forSeconds: number }; blockNumber: bigint }) {
  if (!stale) return null;
  const seconds = stale.forSeconds;
  return (
    <div role="alert" className="rounded-lg border border-amber-700/60 bg-amber-950/40 px-4 py-3 text-sm text-amber-200">
      <strong className="font-semibold">Stale data.</strong> Showing block #{blockNumber.toString()}, the last one read; the chain has been unreachable for {seconds} s and the page will recover by itself. <span className="text-amber-300/70">({stale.reason})</span>
    </div>
  );
}
