/**
 * simulateOnFork(fork, { deployment, calls }) — executes a proposal's exact calls on a fork of the
 * chain (lib/fork/forkChain) and says what they did; simulateProposal forks, runs this and stops.
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
 *     the decoder did not read (or the reverse);
 *   - from each call's traces (debug_traceTransaction: prestateTracer in diff mode, callTracer):
 *     the storage slots it changed on each contract, the contracts of its call tree with their
 *     code hash and whether the deployment file knows them, ETH moved by calls and tokens moved
 *     by Transfer events, roles granted and revoked, and gas used.
 *
 * Each simulation starts from the pinned block's state (`fork.beforeCalls`: evm_revert to it when
 * an earlier one ran); the lens snapshot of that state is read once per fork (`fork.before`) and
 * shared.
 * Example: grantRole(GOVERNANCE_ROLE, forwarder) then forward(clearinghouse, setMarketParams(ETH,
 * MMR 10 %)): the decoder reads neither call; the fork shows "ETH-PERP Maintenance margin (MMR):
 * 5% → 10%", the accounts it makes liquidatable, and two blind spots.
 */

import { createPublicClient, createTestClient, createWalletClient, decodeEventLog, getAddress, http, keccak256, parseEther, stringToHex, type Abi, type Address, type Hex, type JsonRpcAccount, type PublicClient, type Transport, type WalletClient } from "viem";
import { applyChanges, findLiquidatable, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { decodeCall, type ProposalCall } from "../codec/governanceCodec.ts";
import * as abis from "../contracts/abis.ts";
import { codeHashOf, deploymentNames, type Deployment } from "../contracts/deployment.ts";
import { describeRevert } from "../errors/describeRevert.ts";
import { diffGovernableState, governableState, type StateChange } from "./governableState.ts";
import { traceStorageChanges } from "./traceStorageChanges.ts";

export type { StateChange };

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
  /** Storage slots whose value the execution changed, per contract, in call order (the last value). */
  storageChanges: StorageChange[];
  /** Every contract the calls reached (targets and what they called), first reached first. */
  contracts: TouchedContract[];
  /** ETH sent by calls (value > 0) and tokens moved by ERC-20 Transfer events. */
  movements: Movement[];
  /** AccessControl RoleGranted / RoleRevoked events. */
  roleChanges: RoleChange[];
  /** Gas of all the calls that ran. */
  gasUsed: bigint;
}

export interface StorageChange {
  address: Address;
  /** Its name in the deployment file, if known. */
  knownAs?: string;
  slot: Hex;
  before: Hex;
  after: Hex;
}

export interface TouchedContract {
  address: Address;
  knownAs?: string;
  /** keccak256 of its runtime code on the fork after the calls. */
  codeHash: Hex;
}

export interface Movement {
  /** "ETH", or the token's name in the deployment file, or its address. */
  asset: string;
  from: Address;
  to: Address;
  /** In the asset's smallest unit. */
  amount: bigint;
}

export interface RoleChange {
  contract: Address;
  /** The contract's name in the deployment file, if known. */
  knownAs?: string;
  /** The role's constant name when it is one of the deployment's roles, else its hash. */
  role: string;
  account: Address;
  change: "granted" | "revoked";
}

const ZERO_WORD = `0x${"0".repeat(64)}` as Hex;
const ROLE_NAMES = new Map<string, string>([[ZERO_WORD, "DEFAULT_ADMIN_ROLE"], ...["GOVERNANCE_ROLE", "MATCHER_ROLE", "PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"].map((r) => [keccak256(stringToHex(r)), r] as [string, string])]);

interface CallFrame {
  to?: Address;
  from: Address;
  value?: Hex;
  type: string;
  calls?: CallFrame[];
}

