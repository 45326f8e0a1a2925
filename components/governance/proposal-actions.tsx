"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { keccak256, stringToHex, type Hex } from "viem";
import { useConfig } from "wagmi";
import { backstopGovernorAbi } from "@/lib/contracts/abis";
import { parseVoteReason } from "@/lib/forms/parseVoteReason";
import { formatCountdown } from "@/engine/index";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { TransactionStatusLine } from "@/components/wallet/transaction-status";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { GaslessVote } from "./gasless-vote";

const formatChainTime = (seconds: bigint) => `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;

type Status = { kind: "idle" } | { kind: "pending"; what: string } | { kind: "confirmed"; what: string; hash: Hex } | { kind: "failed"; what: string; message: string };

export interface ProposalActionsProps {
  proposalId: string;
  state: string;
  /** When the timelock lets a queued proposal run (seconds, chain time; "0" before it is queued). */
  etaSeconds: string;
  /** The chain's time at the block the page was rendered at; the latest block's time replaces it as blocks arrive. */
  chainTimeSeconds: string;
  proposer: string;
  targets: `0x${string}`[];
  values: string[];
  calldatas: Hex[];
  description: string;
  /** The server's relay is on: offer voting without gas. */
  relay?: boolean;
}

/** Vote (with a reason; without gas through the relay when it is on), queue, execute and cancel from the connected wallet, each with pending → confirmed/failed. */
export function ProposalActions({ proposalId, state, etaSeconds, chainTimeSeconds, proposer, targets, values, calldatas, description, relay = false }: ProposalActionsProps) {
  const config = useConfig();
  const router = useRouter();
  const { contracts, chainId } = useDeployment();
  const { address, chainId: walletChainId, isConnected } = useWalletAccount();
  const [reason, setReason] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const what = status.kind === "idle" ? "" : status.what;
  const latest = useLatestBlock();
  // Chain time, not the wall clock: the timelock compares the ETA with the block's timestamp.
  const chainTime = BigInt(latest.data?.timestamp ?? chainTimeSeconds);
  const eta = BigInt(etaSeconds);
  const executable = state === "Queued" && eta > 0n && chainTime >= eta;
  const descriptionHash = keccak256(stringToHex(description));
  const proposal = [targets, values.map(BigInt), calldatas, descriptionHash] as const;

  async function send(what: string, functionName: "castVoteWithReason" | "queue" | "execute" | "cancel", args: readonly unknown[]) {
    if (functionName === "castVoteWithReason") {
      const parsed = parseVoteReason(reason);
      if (!parsed.ok) return setStatus({ kind: "failed", what, message: parsed.message });
      args = [args[0], args[1], parsed.reason];
    }
    setStatus({ kind: "pending", what });
    try {
      const receipt = await sendContractWrite(config, { address: contracts.governor, abi: backstopGovernorAbi, functionName, args, account: address! });
      setStatus({ kind: "confirmed", what, hash: receipt.transactionHash });
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", what, message: describeWalletError(error) });
    }
  }

  if (!isConnected) return <p className="text-sm text-neutral-400">Connect a wallet to vote, queue or execute.</p>;
  if (walletChainId !== chainId) return <p role="alert" className="text-sm text-amber-300">Your wallet is on another network: switch to chain {chainId} to act on this proposal.</p>;
  const busy = status.kind === "pending";
  const button = "rounded border px-3 py-1.5 text-sm disabled:opacity-50";
  return (
    <div className="space-y-3">
      {state === "Active" ? (
        <div className="space-y-2">
          <label className="flex flex-col gap-1 text-xs text-neutral-400">
            Reason (optional, public)
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1 text-sm text-neutral-100" />
          </label>
          <div className="flex flex-wrap gap-2">
            <button type="button" disabled={busy} onClick={() => send("Vote For", "castVoteWithReason", [BigInt(proposalId), 1, reason])} className={`${button} border-emerald-600 text-emerald-200`}>Vote For</button>
            <button type="button" disabled={busy} onClick={() => send("Vote Against", "castVoteWithReason", [BigInt(proposalId), 0, reason])} className={`${button} border-red-600 text-red-200`}>Vote Against</button>
            <button type="button" disabled={busy} onClick={() => send("Abstain", "castVoteWithReason", [BigInt(proposalId), 2, reason])} className={`${button} border-neutral-600 text-neutral-200`}>Abstain</button>
          </div>
          {relay ? <GaslessVote proposalId={proposalId} reason={reason} /> : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {state === "Succeeded" ? <button type="button" disabled={busy} onClick={() => send("Queue", "queue", proposal)} className={`${button} border-sky-600 text-sky-200`}>Queue</button> : null}
        {executable ? <button type="button" disabled={busy} onClick={() => send("Execute", "execute", proposal)} className={`${button} border-sky-600 text-sky-200`}>Execute</button> : null}
        {state === "Pending" && address?.toLowerCase() === proposer ? <button type="button" disabled={busy} onClick={() => send("Cancel", "cancel", proposal)} className={`${button} border-neutral-600 text-neutral-200`}>Cancel</button> : null}
      </div>
      {state === "Succeeded" ? <p className="text-xs text-neutral-400">It passed. Anyone may queue it — no role is needed: queueing schedules its actions in the timelock, which lets them run after its delay.</p> : null}
      {state === "Queued" && !executable ? (
        <p className="text-xs text-neutral-300">
          Queued in the timelock: executable in <strong>{formatCountdown(eta - chainTime)}</strong> of chain time (from {formatChainTime(eta)}); anyone may execute it then. Execute appears here when the chain&apos;s latest block reaches that time.
        </p>
      ) : null}
      {executable ? <p className="text-xs text-neutral-400">The timelock&apos;s delay has passed (chain time): anyone may execute it now — no role is needed.</p> : null}
      <TransactionStatusLine status={status.kind === "confirmed" ? { kind: "confirmed", message: `${status.what}: confirmed (${status.hash.slice(0, 10)}…).` } : status} pending={what} failed={`${what} failed`} />
    </div>
  );
}
