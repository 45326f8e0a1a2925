/**
 * forkChain({ forkUrl, blockNumber, timeoutMs }) — anvil forking the chain at a pinned block
 * (`--fork-url`: the configured RPC, or BACKSTOP_FORK_RPC_URL for an archive node), on which
 * proposals are simulated one after another (lib/fork/simulateOnFork), each from the pinned
 * block's state: an evm_snapshot is taken before the first one's calls, and each next one reverts
 * to it first (a fork used once, as simulateProposal's, never reverts). The lens snapshot of that
 * state is read once and shared by all of them: a watchdog pass over k queued proposals costs one
 * process and one lens read, not k.
 *
 * A fork is a child process: `stop()` ends it by its PID (SIGTERM, then SIGKILL; lib/local/anvil).
 * A simulation still running `timeoutMs` after it started stops the fork and fails in words, as
 * does every simulation asked of it afterwards.
 */

import { createPublicClient, createTestClient, http, type Hex } from "viem";
import type { ProtocolSnapshot } from "../../engine/index.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import type { ProposalCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { BackstopError } from "../errors/backstopError.ts";
import { startAnvil } from "../local/anvil.ts";
import { simulateOnFork, type ForkTarget, type ProposalSimulation } from "./simulateOnFork.ts";

export interface ForkChainParameters {
  /** The chain to fork (an archive node for old blocks). */
  forkUrl: string;
  /** The block to fork at (default: the latest). */
  blockNumber?: bigint;
  /** Stop the fork and fail a simulation still running after this long (default 60 s). */
  timeoutMs?: number;
}

export interface Fork extends ForkTarget {
  /** The anvil process's id. */
  pid: number;
  /** The calls executed as the timelock on the pinned block's state; simulations on one fork run one at a time. */
  simulate(parameters: { deployment: Deployment; calls: ProposalCall[] }): Promise<ProposalSimulation>;
  stop(): Promise<void>;
}

export async function forkChain({ forkUrl, blockNumber, timeoutMs = 60_000 }: ForkChainParameters): Promise<Fork> {
  const forkBlock = blockNumber ?? (await createPublicClient({ transport: http(forkUrl) }).getBlockNumber());
  const anvil = await startAnvil({ args: ["--fork-url", forkUrl, "--fork-block-number", forkBlock.toString(), "--no-rate-limit"] });
  const snapshots = new Map<string, Promise<ProtocolSnapshot>>();
  const test = createTestClient({ mode: "anvil", transport: http(anvil.rpcUrl, { timeout: 60_000 }) });
  /** The pinned state's evm_snapshot, once calls have run on top of it. */
  let pinned: Hex | undefined;
  const target: ForkTarget = {
    rpcUrl: anvil.rpcUrl,
    blockNumber: forkBlock,
    before(deployment) {
      const key = deployment.contracts.clearinghouse.toLowerCase();
      let read = snapshots.get(key);
      if (!read) {
        read = readSnapshot(createPublicClient({ transport: http(anvil.rpcUrl, { timeout: 60_000 }) }), { deployment });
        snapshots.set(key, read);
        read.catch(() => snapshots.delete(key));
      }
      return read;
    },
    async beforeCalls() {
      // evm_revert consumes the snapshot: take it again for the simulation after this one.
      if (pinned) await test.revert({ id: pinned });
      pinned = await test.snapshot();
    },
  };
  let stopped: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function simulateWithin(parameters: { deployment: Deployment; calls: ProposalCall[] }): Promise<ProposalSimulation> {
    if (stopped) throw new BackstopError(stopped);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stopped = `the fork did not finish within ${timeoutMs / 1000} s and was stopped`;
        void anvil.stop().then(() => reject(new BackstopError(stopped!)));
      }, timeoutMs);
    });
    try {
      // A result that arrives once the deadline has passed (while the fork is being stopped) is still too late.
      return await Promise.race([simulateOnFork(target, parameters).then((simulation) => (stopped ? hung : simulation)), hung]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    ...target,
    pid: anvil.pid,
    simulate(parameters) {
      const run = queue.then(() => simulateWithin(parameters));
      queue = run.catch(() => undefined);
      return run;
    },
    stop: anvil.stop,
  };
}
