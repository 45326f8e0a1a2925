/**
 * Fork simulations for the dashboard, at bounded cost: one fork at a time (a fork is an anvil
 * process reading the chain), each result kept per proposal and block (a page refresh or a second
 * reader costs nothing), at most SIMULATIONS_KEPT of them.
 */

import type { SimulationWire } from "../api/wire.ts";
import type { ProposalCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { chainConfig } from "../env.ts";
import { simulateProposal } from "../fork/simulateProposal.ts";

const SIMULATIONS_KEPT = 32;
const kept = new Map<string, Promise<SimulationWire>>();
let queue: Promise<unknown> = Promise.resolve();

/** The proposal `id`'s calls executed on a fork of `blockNumber` (the block whose hash keys the result). */
export function simulateAt(id: string, block: { number: bigint; hash: string }, deployment: Deployment, calls: ProposalCall[]): Promise<SimulationWire> {
  const key = `${id}:${block.hash}`;
  const known = kept.get(key);
  if (known) return known;
  const run = queue.then(async (): Promise<SimulationWire> => {
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
  queue = run.catch(() => undefined);
  kept.set(key, run);
  // A failure is not kept: the next reader tries again.
  run.catch(() => kept.delete(key));
  if (kept.size > SIMULATIONS_KEPT) kept.delete(kept.keys().next().value!);
  return run;
}