function walkCalls(frame: CallFrame, visit: (f: CallFrame) => void) {
  visit(frame);
  for (const c of frame.calls ?? []) walkCalls(c, visit);
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

/** The fork a simulation runs on: its RPC, its pinned block, and the lens snapshot of that block, read once. */
export interface ForkTarget {
  rpcUrl: string;
  blockNumber: bigint;
  before(deployment: Deployment): Promise<ProtocolSnapshot>;
  /** Brings the fork back to the pinned block's state if an earlier simulation changed it (first thing a simulation does). */
  beforeCalls(): Promise<void>;
}

export async function simulateOnFork(fork: ForkTarget, { deployment, calls }: { deployment: Deployment; calls: ProposalCall[] }): Promise<ProposalSimulation> {
  const transport = http(fork.rpcUrl, { timeout: 60_000 });
  const client = createPublicClient({ transport, pollingInterval: 50 }) as PublicClient;
  const test = createTestClient({ mode: "anvil", transport });
  const executor = deployment.contracts.timelock;
  await fork.beforeCalls();
  const before = await fork.before(deployment);
  await test.impersonateAccount({ address: executor });
  await test.setBalance({ address: executor, value: parseEther("100") });
  return executeCalls(client, createWalletClient({ account: executor, transport }), { forkBlock: fork.blockNumber, deployment, calls, before });
}

async function executeCalls(
  client: PublicClient,
  wallet: WalletClient<Transport, undefined, JsonRpcAccount>,
  { forkBlock, deployment, calls, before }: { forkBlock: bigint; deployment: Deployment; calls: ProposalCall[]; before: ProtocolSnapshot },
): Promise<ProposalSimulation> {
  const executor = deployment.contracts.timelock;
  const results: SimulatedCall[] = [];
  const hashes: Hex[] = [];
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
      hashes.push(hash);
      results.push({ ...call, status: receipt.status === "success" ? "success" : "reverted", gasUsed: receipt.gasUsed, events: receipt.logs.map(decodeEvent) });
      if (receipt.status !== "success") executes = false;
    } catch (error) {
      results.push({ ...call, status: "reverted", revert: describeRevert(error), gasUsed: 0n, events: [] });
      executes = false;
    }
  }
  // One revert reverts executeBatch as a whole: nothing the earlier calls did remains.
  const after = executes ? await readSnapshot(client, { deployment }) : before;

  const wasLiquidatable = new Set(findLiquidatable(before));
  const newlyLiquidatable = findLiquidatable(after).filter((a) => !wasLiquidatable.has(a));

  // What the decoder read, applied by the model, against what the chain did.
  const decoded: ParamChange[] = calls.flatMap((c) => {
    const d = decodeCall(c, deployment);
    return d.kind === "change" ? [d.change] : [];
  });
  const modelled = governableState(executes ? applyChanges(before, decoded).snapshot : before);
  const actual = governableState(after);
  const blindSpots = diffGovernableState(modelled, actual).map((d) => `${d.what}: the calls left it at ${d.after}, where the decoded actions say ${d.before}`);

  const traced = executes ? await traceCalls(client, deployment, hashes, results) : { storageChanges: [], contracts: [], movements: [], roleChanges: [] };
  const gasUsed = results.reduce((sum, c) => sum + c.gasUsed, 0n);
  return { forkBlock, calls: results, executes, stateChanges: diffGovernableState(governableState(before), actual), newlyLiquidatable, blindSpots, ...traced, gasUsed };
}

/** Storage, call tree, movements and roles of the mined calls, from their traces and events. */
async function traceCalls(client: PublicClient, deployment: Deployment, hashes: Hex[], results: SimulatedCall[]) {
  const knownAs = deploymentNames(deployment);
  const lastValue = new Map<string, StorageChange>();
  const reached = new Set<string>();
  const movements: Movement[] = [];
  for (const hash of hashes) {
    const [slots, tree] = await Promise.all([
      traceStorageChanges(client, hash),
      client.request({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] } as never) as Promise<CallFrame>,
    ]);
    for (const c of slots) {
      const key = `${c.address.toLowerCase()}:${c.slot}`;
      const earlier = lastValue.get(key);
      lastValue.set(key, { ...c, knownAs: knownAs(c.address), before: earlier?.before ?? c.before });
    }
    walkCalls(tree, (f) => {
      if (f.to) reached.add(getAddress(f.to));
      if (f.to && f.value && BigInt(f.value) > 0n && f.type !== "DELEGATECALL") movements.push({ asset: "ETH", from: getAddress(f.from), to: getAddress(f.to), amount: BigInt(f.value) });
    });
  }
  const events = results.flatMap((r) => r.events);
  for (const e of events) {
    const a = e.args as { from?: Address; to?: Address; value?: bigint } | undefined;
    if (e.name === "Transfer" && a?.from && a.to && typeof a.value === "bigint") movements.push({ asset: knownAs(e.address) ?? e.address, from: a.from, to: a.to, amount: a.value });
  }
  const roleChanges: RoleChange[] = events.flatMap((e) => {
    const a = e.args as { role?: Hex; account?: Address } | undefined;
    if ((e.name !== "RoleGranted" && e.name !== "RoleRevoked") || !a?.role || !a.account) return [];
    return [{ contract: e.address, knownAs: knownAs(e.address), role: ROLE_NAMES.get(a.role) ?? a.role, account: a.account, change: e.name === "RoleGranted" ? "granted" : "revoked" } as RoleChange];
  });
  const contracts = await Promise.all(
    [...reached].map(async (address): Promise<TouchedContract> => ({ address: address as Address, knownAs: knownAs(address as Address), codeHash: codeHashOf(await client.getCode({ address: address as Address })) })),
  );
  const storageChanges = [...lastValue.values()].filter((c) => c.before !== c.after);
  return { storageChanges, contracts, movements, roleChanges };
}
