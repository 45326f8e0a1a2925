/**
 * Fork simulations for the dashboard, at bounded cost (lib/fork/createForkPool): at most
 * BACKSTOP_FORK_CONCURRENCY forks at once (default 2; a fork is an anvil process reading the
 * chain), the others queued; each result kept per proposal and block (a page refresh or a second
 * reader costs nothing), the 32 most recent; a fork that hangs past 60 s is killed and its
 * simulation fails in words.
 */

import type { SimulationWire } from "../api/wire.ts";
import type { ProposalCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { chainConfig } from "../env.ts";
import { createForkPool } from "../fork/createForkPool.ts";
import { simulateProposal } from "../fork/simulateProposal.ts";

const pool = createForkPool({ concurrency: Number(process.env.BACKSTOP_FORK_CONCURRENCY || 2), keep: 32 });

/** The proposal `id`'s calls executed on a fork of `blockNumber` (the block whose hash keys the result). */
export function simulateAt(id: string, block: { number: bigint; hash: string }, deployment: Deployment, calls: ProposalCall[]): Promise<SimulationWire> {
  return pool.run(`${id}:${block.hash}`, async (): Promise<SimulationWire> => {
    const sim = await simulateProposal({ forkUrl: process.env.BACKSTOP_FORK_RPC_URL || chainConfig().rpcUrl, deployment, blockNumber: block.number, calls });
    return {
      forkBlock: sim.forkBlock.toString(),
      executes: sim.executes,
      calls: sim.calls.map((c) => ({ target: c.target, status: c.status, revert: c.revert, gasUsed: c.gasUsed.toString(), events: c.events.map((e) => e.name) })),
      stateChanges: sim.stateChanges,
      newlyLiquidatable: sim.newlyLiquidatable,
      blindSpots: sim.blindSpots,
      storageChanges: sim.storageChanges,
      contracts: sim.contracts,
      movements: sim.movements.map((m) => ({ ...m, amount: m.amount.toString() })),
      roleChanges: sim.roleChanges,
      gasUsed: sim.gasUsed.toString(),
    };
  });
}
