import { TransactionStatusLine } from "@/components/wallet/transaction-status";
import type { RelayProgress } from "@/lib/hooks/useRelay";

/**
 * A relayed signature's progress in the transaction status line every form uses: signing, sent
 * by the relay and pending, mined (the relay paid), or refused with the rule in words.
 */
export function RelayStatusLine({ progress, what }: { progress: RelayProgress; what: string }) {
  const short = (hash: string) => `${hash.slice(0, 10)}…`;
  const pending = progress.kind === "pending" && progress.step === "sent" ? `${what}: sent by the relay${progress.txHash ? ` (${short(progress.txHash)})` : ""}, pending` : what;
  const status =
    progress.kind === "confirmed"
      ? { kind: "confirmed" as const, message: `${what}: mined (${short(progress.request.txHash ?? "")}); the relay paid the gas.${progress.request.duplicate ? " This signature had been relayed already: that is its transaction." : ""}` }
      : progress.kind === "failed"
        ? { kind: "failed" as const, message: progress.message }
        : { kind: progress.kind };
  return <TransactionStatusLine status={status} pending={pending} failed={`${what}: not relayed`} />;
}
