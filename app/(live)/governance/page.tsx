import type { Metadata } from "next";
import Link from "next/link";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { Tally } from "@/components/governance/tally";
import { Badge } from "@/components/ui/badge";
import { openProposals, proposalTitle, readProposals } from "@/lib/actions/readProposals";
import { VotingPower } from "@/components/governance/voting-power";
import { relayEnabled } from "@/lib/server/relay";
import { readProposalRecord } from "@/lib/actions/readProposalRecord";
import { decodeCall } from "@/lib/codec/governanceCodec";
import { publicErrorMessage } from "@/lib/server/publicError";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { TrackRecord } from "./_components/track-record";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";

// Feed readers find the Atom feed of proposals from the page (autodiscovery).
export const metadata: Metadata = { title: "Governance", alternates: { types: { "application/atom+xml": [{ url: "/governance/feed.xml", title: "Backstop governance proposals" }] } } };
export const dynamic = "force-dynamic";

const BLOCK_SECONDS = 12;

export default async function GovernancePage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot, deployment } = read;
  const { client } = await getContext();
  const proposals = await readProposals(client, { deployment, blockNumber: snapshot.blockNumber });
  // The track record: every executed proposal's prediction against what happened (from chain history, remembered per block).
  const record = await Promise.all(
    proposals
      .filter((p) => p.state === "Executed")
      .map(async (proposal) => {
        const changes = proposal.targets.flatMap((target, i) => {
          const d = decodeCall({ target, value: proposal.values[i]!, calldata: proposal.calldatas[i]! }, deployment);
          return d.kind === "change" ? [d.change] : [];
        });
        const read = await readProposalRecord(client, { deployment, proposal, changes, snapshot }).catch((error: unknown) => ({ error: publicErrorMessage(error) }));
        return { proposal, record: read ?? { error: "its execution event was not found" } };
      }),
  );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold text-neutral-50">Proposals</h1>
        <p className="text-sm text-neutral-400">
          Follow them in the{" "}
          <a href="/governance/feed.xml" className="text-sky-300 underline">
            Atom feed
          </a>{" "}
          or by{" "}
          <Link href="/notifications" className="text-sky-300 underline">
            webhook
          </Link>
          .
        </p>
        <Link href="/governance/new" className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800">
          New proposal
        </Link>
      </div>
      <VotingPower openProposals={openProposals(proposals)} relay={relayEnabled()} />
      {proposals.length === 0 ? <p className="text-sm text-neutral-400">No proposal yet. Draft one to change a market&apos;s risk parameters, freeze it, or move reserves.</p> : null}
      <ul className="space-y-3">
        {proposals.map((p) => {
          const blocksLeft = p.state === "Active" ? p.voteEnd - snapshot.blockNumber : p.state === "Pending" ? p.voteStart - snapshot.blockNumber : 0n;
          return (
            <li key={p.id.toString()} className="rounded-lg border border-neutral-800 p-4">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={p.state === "Executed" || p.state === "Succeeded" || p.state === "Queued" ? "ok" : p.state === "Defeated" || p.state === "Canceled" || p.state === "Expired" ? "danger" : "warn"}>{p.state}</Badge>
                <Link href={`/governance/${p.id}`} className="font-medium text-neutral-100 hover:underline">
                  {proposalTitle(p)}
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
      <section aria-labelledby="track-record" className="space-y-2">
        <h2 id="track-record" className="text-base font-semibold text-neutral-50">Track record: predicted against what happened</h2>
        <ScrollRegion label="Track record (scrolls sideways)">
          <div className="min-w-[40rem] p-2">
            <TrackRecord rows={record} />
          </div>
        </ScrollRegion>
      </section>
    </div>
  );
}
