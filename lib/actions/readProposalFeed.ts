/**
 * readProposalFeed(client, { deployment, blockNumber, limit }) — the latest `limit` proposals with
 * the time each was created and last changed state, for the Atom feed. A proposal changes state
 * at its creation, when voting opens (the block after its snapshot) and closes (the block after
 * its deadline: Governor counts `clock > deadline` as over), and when it is queued, executed or
 * canceled (their events); its `updated` is the timestamp of the latest of those blocks reached.
 */

import type { PublicClient } from "viem";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { readProposals, type ProposalSummary } from "./readProposals.ts";

export interface ProposalFeedItem {
  proposal: ProposalSummary;
  createdSec: bigint;
  updatedSec: bigint;
}

/** Block timestamps do not change (short of a reorg of that block), so they are kept, up to this many. */
const TIMESTAMPS_KEPT = 2_000;
const timestamps = new Map<bigint, Promise<bigint>>();

export async function readProposalFeed(client: PublicClient, { deployment, blockNumber, limit = 50 }: { deployment: Deployment; blockNumber: bigint; limit?: number }): Promise<ProposalFeedItem[]> {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi, fromBlock: BigInt(deployment.deployBlock), toBlock: blockNumber } as const;
  const [proposals, ...events] = await Promise.all([
    readProposals(client, { deployment, blockNumber }),
    client.getContractEvents({ ...governor, eventName: "ProposalQueued" }),
    client.getContractEvents({ ...governor, eventName: "ProposalExecuted" }),
    client.getContractEvents({ ...governor, eventName: "ProposalCanceled" }),
  ]);
  const changedAt = new Map<bigint, bigint[]>();
  for (const log of events.flat()) {
    const id = (log.args as { proposalId?: bigint }).proposalId;
    if (id !== undefined) changedAt.set(id, [...(changedAt.get(id) ?? []), log.blockNumber]);
  }
  return Promise.all(
    proposals.slice(0, limit).map(async (proposal) => {
      const blocks = [proposal.createdBlock, proposal.voteStart + 1n, proposal.voteEnd + 1n, ...(changedAt.get(proposal.id) ?? [])].filter((b) => b <= blockNumber);
      const last = blocks.reduce((a, b) => (b > a ? b : a));
      const [createdSec, updatedSec] = await Promise.all([timestampOf(client, proposal.createdBlock), timestampOf(client, last)]);
      return { proposal, createdSec, updatedSec };
    }),
  );
}

function timestampOf(client: PublicClient, blockNumber: bigint): Promise<bigint> {
  let known = timestamps.get(blockNumber);
  if (!known) {
    known = client.getBlock({ blockNumber }).then((b) => b.timestamp);
    known.catch(() => timestamps.delete(blockNumber));
    timestamps.set(blockNumber, known);
    if (timestamps.size > TIMESTAMPS_KEPT) timestamps.delete(timestamps.keys().next().value!);
  }
  return known;
}
