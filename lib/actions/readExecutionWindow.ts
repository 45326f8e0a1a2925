/**
 * readExecutionWindow(client, { deployment, snapshot, blocks }) — what the preview band needs to
 * know about time and prices, read from the chain:
 * - the governor's voting delay and period (blocks), the timelock's minimum delay (seconds) and
 *   the chain's mean block time over the last `blocks` blocks (so a period in blocks becomes
 *   seconds of price risk);
 * - the price process of each market, measured from the oracle's PriceUpdated posts in the last
 *   `blocks` blocks (engine/scenarios/estimatePriceProcess).
 * `horizonSec` then says, for a draft or a proposal in a given state, how long its effect waits.
 */

import type { PublicClient } from "viem";
import { estimatePriceProcess, type PricePost, type PriceProcess, type ProtocolSnapshot } from "../../engine/index.ts";
import { backstopGovernorAbi, backstopTimelockAbi, priceOracleAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface ExecutionWindow {
  votingDelayBlocks: bigint;
  votingPeriodBlocks: bigint;
  timelockDelaySec: bigint;
  /** Mean seconds per block over the look-back (at least 1). */
  blockTimeSec: number;
  process: PriceProcess;
  /** Price posts the process rests on, and the blocks they span. */
  lookbackBlocks: bigint;
}

export async function readExecutionWindow(client: PublicClient, { deployment, snapshot, blocks = 5_000n }: { deployment: Deployment; snapshot: ProtocolSnapshot; blocks?: bigint }): Promise<ExecutionWindow> {
  const now = snapshot.blockNumber;
  const floor = BigInt(deployment.deployBlock);
  const from = now - blocks > floor ? now - blocks : floor;
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const [votingDelayBlocks, votingPeriodBlocks, timelockDelaySec, earlier, posts] = await Promise.all([
    client.readContract({ ...governor, functionName: "votingDelay", blockNumber: now }),
    client.readContract({ ...governor, functionName: "votingPeriod", blockNumber: now }),
    client.readContract({ address: deployment.contracts.timelock, abi: backstopTimelockAbi, functionName: "getMinDelay", blockNumber: now }),
    client.getBlock({ blockNumber: from }),
    client.getContractEvents({ address: deployment.contracts.oracle, abi: priceOracleAbi, eventName: "PriceUpdated", fromBlock: from, toBlock: now }),
  ]);
  const byFeed = new Map<string, PricePost[]>();
  for (const log of posts) {
    const feed = log.args.feedId!.toLowerCase();
    byFeed.set(feed, [...(byFeed.get(feed) ?? []), { timestampSec: Number(log.args.updatedAt!), price: Number(log.args.priceWad!) / 1e18 }]);
  }
  const spanBlocks = Number(now - from);
  return {
    votingDelayBlocks,
    votingPeriodBlocks,
    timelockDelaySec,
    blockTimeSec: spanBlocks > 0 ? Math.max(1, Number(snapshot.timestamp - earlier.timestamp) / spanBlocks) : 12,
    process: estimatePriceProcess(snapshot.markets.map((m) => byFeed.get(m.feedId.toLowerCase()) ?? [])),
    lookbackBlocks: now - from,
  };
}

/**
 * Seconds from the snapshot until a proposal can execute, the earliest it can: a draft waits the
 * whole delay, period and timelock; a proposal counts from where it is.
 */
export function horizonSec(window: ExecutionWindow, snapshot: Pick<ProtocolSnapshot, "blockNumber" | "timestamp">, proposal?: { state: string; voteEnd: bigint; eta: bigint }): number {
  const blocks = (n: bigint) => Number(n > 0n ? n : 0n) * window.blockTimeSec;
  const timelock = Number(window.timelockDelaySec);
  if (!proposal) return blocks(window.votingDelayBlocks + window.votingPeriodBlocks) + timelock;
  switch (proposal.state) {
    case "Pending":
    case "Active":
      return blocks(proposal.voteEnd - snapshot.blockNumber) + timelock;
    case "Succeeded":
      return timelock;
    case "Queued":
      return Math.max(0, Number(proposal.eta - snapshot.timestamp));
    default:
      return 0;
  }
}
