import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { ProposalBuilder } from "@/components/governance/proposal-builder";
import { getLatestSnapshot } from "@/lib/server/snapshot";

export const metadata: Metadata = { title: "New proposal" };
export const dynamic = "force-dynamic";

export default async function NewProposalPage() {
  let read;
  try {
    read = await getLatestSnapshot();
  } catch (error) {
    return <ChainUnavailable message={error instanceof Error ? error.message : String(error)} />;
  }
  const markets = read.snapshot.markets.map((m) => ({
    id: m.id,
    symbol: m.symbol,
    params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])) as Record<keyof typeof m.params, string>,
  }));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">New proposal</h1>
        <p className="max-w-3xl text-sm text-neutral-400">Draft the change, see who it would liquidate and what that would cost before anyone votes, then publish it from your wallet. Values the contract would refuse are refused here first.</p>
      </div>
      <ProposalBuilder markets={markets} />
    </div>
  );
}
