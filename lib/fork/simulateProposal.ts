/**
 * simulateProposal — executes a proposal's exact calls on a fork and says what they did.
 *
 * The model preview (engine/preview) understands what the calldata decoder reads; a call it
 * cannot read (a raw call, a call through a forwarder or a proxy) is only flagged. Here the chain
 * itself runs them: anvil forks the chain at a pinned block (`--fork-url`, the configured RPC or
 * BACKSTOP_FORK_RPC_URL for an archive node), impersonates the timelock (the governor's executor,
 * the only caller the protocol obeys) and sends each call in order, as executeBatch would. Then:
 *
 *   - each call: success or its revert in words, gas used, its events decoded with the
 *     deployment's ABIs (unknown ones kept raw). One revert reverts the batch: the fork is rolled
 *     back and the later calls are not run, as on chain;
 *   - the governable state before → after, read through the lens on the fork;
 *   - the engine on the fork's post-execution snapshot: accounts newly liquidatable;
 *   - blind spots: every governable field whose value after the fork differs from what the
 *     decoded calls, applied by the model (applyChanges), predict — the calldata does something
 *     the decoder did not read (or the reverse).
 *
 * The fork is a child process stopped by its PID whatever happens (finally).
 * Example: grantRole(GOVERNANCE_ROLE, forwarder) then forward(clearinghouse, setMarketParams(ETH,
 * MMR 10 %)): the decoder reads neither call; the fork shows "ETH-PERP Maintenance margin (MMR):
 * 5% → 10%", the accounts it makes liquidatable, and two blind spots.
 */

import { createPublicClient, createTestClient, createWalletClient, decodeEventLog, http, parseEther, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { applyChanges, findLiquidatable, formatDuration, formatParameter, formatPercent, formatUsd, MARKET_PARAMETERS, parameterLabel, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { decodeCall, type ProposalCall } from "../codec/governanceCodec.ts";
import * as abis from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { describeRevert } from "../errors/describeRevert.ts";
import { startAnvil } from "../local/anvil.ts";

export interface SimulatedEvent {
  address: Address;
  /** Null when no ABI of the deployment declares it (topics and data kept raw). */
  name: string | null;
  args?: Record<string, unknown>;
  topics: readonly Hex[];
  data: Hex;
}

export interface SimulatedCall extends ProposalCall {
  status: "success" | "reverted" | "not run";
  /** The revert in words (status "reverted"). */
  revert?: string;
  gasUsed: bigint;
  events: SimulatedEvent[];
}

export interface StateChange {
  /** What changed, in words: "ETH-PERP Maintenance margin (MMR)". */
  what: string;
  before: string;
  after: string;
}

export interface ProposalSimulation {
  forkBlock: bigint;
  calls: SimulatedCall[];
  /** False when a call reverted: the whole proposal would revert, and nothing changes. */
  executes: boolean;
  stateChanges: StateChange[];
  /** Accounts liquidatable after the execution that were not before, by the engine on the fork's snapshots. */
  newlyLiquidatable: Address[];
  /** Where the fork's result differs from the decoded calls applied by the model, in words. */
  blindSpots: string[];
}

export interface SimulateProposalParameters {
  /** The chain to fork (an archive node for old blocks). */
  forkUrl: string;
  deployment: Deployment;
  /** The block to fork at (default: the latest). */
  blockNumber?: bigint;
  calls: ProposalCall[];
}

const eventAbis = Object.values(abis) as readonly Abi[];

function decodeEvent(log: { address: Address; topics: readonly Hex[]; data: Hex }): SimulatedEvent {
  for (const abi of eventAbis) {
    try {
      const e = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data });
      return { address: log.address, name: e.eventName ?? null, args: e.args as unknown as Record<string, unknown>, topics: log.topics, data: log.data };
    } catch {
      // not this ABI's event
    }
  }
  return { address: log.address, name: null, topics: log.topics, data: log.data };
}

