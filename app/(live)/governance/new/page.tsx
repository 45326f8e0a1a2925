import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { ProposalBuilder } from "@/components/governance/proposal-builder";
import { tryLatestSnapshot } from "@/lib/server/snapshot";
import { marketsForClient } from "@/lib/server/views";

export const metadata: Metadata = { title: "New proposal" };
export const dynamic = "force-dynamic";

export default async function NewProposalPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const markets = marketsForClient(read.snapshot);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">New proposal</h1>
        <p className="max-w-3xl text-sm text-neutral-400">Draft the change, see who it would liquidate and what that would cost before anyone votes, then publish it from your wallet. Values the contract would refuse are refused here first.</p>
      </div>
      <ProposalBuilder
        markets={markets}
        collaterals={read.snapshot.collaterals.map((c) => ({ id: c.id, symbol: c.symbol, decimals: c.decimals, weightWad: c.params.weightWad.toString(), depositCapNative: c.params.depositCapNative.toString(), oracleMaxAgeSec: c.params.oracleMaxAgeSec.toString() }))}
      />
    </div>
  );
}
