"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TransactionStatusLine, type TransactionStatus } from "@/components/wallet/transaction-status";
import { formatUnits, zeroAddress, type Abi } from "viem";
import { useConfig, useReadContracts } from "wagmi";
import { backstopGovernorAbi, backstopTokenAbi } from "@/lib/contracts/abis";
import { explainVotingPower } from "@/lib/governance/explainVotingPower";
import { parseDelegateTarget } from "@/lib/forms/parseDelegateTarget";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { GaslessDelegation } from "./gasless-delegation";

export interface OpenProposal {
  id: string;
  title: string;
  state: "Pending" | "Active";
  /** The proposal's snapshot block (decimal): the power each voter held then is what counts. */
  snapshotBlock: string;
}

/**
 * The connected holder's voting power, explained (lib/governance/explainVotingPower): balance,
 * delegate, votes now and at each open proposal's snapshot, why, and the one-click fix when
 * tokens do not vote; then a form to delegate, by transaction or, with the relay on, by signature.
 */
export function VotingPower({ openProposals = [], relay = false }: { openProposals?: OpenProposal[]; /** The server's relay is on: offer delegating without gas. */ relay?: boolean }) {
  const config = useConfig();
  const router = useRouter();
  const { contracts, chainId } = useDeployment();
  const { address, isConnected, chainId: walletChainId } = useWalletAccount();
  const token = { address: contracts.governanceToken, abi: backstopTokenAbi } as const;
  const governor = { address: contracts.governor, abi: backstopGovernorAbi } as const;
  const active = openProposals.filter((p) => p.state === "Active");
  const { data, refetch } = useReadContracts({
    contracts: address ? [{ ...token, functionName: "balanceOf", args: [address] }, { ...token, functionName: "delegates", args: [address] }, { ...token, functionName: "getVotes", args: [address] }] : [],
    query: { enabled: Boolean(address) },
  });
  // Per active proposal: the power at its snapshot, and whether this wallet voted.
  const snapshotCalls: { address: `0x${string}`; abi: Abi; functionName: string; args: readonly unknown[] }[] = address
    ? active.flatMap((p) => [
        { ...token, functionName: "getPastVotes", args: [address, BigInt(p.snapshotBlock)] },
        { ...governor, functionName: "hasVoted", args: [BigInt(p.id), address] },
      ])
    : [];
  const atSnapshots = useReadContracts({ contracts: snapshotCalls, query: { enabled: snapshotCalls.length > 0 } });
  const [target, setTarget] = useState("");
  const [status, setStatus] = useState<TransactionStatus>({ kind: "idle" });

  if (!isConnected || !address) return <p className="text-sm text-neutral-400">Connect a wallet to see your voting power, and change your delegation.</p>;
  if (walletChainId !== chainId) return <p role="alert" className="text-sm text-amber-300">Switch your wallet to chain {chainId} to see your voting power and delegate.</p>;
  const [balance, current, votes] = (data ?? []).map((r) => r.result) as [bigint | undefined, `0x${string}` | undefined, bigint | undefined];
  const perProposal = (atSnapshots.data ?? []).map((r) => r.result);
  const explained =
    balance !== undefined && current !== undefined && votes !== undefined && perProposal.length === snapshotCalls.length
      ? explainVotingPower({
          self: address,
          balance,
          delegate: current,
          votes,
          proposals: openProposals.map((p) => {
            const k = active.indexOf(p);
            return { id: p.id, title: p.title, state: p.state, snapshotBlock: BigInt(p.snapshotBlock), votesAtSnapshot: k < 0 ? null : ((perProposal[2 * k] as bigint | undefined) ?? 0n), hasVoted: k >= 0 && perProposal[2 * k + 1] === true };
          }),
        })
      : undefined;

  async function delegate(to: string) {
    const parsed = parseDelegateTarget(to);
    if (!parsed.ok) return setStatus({ kind: "failed", message: parsed.message });
    setStatus({ kind: "pending" });
    try {
      await sendContractWrite(config, { ...token, functionName: "delegate", args: [parsed.delegatee], account: address! });
      setStatus({ kind: "confirmed", message: `Delegated to ${to}.` });
      await Promise.all([refetch(), atSnapshots.refetch()]);
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", message: describeWalletError(error) });
    }
  }
  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 font-mono text-sm text-neutral-100";
  return (
    <div className="space-y-3 rounded-lg border border-neutral-800 p-4">
      <h2 className="text-sm font-semibold text-neutral-100">Your voting power</h2>
      <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-neutral-400">Your tokens</dt>
          <dd className="font-mono">{balance === undefined ? "…" : Number(formatUnits(balance, 18)).toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt className="text-xs text-neutral-400">Delegated to</dt>
          <dd className="break-all font-mono text-xs">{current === undefined ? "…" : current === zeroAddress ? "nobody: your tokens do not vote" : current.toLowerCase() === address.toLowerCase() ? "yourself" : current}</dd>
        </div>
        <div>
          <dt className="text-xs text-neutral-400">Your voting power</dt>
          <dd className="font-mono">{votes === undefined ? "…" : Number(formatUnits(votes, 18)).toLocaleString("en-US")}</dd>
        </div>
      </dl>
      {explained ? (
        <div className="space-y-2 text-sm">
          <p className={explained.fix ? "text-amber-200" : "text-neutral-200"}>{explained.headline}</p>
          {explained.proposals.length ? (
            <ul aria-label="Your power on open proposals" className="space-y-1 text-xs text-neutral-300">
              {explained.proposals.map((p) => (
                <li key={p.id}>
                  <Link href={`/governance/${p.id}`} className="text-sky-300 hover:underline">{p.title}</Link>: {p.line}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-end gap-2">
        <button type="button" onClick={() => delegate(address)} disabled={status.kind === "pending"} className={`rounded border border-emerald-600 px-3 py-1.5 text-sm disabled:opacity-50 ${explained?.fix === "delegate-to-self" ? "bg-emerald-700 font-medium text-white" : "text-emerald-200"}`}>
          Delegate to myself
        </button>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Or to this address
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="0x…" className={`${field} w-96 max-w-full`} />
        </label>
        <button type="button" onClick={() => delegate(target)} disabled={status.kind === "pending"} className="rounded border border-neutral-600 px-3 py-1.5 text-sm text-neutral-200 disabled:opacity-50">
          Delegate
        </button>
      </div>
      <TransactionStatusLine status={status} pending="Delegating" failed="Not delegated" />
      {relay ? (
        <GaslessDelegation
          target={target}
          onDelegated={() => {
            void Promise.all([refetch(), atSnapshots.refetch()]);
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}
