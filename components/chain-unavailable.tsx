/** What the dashboard shows when it cannot read the chain: the reason, and a retry loop. */
export function ChainUnavailable({ message }: { message: string }) {
  return (
    <div role="alert" className="mx-auto max-w-xl space-y-3 rounded-lg border border-red-800/60 bg-red-950/30 p-5">
      <h1 className="font-semibold text-red-200">The chain could not be read</h1>
      <p className="text-sm text-red-100/80">{message}</p>
      <p className="text-xs text-neutral-400">The page retries by itself and recovers when the chain answers.</p>
    </div>
  );
}