/** Every governable value of a snapshot, by a stable name, with how it reads. */
function governableState(s: ProtocolSnapshot): Map<string, string> {
  const state = new Map<string, string>();
  for (const m of s.markets) {
    for (const p of MARKET_PARAMETERS) state.set(`${m.symbol} ${parameterLabel(p)}`, formatParameter(p, m.params[p.param]));
    state.set(`${m.symbol} frozen`, m.frozen ? "yes" : "no");
    state.set(`${m.symbol} paused`, m.paused ? "yes" : "no");
  }
  for (const c of s.collaterals) {
    state.set(`${c.symbol} collateral weight`, formatPercent(c.params.weightWad));
    state.set(`${c.symbol} deposit cap`, c.params.depositCapNative.toString());
    state.set(`${c.symbol} oracle max age`, formatDuration(c.params.oracleMaxAgeSec));
    state.set(`${c.symbol} deposits frozen`, c.frozen ? "yes" : "no");
  }
  state.set("ADL mode", s.global.adlMode === 0 ? "queue" : "pro-rata");
  state.set("Liquidation grace after unpause", formatDuration(s.global.gracePeriodSec));
  state.set("Default-fund cooldown", formatDuration(s.global.defaultFundCooldownSec));
  state.set("Insurance fund", formatUsd(s.reserves.insuranceFundUsd, { compact: false }));
  state.set("Default fund", formatUsd(s.reserves.defaultFundUsd, { compact: false }));
  return state;
}

function diff(before: Map<string, string>, after: Map<string, string>): StateChange[] {
  return [...before].flatMap(([what, was]) => (after.get(what) !== was ? [{ what, before: was, after: after.get(what) ?? "—" }] : []));
}

export async function simulateProposal({ forkUrl, deployment, blockNumber, calls }: SimulateProposalParameters): Promise<ProposalSimulation> {
  const origin = createPublicClient({ transport: http(forkUrl) });
  const forkBlock = blockNumber ?? (await origin.getBlockNumber());
  const fork = await startAnvil({ args: ["--fork-url", forkUrl, "--fork-block-number", forkBlock.toString(), "--no-rate-limit"] });
  try {
    const transport = http(fork.rpcUrl, { timeout: 60_000 });
    const client = createPublicClient({ transport }) as PublicClient;
    const test = createTestClient({ mode: "anvil", transport });
    const executor = deployment.contracts.timelock;
    await test.impersonateAccount({ address: executor });
    await test.setBalance({ address: executor, value: parseEther("100") });
    const wallet = createWalletClient({ account: executor, transport });
    const before = await readSnapshot(client, { deployment });
    const saved = await test.snapshot();

    const results: SimulatedCall[] = [];
    let executes = true;
    for (const call of calls) {
      if (!executes) {
        results.push({ ...call, status: "not run", gasUsed: 0n, events: [] });
        continue;
      }
      try {
        // A call first, for the revert data a mined failure would not give back.
        await client.call({ account: executor, to: call.target, data: call.calldata, value: call.value });
        const hash = await wallet.sendTransaction({ to: call.target, data: call.calldata, value: call.value, chain: null });
        const receipt = await client.waitForTransactionReceipt({ hash });
        results.push({ ...call, status: receipt.status === "success" ? "success" : "reverted", gasUsed: receipt.gasUsed, events: receipt.logs.map(decodeEvent) });
        if (receipt.status !== "success") executes = false;
      } catch (error) {
        results.push({ ...call, status: "reverted", revert: describeRevert(error), gasUsed: 0n, events: [] });
        executes = false;
      }
    }
    // One revert reverts executeBatch as a whole: nothing the earlier calls did remains.
    if (!executes) await test.revert({ id: saved });
    const after = await readSnapshot(client, { deployment });

    const wasLiquidatable = new Set(findLiquidatable(before));
    const newlyLiquidatable = findLiquidatable(after).filter((a) => !wasLiquidatable.has(a));

    // What the decoder read, applied by the model, against what the chain did.
    const decoded: ParamChange[] = calls.flatMap((c) => {
      const d = decodeCall(c, deployment);
      return d.kind === "change" ? [d.change] : [];
    });
    const modelled = governableState(executes ? applyChanges(before, decoded).snapshot : before);
    const actual = governableState(after);
    const blindSpots = diff(modelled, actual).map((d) => `${d.what}: the calls left it at ${d.after}, where the decoded actions say ${d.before}`);

    return { forkBlock, calls: results, executes, stateChanges: diff(governableState(before), actual), newlyLiquidatable, blindSpots };
  } finally {
    await fork.stop();
  }
}
