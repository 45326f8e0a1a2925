"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { TransactionStatusLine, type TransactionStatus } from "@/components/wallet/transaction-status";
import { useConfig } from "wagmi";
import { clearinghouseAbi } from "@/lib/contracts/abis";
import { parseTradeForm } from "@/lib/forms/parseTradeForm";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";

/**
 * Trade from the connected wallet against a counterparty that approved it as an operator (the
 * clearinghouse settles both sides at the oracle price). Refusals come back in words: a frozen
 * market, margin, caps.
 */
export function TradeForm({ markets }: { markets: { id: number; symbol: string; frozen: boolean }[] }) {
  const config = useConfig();
  const router = useRouter();
  const { contracts, chainId } = useDeployment();
  const { address, isConnected, chainId: walletChainId } = useWalletAccount();
  const [marketId, setMarketId] = useState(String(markets[0]?.id ?? 0));
  const [side, setSide] = useState<"buy" | "sell">("buy");
  const [size, setSize] = useState("");
  const [counterparty, setCounterparty] = useState("");
  const [status, setStatus] = useState<TransactionStatus>({ kind: "idle" });

  if (!isConnected || !address) return <p className="text-sm text-neutral-400">Connect a wallet to trade.</p>;
  if (walletChainId !== chainId) return <p role="alert" className="text-sm text-amber-300">Switch your wallet to chain {chainId} to trade.</p>;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = parseTradeForm({ side, size, counterparty }, { self: address! });
    if (!parsed.ok) return setStatus({ kind: "failed", message: parsed.message });
    setStatus({ kind: "pending" });
    try {
      await sendContractWrite(config, {
        address: contracts.clearinghouse,
        abi: clearinghouseAbi,
        functionName: "trade",
        args: [address!, parsed.counterparty, BigInt(marketId), parsed.sizeDeltaWad],
        account: address!,
      });
      setStatus({ kind: "confirmed", message: `${side === "buy" ? "Bought" : "Sold"} ${size} ${markets.find((m) => String(m.id) === marketId)?.symbol}.` });
      router.refresh();
    } catch (error) {
      setStatus({ kind: "failed", message: describeWalletError(error) });
    }
  }
  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100";
  return (
    <form onSubmit={submit} aria-label="Trade" className="grid grid-cols-1 gap-3 rounded-lg border border-neutral-800 p-4 sm:grid-cols-2 lg:grid-cols-5">
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Market
        <select value={marketId} onChange={(e) => setMarketId(e.target.value)} className={field}>
          {markets.map((m) => (
            <option key={m.id} value={m.id}>{m.symbol}{m.frozen ? " (frozen: reduce-only)" : ""}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Side
        <select value={side} onChange={(e) => setSide(e.target.value as "buy" | "sell")} className={field}>
          <option value="buy">Buy (long)</option>
          <option value="sell">Sell (short)</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Size (base units)
        <input value={size} onChange={(e) => setSize(e.target.value)} inputMode="decimal" className={field} />
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400 lg:col-span-2">
        Counterparty (has approved you)
        <input value={counterparty} onChange={(e) => setCounterparty(e.target.value)} placeholder="0x…" className={`${field} font-mono`} />
      </label>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
        <button type="submit" disabled={status.kind === "pending"} className="rounded bg-emerald-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50">
          Send the trade
        </button>
        <TransactionStatusLine as="span" status={status} pending="Trading" failed="Not traded" />
      </div>
    </form>
  );
}
