import { formatUnits } from "viem";
import { proposalTitle } from "@/lib/actions/readProposals";
import { readProposalFeed } from "@/lib/actions/readProposalFeed";
import { ATOM_CONTENT_TYPE, proposalsAtom } from "@/lib/feed/proposalsAtom";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

const tokens = (x: bigint) => Number(formatUnits(x, 18)).toLocaleString("en-US", { maximumFractionDigits: 0 });
const date = (unixSec: bigint) => new Date(Number(unixSec) * 1000);

/** GET /governance/feed.xml — the latest 50 proposals as an Atom 1.0 feed: state and tally in each summary, the description as content. */
export async function GET(request: Request) {
  const read = await tryLatestSnapshot();
  if ("error" in read) return new Response(`The proposals feed cannot be read now: ${read.error}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "15" } });
  try {
    const { client } = await getContext();
    const { snapshot, deployment } = read;
    const origin = process.env.BACKSTOP_PUBLIC_URL || new URL(request.url).origin;
    const items = await readProposalFeed(client, { deployment, blockNumber: snapshot.blockNumber });
    const scope = `urn:backstop:${snapshot.chainId}:${deployment.contracts.governor.toLowerCase()}`;
    const xml = proposalsAtom({
      id: `${scope}:proposals`,
      title: "Backstop governance proposals",
      selfUrl: new URL("/governance/feed.xml", origin).toString(),
      siteUrl: new URL("/governance", origin).toString(),
      updated: date(snapshot.timestamp),
      entries: items.map(({ proposal: p, createdSec, updatedSec }) => ({
        id: `${scope}:proposal:${p.id}`,
        title: proposalTitle(p),
        link: new URL(`/governance/${p.id}`, origin).toString(),
        author: p.proposer,
        published: date(createdSec),
        updated: date(updatedSec),
        category: p.state,
        summary: `${p.state}. For ${tokens(p.forVotes)}, against ${tokens(p.againstVotes)}, abstain ${tokens(p.abstainVotes)}; voting blocks #${p.voteStart}–#${p.voteEnd}${p.eta > 0n ? `; executable from ${date(p.eta).toISOString()}` : ""}.`,
        content: p.description,
      })),
    });
    return new Response(xml, { headers: { "content-type": ATOM_CONTENT_TYPE, "cache-control": "public, max-age=15" } });
  } catch (error) {
    return new Response(`The proposals feed cannot be read now: ${publicErrorMessage(error)}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
