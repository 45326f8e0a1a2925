import type { Metadata } from "next";
import Link from "next/link";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { Tally } from "@/components/governance/tally";
import { Badge } from "@/components/ui/badge";
import { readProposals } from "@/lib/actions/readProposals";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";

export const metadata: Metadata = { title: "Governance" };
export const dynamic = "force-dynamic";

const BLOCK_SECONDS = 12;

export default async function GovernancePage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot, deployment } = read;
  const proposals = await readProposals((await getContext()).client, { deployment, blockNumber: snapshot.blockNumber });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold text-neutral-50">Proposals</h1>
        <Link href="/governance/new" className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800">
          New proposal
        </Link>
      </div>
      {proposals.length === 0 ? <p className="text-sm text-neutral-400">No proposal yet. Draft one to change a market&apos;s risk parameters, freeze it, or move reserves.</p> : null}
      <ul className="space-y-3">
        {proposals.map((p) => {
          const blocksLeft = p.state === "Active" ? p.voteEnd - snapshot.blockNumber : p.state === "Pending" ? p.voteStart - snapshot.blockNumber : 0n;
          return (
            <li key={p.id.toString()} className="rounded-lg border border-neutral-800 p-4">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={p.state === "Executed" || p.state === "Succeeded" || p.state === "Queued" ? "ok" : p.state === "Defeated" || p.state === "Canceled" || p.state === "Expired" ? "danger" : "warn"}>{p.state}</Badge>
                <Link href={`/governance/${p.id}`} className="font-medium text-neutral-100 hover:underline">
                  {p.description.split("\n")[0]!.replace(/^#\s*/, "") || `Proposal ${p.id.toString().slice(0, 10)}…`}
                </Link>
                {blocksLeft > 0n ? (
                  <span className="text-xs text-neutral-400">
                    {p.state === "Active" ? "voting ends" : "voting starts"} in {blocksLeft.toString()} blocks (~{Math.round((Number(blocksLeft) * BLOCK_SECONDS) / 60)} min)
                  </span>
                ) : null}
              </div>
              <div className="mt-2">
                <Tally forVotes={p.forVotes} againstVotes={p.againstVotes} abstainVotes={p.abstainVotes} quorum={p.quorum} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
