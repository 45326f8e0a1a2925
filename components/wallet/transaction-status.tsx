/** Where a wallet transaction is: nothing sent yet, waiting, confirmed or failed (with the sentence to show). */
export interface TransactionStatus {
  kind: "idle" | "pending" | "confirmed" | "failed";
  message?: string;
}

/**
 * The live line under a form that sends a transaction: "<pending>: waiting for your wallet and
 * the chain…", then the confirmation's message or "<failed>: <why>". One component so every form
 * announces the same three states the same way to a screen reader (role="status", polite).
 */
export function TransactionStatusLine({ status, pending, failed, as: Tag = "p" }: { status: TransactionStatus; pending: string; failed: string; as?: "p" | "span" }) {
  return (
    <Tag role="status" aria-live="polite" className="text-sm">
      {status.kind === "pending" ? <span className="text-amber-300">{pending}: waiting for your wallet and the chain…</span> : null}
      {status.kind === "confirmed" ? <span className="text-emerald-300">{status.message}</span> : null}
      {status.kind === "failed" ? <span className="text-red-300">{failed}: {status.message}</span> : null}
    </Tag>
  );
}
