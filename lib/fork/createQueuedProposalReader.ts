/**
 * createQueuedProposalReader({ deployment }) — the proposals queued at a block, with their calls
 * and the block they were queued in, for the watchdog's passes. The governor's events (created,
 * queued, executed, canceled) are kept: each call reads only the blocks after the last one read,
 * then one `state` read per proposal the events leave queued confirms it at `blockNumber` (a
 * queued proposal past its grace period reads Expired). A chain that went back — a reorg, a
 * reverted development chain: the last block read is gone or has another hash — is read again
 * from the deployment block.
 *
 * Example: 4,000 blocks since deployment, a pass every 10: the first call reads 4,000 blocks of
 * events, each next one 10, and one `state` per queued proposal.
 */

import type { Hex, PublicClient } from "viem";
import { PROPOSAL_STATES } from "../actions/readProposals.ts";
import type { ProposalCall } from "../codec/governanceCodec.ts";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface QueuedProposal {
  id: bigint;
  calls: ProposalCall[];
  /** The block its ProposalCreated event is in. */
  createdBlock: bigint;
  /** The block its ProposalQueued event is in. */
  queuedAt: bigint;
}

export function createQueuedProposalReader({ deployment }: { deployment: Deployment }): (client: PublicClient, blockNumber: bigint) => Promise<QueuedProposal[]> {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  let read: { blockNumber: bigint; hash: Hex } | undefined;
  const created = new Map<bigint, { calls: ProposalCall[]; createdBlock: bigint }>();
  const queuedAt = new Map<bigint, bigint>();
  const ended = new Set<bigint>();

  async function readEvents(client: PublicClient, blockNumber: bigint) {
    if (read) {
      const still = read.blockNumber <= blockNumber ? await client.getBlock({ blockNumber: read.blockNumber }).catch(() => undefined) : undefined;
      if (still?.hash !== read.hash) {
        read = undefined;
        created.clear();
        queuedAt.clear();
        ended.clear();
      }
    }
    const fromBlock = read ? read.blockNumber + 1n : BigInt(deployment.deployBlock);
    if (fromBlock > blockNumber) return;
    const [logs, block] = await Promise.all([client.getContractEvents({ ...governor, fromBlock, toBlock: blockNumber }), client.getBlock({ blockNumber })]);
    for (const log of logs) {
      const id = (log.args as { proposalId?: bigint }).proposalId;
      if (id === undefined) continue;
      if (log.eventName === "ProposalCreated") {
        const a = log.args as { targets: readonly `0x${string}`[]; values: readonly bigint[]; calldatas: readonly Hex[] };
        created.set(id, { calls: a.targets.map((target, i) => ({ target, value: a.values[i]!, calldata: a.calldatas[i]! })), createdBlock: log.blockNumber });
      } else if (log.eventName === "ProposalQueued") queuedAt.set(id, log.blockNumber);
      else if (log.eventName === "ProposalExecuted" || log.eventName === "ProposalCanceled") ended.add(id);
    }
    read = { blockNumber, hash: block.hash };
  }

  return async function queuedProposals(client, blockNumber) {
    await readEvents(client, blockNumber);
    const candidates = [...queuedAt].filter(([id]) => !ended.has(id) && created.has(id));
    const states = await Promise.all(candidates.map(([id]) => client.readContract({ ...governor, functionName: "state", args: [id], blockNumber })));
    return candidates.filter((_, i) => PROPOSAL_STATES[states[i]!] === "Queued").map(([id, at]) => ({ id, ...created.get(id)!, queuedAt: at }));
  };
}
