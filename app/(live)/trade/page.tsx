import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { TradeForm } from "@/components/trade/trade-form";
import { tryLatestSnapshot } from "@/lib/server/snapshot";

export const metadata: Metadata = { title: "Trade" };
export const dynamic = "force-dynamic";

export default async function TradePage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold text-neutral-50">Trade</h1>
      <p className="max-w-3xl text-sm text-neutral-400">Settle a trade at the oracle price against a counterparty that approved you as its operator. The clearinghouse checks margin, caps and frozen markets; its refusal comes back in words.</p>
      <TradeForm markets={read.snapshot.markets.map((m) => ({ id: m.id, symbol: m.symbol, frozen: m.frozen }))} />
    </div>
  );
}
