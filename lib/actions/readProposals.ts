/**
 * readProposals(client, { deployment, blockNumber }) — every proposal of the governor with its
 * state, tally, quorum and timeline, newest first; readVotes — the votes cast on one, with
 * reasons. All reads pinned to one block.
 */

import type { Hex, PublicClient } from "viem";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export const PROPOSAL_STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

export interface ProposalSummary {
  id: bigint;
  proposer: `0x${string}`;
  targets: `0x${string}`[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  createdBlock: bigint;
  voteStart: bigint;
  voteEnd: bigint;
  state: ProposalStateName;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  quorum: bigint | null;
  eta: bigint;
}

export async function readProposals(client: PublicClient, { deployment, blockNumber }: { deployment: Deployment; blockNumber: bigint }): Promise<ProposalSummary[]> {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const created = await client.getContractEvents({ ...governor, eventName: "ProposalCreated", fromBlock: BigInt(deployment.deployBlock), toBlock: blockNumber });
  const proposals = await Promise.all(
    created.map(async (log): Promise<ProposalSummary> => {
      const a = log.args as { proposalId: bigint; proposer: `0x${string}`; targets: readonly `0x${string}`[]; values: readonly bigint[]; calldatas: readonly Hex[]; voteStart: bigint; voteEnd: bigint; description: string };
      const [state, votes, deadline, eta] = await Promise.all([
        client.readContract({ ...governor, functionName: "state", args: [a.proposalId], blockNumber }),
        client.readContract({ ...governor, functionName: "proposalVotes", args: [a.proposalId], blockNumber }),
        client.readContract({ ...governor, functionName: "proposalDeadline", args: [a.proposalId], blockNumber }),
        client.readContract({ ...governor, functionName: "proposalEta", args: [a.proposalId], blockNumber }),
      ]);
      const quorum = a.voteStart < blockNumber ? await client.readContract({ ...governor, functionName: "quorum", args: [a.voteStart], blockNumber }) : null;
      return {
        id: a.proposalId,
        proposer: a.proposer.toLowerCase() as `0x${string}`,
        targets: [...a.targets],
        values: [...a.values],
        calldatas: [...a.calldatas],
        description: a.description,
        createdBlock: log.blockNumber,
        voteStart: a.voteStart,
        voteEnd: deadline,
        state: PROPOSAL_STATES[state] ?? "Pending",
        againstVotes: votes[0],
        forVotes: votes[1],
        abstainVotes: votes[2],
        quorum,
        eta,
      };
    }),
  );
  return proposals.reverse();
}

export interface VoteRecord {
  voter: `0x${string}`;
  support: "Against" | "For" | "Abstain";
  weight: bigint;
  reason: string;
  blockNumber: bigint;
}

export async function readVotes(client: PublicClient, { deployment, proposalId, blockNumber }: { deployment: Deployment; proposalId: bigint; blockNumber: bigint }): Promise<VoteRecord[]> {
  const logs = await client.getContractEvents({ address: deployment.contracts.governor, abi: backstopGovernorAbi, eventName: "VoteCast", fromBlock: BigInt(deployment.deployBlock), toBlock: blockNumber });
  return logs
    .filter((l) => l.args.proposalId === proposalId)
    .map((l) => ({ voter: l.args.voter!.toLowerCase() as `0x${string}`, support: (["Against", "For", "Abstain"] as const)[l.args.support!] ?? "Abstain", weight: l.args.weight!, reason: l.args.reason ?? "", blockNumber: l.blockNumber }));
}

/** A proposal's title: the first line of its description without a Markdown heading mark (its id when there is none). */
export function proposalTitle(p: Pick<ProposalSummary, "id" | "description">): string {
  return p.description.split("\n")[0]!.replace(/^#\s*/, "").trim() || `Proposal ${p.id.toString().slice(0, 10)}…`;
}

/** The proposals a voter's power matters for now (pending or active), with the snapshot block that weighs it (Governor: proposalSnapshot = voteStart). */
export function openProposals(proposals: readonly ProposalSummary[]) {
  return proposals
    .filter((p): p is ProposalSummary & { state: "Pending" | "Active" } => p.state === "Pending" || p.state === "Active")
    .map((p) => ({ id: p.id.toString(), title: proposalTitle(p), state: p.state, snapshotBlock: p.voteStart.toString() }));
}
