"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatUnits, zeroAddress } from "viem";
import { useConfig, useReadContracts } from "wagmi";
import { backstopTokenAbi } from "@/lib/contracts/abis";
import { parseDelegateTarget } from "@/lib/forms/parseDelegateTarget";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";

/** The connected holder's balance, current delegate and votes, and a form to delegate. */
export function DelegateForm() {
  const config = useConfig();
  const router = useRouter();
  const { contracts, chainId } = useDeployment();
  const { address, isConnected, chainId: walletChainId } = useWalletAccount();
  const token = { address: contracts.governanceToken, abi: backstopTokenAbi } as const;
  const { data, refetch } = useReadContracts({
    contracts: address ? [{ ...token, functionName: "balanceOf", args: [address] }, { ...token, functionName: "delegates", args: [address] }, { ...token, functionName: "getVotes", args: [address] }] : [],
    query: { enabled: Boolean(address) },
  });
  const [target, setTarget] = useState("");
  const [status, setStatus] = useState<{ kind: "idle" | "pending" | "confirmed" | "failed"; message?: string }>({ kind: "idle" });

  if (!isConnected || !address) return <p className="text-sm text-neutral-400">Connect a wallet to see and change your delegation.</p>;
  if (walletChainId !== chainId) return <p role="alert" className="text-sm text-amber-300">Switch your wallet to chain {chainId} to delegate.</p>;
  const [balance, current, votes] = (data ?? []).map((r) => r.result) as [bigint | undefined, `0x${string}` | undefined, bigint | undefined];

  async function delegate(to: string) {
    const parsed = parseDelegateTarget(to);
    if (!parsed.ok) return setStatus({ kind: "failed", message: parsed.message });
    setStatus({ kind: "pending" });
    try {
      await sendContractWrite(config, { ...token, functionName: "delegate", args: [parsed.delegatee], account: address! });
      setStatus({ kind: "confirmed", message: `Delegated to ${to}.` });
      await refetch();
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", message: describeWalletError(error) });
    }
  }
  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 font-mono text-sm text-neutral-100";
  return (
    <div className="space-y-3 rounded-lg border border-neutral-800 p-4">
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
      <div className="flex flex-wrap items-end gap-2">
        <button type="button" onClick={() => delegate(address)} disabled={status.kind === "pending"} className="rounded border border-emerald-600 px-3 py-1.5 text-sm text-emerald-200 disabled:opacity-50">
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
      <p role="status" aria-live="polite" className="text-sm">
        {status.kind === "pending" ? <span className="text-amber-300">Delegating: waiting for your wallet and the chain…</span> : null}
        {status.kind === "confirmed" ? <span className="text-emerald-300">{status.message}</span> : null}
        {status.kind === "failed" ? <span className="text-red-300">Not delegated: {status.message}</span> : null}
      </p>
    </div>
  );
}
