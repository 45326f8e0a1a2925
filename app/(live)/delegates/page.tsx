import type { Metadata } from "next";
import { formatUnits } from "viem";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { VotingPower } from "@/components/governance/voting-power";
import { relayEnabled } from "@/lib/server/relay";
import { openProposals, readProposals } from "@/lib/actions/readProposals";
import { readDelegates } from "@/lib/actions/readDelegates";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

export const metadata: Metadata = { title: "Delegates" };
export const dynamic = "force-dynamic";

const tokens = (x: bigint) => Number(formatUnits(x, 18)).toLocaleString("en-US", { maximumFractionDigits: 0 });

export default async function DelegatesPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { client } = await getContext();
  const [{ delegates, totalSupply, delegated }, proposals] = await Promise.all([
    readDelegates(client, { deployment: read.deployment, blockNumber: read.snapshot.blockNumber }),
    readProposals(client, { deployment: read.deployment, blockNumber: read.snapshot.blockNumber }),
  ]);
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold text-neutral-50">Delegates</h1>
      <p className="text-sm text-neutral-400">
        Tokens vote only once delegated, to oneself or to someone else. {tokens(delegated)} of {tokens(totalSupply)} tokens ({totalSupply === 0n ? "0" : (Number((delegated * 10_000n) / totalSupply) / 100).toFixed(1)}%) are delegated; the rest votes for nobody.
      </p>
      <VotingPower openProposals={openProposals(proposals)} relay={relayEnabled()} />
      <ScrollRegion label="Delegates (scrolls sideways)">
        <Table caption="Delegates by voting power" className="w-full min-w-[36rem] text-sm" columns={[{ label: "Delegate" }, { label: "Voting power", align: "right" }, { label: "Share of supply", align: "right" }]}>
            {delegates.map((d) => (
              <tr key={d.delegate} className="border-t border-neutral-800">
                <td className="py-1 font-mono text-xs">{d.delegate}</td>
                <td className="py-1 text-right font-mono">{tokens(d.votes)}</td>
                <td className="py-1 text-right font-mono">{(Number((d.votes * 10_000n) / (totalSupply || 1n)) / 100).toFixed(2)}%</td>
              </tr>
            ))}
        </Table>
      </ScrollRegion>
    </div>
  );
}
