/**
 * simulateProposal({ forkUrl, deployment, blockNumber, calls, timeoutMs }) — a proposal's exact
 * calls executed as the timelock on a fork of the chain at a pinned block, and what they did
 * (lib/fork/simulateOnFork says what is reported). The fork (lib/fork/forkChain) is made for this
 * one simulation and stopped by its PID whatever happens; one that has not finished after
 * `timeoutMs` is killed and the simulation fails with that in words.
 */

import type { ProposalCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { forkChain } from "./forkChain.ts";
import type { ProposalSimulation } from "./simulateOnFork.ts";

export interface SimulateProposalParameters {
  /** The chain to fork (an archive node for old blocks). */
  forkUrl: string;
  deployment: Deployment;
  /** The block to fork at (default: the latest). */
  blockNumber?: bigint;
  calls: ProposalCall[];
  /** Stop the fork and fail after this long (default 60 s). */
  timeoutMs?: number;
}

export async function simulateProposal({ forkUrl, deployment, blockNumber, calls, timeoutMs }: SimulateProposalParameters): Promise<ProposalSimulation> {
  const fork = await forkChain({ forkUrl, blockNumber, timeoutMs });
  try {
    return await fork.simulate({ deployment, calls });
  } finally {
    await fork.stop();
  }
}
