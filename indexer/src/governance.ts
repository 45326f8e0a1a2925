/**
 * Governor, governance token and timelock events → proposals with their tallies and fate, votes,
 * delegations and voting power, and timelock operations.
 */

import { ponder, type Context } from "ponder:registry";
import { delegate, delegation, proposal, timelockOperation, vote } from "ponder:schema";

const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

ponder.on("Governor:ProposalCreated", async ({ event, context }) => {
  const { proposalId, proposer, targets, values, signatures, calldatas, voteStart, voteEnd, description } = event.args;
  await context.db.insert(proposal).values({
    id: proposalId,
    proposer,
    targets: [...targets],
    values: [...values],
    signatures: [...signatures],
    calldatas: [...calldatas],
    description,
    voteStart,
    voteEnd,
    forVotes: 0n,
    againstVotes: 0n,
    abstainVotes: 0n,
    etaSeconds: null,
    queued: false,
    executed: false,
    canceled: false,
    createdBlock: event.block.number,
  });
});

async function castVote(
  context: Context,
  { proposalId, voter, support, weight, reason, blockNumber }: { proposalId: bigint; voter: `0x${string}`; support: number; weight: bigint; reason: string; blockNumber: bigint },
) {
  await context.db.insert(vote).values({ proposalId, voter, support, weight, reason, blockNumber });
  await context.db.update(proposal, { id: proposalId }).set((row) => ({
    forVotes: row.forVotes + (support === SUPPORT.for ? weight : 0n),
    againstVotes: row.againstVotes + (support === SUPPORT.against ? weight : 0n),
    abstainVotes: row.abstainVotes + (support === SUPPORT.abstain ? weight : 0n),
  }));
}

ponder.on("Governor:VoteCast", async ({ event, context }) => {
  await castVote(context, { ...event.args, blockNumber: event.block.number });
});

ponder.on("Governor:VoteCastWithParams", async ({ event, context }) => {
  await castVote(context, { ...event.args, blockNumber: event.block.number });
});

ponder.on("Governor:ProposalExtended", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ voteEnd: event.args.extendedDeadline });
});

ponder.on("Governor:ProposalQueued", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ queued: true, etaSeconds: event.args.etaSeconds });
});

ponder.on("Governor:ProposalExecuted", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ executed: true });
});

ponder.on("Governor:ProposalCanceled", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ canceled: true });
});

ponder.on("GovernanceToken:DelegateChanged", async ({ event, context }) => {
  const { delegator, toDelegate } = event.args;
  await context.db.insert(delegation).values({ delegator, delegate: toDelegate }).onConflictDoUpdate({ delegate: toDelegate });
});

ponder.on("GovernanceToken:DelegateVotesChanged", async ({ event, context }) => {
  const { delegate: address, newVotes } = event.args;
  await context.db.insert(delegate).values({ address, votes: newVotes }).onConflictDoUpdate({ votes: newVotes });
});

ponder.on("Timelock:CallScheduled", async ({ event, context }) => {
  const { id, index, delay } = event.args;
  const calls = Number(index) + 1;
  await context.db
    .insert(timelockOperation)
    .values({ id, calls, delaySec: delay, scheduledAt: event.block.timestamp, executed: false, cancelled: false })
    .onConflictDoUpdate((row) => ({ calls: Math.max(row.calls, calls) }));
});

ponder.on("Timelock:CallExecuted", async ({ event, context }) => {
  await context.db.update(timelockOperation, { id: event.args.id }).set({ executed: true });
});

ponder.on("Timelock:Cancelled", async ({ event, context }) => {
  await context.db.update(timelockOperation, { id: event.args.id }).set({ cancelled: true });
});
