"use client";

import { useEffect } from "react";

/** Says what failed and retries by itself every few seconds, so the page recovers with the chain. */
export default function OverviewError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    const timer = setInterval(reset, 5000);
    return () => clearInterval(timer);
  }, [reset]);
  return (
    <div role="alert" className="mx-auto max-w-xl space-y-3 rounded-lg border border-red-800/60 bg-red-950/30 p-5">
      <h1 className="font-semibold text-red-200">The chain could not be read</h1>
      <p className="text-sm text-red-100/80">{error.message || "Reading the protocol state failed."}</p>
      <p className="text-xs text-neutral-400">Retrying every 5 seconds.</p>
      <button type="button" onClick={reset} className="rounded border border-neutral-700 px-3 py-1.5 text-sm hover:bg-neutral-800">
        Retry now
      </button>
    </div>
  );
}
