/**
 * The fork simulation held against the chain. For each incident replay, and for the proposals the
 * browser tests make, a proposal is taken through the governor and the timelock; at the block
 * before it executes it is simulated on a fork (lib/fork/simulateProposal) and the watchdog
 * checks it; then the chain executes it for real and what it did is read from the chain itself:
 *
 *   - the governable state, through the lens, before and after the execution block;
 *   - the storage slots the execution transaction wrote (its prestate diff), less the governor's
 *     and the timelock's own bookkeeping (proposal executed, operation done), which the
 *     simulation, calling as the timelock, does not do;
 *   - the accounts liquidatable by the contract's own rule (positions, and equity below
 *     maintenance margin by `accountRisk`) after and not before.
 *
 * The three must equal the simulation's. The replays' own proposals are watched too: tornado-2023's
 * target is swapped after the vote, so what voters saw departs from what runs — the watchdog's
 * re-simulation after the swap names the departure and agrees with the chain. The replays without a
 * proposal of their own get one after the incident, in the state the incident left: every market's
 * margins raised by half and a longer grace period.
 */

import { createPublicClient, createTestClient, createWalletClient, http, keccak256, stringToHex, type Address, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { afterEach, describe, expect, it } from "vitest";
import { computeAccountRisk, WAD, type ProtocolSnapshot } from "../engine/index.ts";
import { readProposals } from "../lib/actions/readProposals.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { backstopGovernorAbi, backstopTimelockAbi, clearinghouseAbi, forwarderAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { forwarderBytecode } from "../lib/contracts/bytecode.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { createWatchdog, type WatchdogFinding } from "../lib/fork/createWatchdog.ts";
import { diffGovernableState, governableState } from "../lib/fork/governableState.ts";
import type { ProposalSimulation } from "../lib/fork/simulateOnFork.ts";
import { simulateProposal } from "../lib/fork/simulateProposal.ts";
import { traceStorageChanges } from "../lib/fork/traceStorageChanges.ts";
import { forwarderProposal } from "../lib/testing/forwarderProposal.ts";
import { queueProposal } from "../lib/testing/queueProposal.ts";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { createReplayHarness, type ReplayHarness } from "./harness.ts";
import { replays } from "./index.ts";
import { deployTornadoPayloads, swapTornadoPayload, tornadoDescription } from "./tornado-2023.ts";

interface Executed {
  stateChanges: ProposalSimulation["stateChanges"];
  storageChanges: { address: string; slot: string; before: string; after: string }[];
  newlyLiquidatable: string[];
}

interface Watched {
  proposalId: bigint;
  /** The fork at the queue block: what voters saw. */
  voters: ProposalSimulation;
  /** The fork at the block before execution, and the watchdog's check there. */
  beforeExecution: ProposalSimulation;
  watchdog: WatchdogFinding;
  executed: Executed;
}

/** Accounts liquidatable by the contract's rule: positions held and equity below maintenance margin. */
async function liquidatableOnChain(client: PublicClient, clearinghouse: Address, snapshot: ProtocolSnapshot): Promise<Set<string>> {
  const flags = await Promise.all(
    snapshot.accounts.map(async ({ address }) => {
      const [[equity, mm], [, , positions]] = await Promise.all([
        client.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "accountRisk", args: [address as Address] }),
        client.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "getAccount", args: [address as Address] }),
      ]);
      return positions.length > 0 && equity < BigInt(mm);
    }),
  );
  return new Set(snapshot.accounts.filter((_, i) => flags[i]).map((a) => a.address.toLowerCase()));
}

const slots = (changes: { address: string; slot: string; before: string; after: string }[]) =>
  changes.map((c) => ({ address: c.address.toLowerCase(), slot: c.slot, before: c.before, after: c.after })).sort((a, b) => `${a.address}${a.slot}`.localeCompare(`${b.address}${b.slot}`));
const sorted = (accounts: readonly string[]) => accounts.map((a) => a.toLowerCase()).sort();

/**
 * Watches every proposal the chain queues and executes through `execute`: simulated at its queue
 * block, re-simulated and checked by the watchdog at the block before execution, then executed
 * and read back from the chain. Before that last block the oracle's `operator` posts every price
 * again, unchanged, as a live oracle would have during the timelock's delay: otherwise they are
 * older than the markets' maximum age and the contract refuses to value an account.
 */
function createWitness(rpcUrl: string, deployment: Deployment, operator: Address) {
  const client = createPublicClient({ transport: http(rpcUrl), cacheTime: 0 }) as PublicClient;
  const watchdog = createWatchdog({ forkUrl: rpcUrl, deployment, everyBlocks: 1n });
  const voters = new Map<bigint, ProposalSimulation>();
  const watched: Watched[] = [];
  const callsOf = async (proposalId: bigint) => {
    const p = (await readProposals(client, { deployment, blockNumber: await client.getBlockNumber() })).find((x) => x.id === proposalId)!;
    return p.targets.map((target, i) => ({ target, value: p.values[i]!, calldata: p.calldatas[i]! }));
  };
  return {
    watched,
    async queued(proposalId: bigint) {
      voters.set(proposalId, await simulateProposal({ forkUrl: rpcUrl, deployment, calls: await callsOf(proposalId) }));
    },
    async execute<R extends { transactionHash: `0x${string}`; status: string }>(proposalId: bigint, run: () => Promise<R>): Promise<R> {
      const current = await readSnapshot(client, { deployment });
      const prices = new Map<`0x${string}`, bigint>([...current.markets.map((m) => [m.feedId, m.markPriceWad] as const), ...current.collaterals.map((c) => [c.feedId, c.priceWad] as const)]);
      const oracle = createWalletClient({ account: operator, chain: foundry, transport: http(rpcUrl) });
      await client.waitForTransactionReceipt({ hash: await oracle.writeContract({ address: deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrices", args: [[...prices.keys()], [...prices.values()]] }) });
      const blockNumber = await client.getBlockNumber();
      const beforeExecution = await simulateProposal({ forkUrl: rpcUrl, deployment, blockNumber, calls: await callsOf(proposalId) });
      const [finding] = (await watchdog.check(client, blockNumber)).filter((f) => f.proposalId === proposalId);
      const before = await readSnapshot(client, { deployment, blockNumber });
      const liquidatableBefore = await liquidatableOnChain(client, deployment.contracts.clearinghouse, before);
      const receipt = await run();
      expect(receipt.status).toBe("success");
      const after = await readSnapshot(client, { deployment });
      const bookkeeping = new Set([deployment.contracts.governor, deployment.contracts.timelock].map((a) => a.toLowerCase()));
      const executed: Executed = {
        stateChanges: diffGovernableState(governableState(before), governableState(after)),
        storageChanges: (await traceStorageChanges(client, receipt.transactionHash)).filter((c) => !bookkeeping.has(c.address.toLowerCase())),
        newlyLiquidatable: [...(await liquidatableOnChain(client, deployment.contracts.clearinghouse, after))].filter((a) => !liquidatableBefore.has(a)),
      };
      watched.push({ proposalId, voters: voters.get(proposalId)!, beforeExecution, watchdog: finding!, executed });
      return receipt;
    },
  };
}

/** The prediction at the block before execution is what the chain did. */
function expectAgreement(w: Watched) {
  expect(w.beforeExecution.executes).toBe(true);
  expect(w.executed.stateChanges).toEqual(w.beforeExecution.stateChanges);
  expect(slots(w.executed.storageChanges)).toEqual(slots(w.beforeExecution.storageChanges));
  expect(sorted(w.executed.newlyLiquidatable)).toEqual(sorted(w.beforeExecution.newlyLiquidatable));
}

async function governorTimings(client: PublicClient, deployment: Deployment) {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const [votingDelay, votingPeriod, minDelay] = await Promise.all([
    client.readContract({ ...governor, functionName: "votingDelay" }),
    client.readContract({ ...governor, functionName: "votingPeriod" }),
    client.readContract({ address: deployment.contracts.timelock, abi: backstopTimelockAbi, functionName: "getMinDelay" }),
  ]);
  return { votingDelay: Number(votingDelay), votingPeriod: Number(votingPeriod), minDelaySec: Number(minDelay) };
}

/**
 * After an incident with no proposal of its own, one that bites: every market's maintenance margin
 * (and the initial, where it would fall below) multiplied by a little more than the lowest health
 * among the accounts still healthy with positions, so that at least that account becomes
 * liquidatable; and a minute more of grace. Through the governor. Returns whether it bites: an
 * account was healthy with positions and no market's initial margin would pass 100%.
 */
async function proposeAfterIncident(h: ReplayHarness): Promise<boolean> {
  const { deployment } = h.fixture;
  const snapshot = await h.snapshot();
  const healthBps = snapshot.accounts
    .filter((a) => a.positions.length > 0)
    .map((a) => computeAccountRisk(snapshot, a))
    .filter((r) => r.maintenanceMarginUsd > 0n && r.equityUsd >= r.maintenanceMarginUsd)
    .map((r) => (r.equityUsd * 10_000n) / r.maintenanceMarginUsd)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const factorBps = (healthBps[0] ?? 15_000n) + 10n;
  const marginCalls = snapshot.markets.flatMap((m) => {
    const mmrWad = (m.params.mmrWad * factorBps) / 10_000n;
    const imrWad = m.params.imrWad > mmrWad ? m.params.imrWad : mmrWad + 10n ** 16n;
    return imrWad <= WAD ? [encodeChange({ kind: "setMarketParams", marketId: m.id, params: { ...m.params, imrWad, mmrWad } }, deployment)] : [];
  });
  const calls = [
    ...marginCalls,
    encodeChange({ kind: "setGracePeriod", seconds: snapshot.global.gracePeriodSec + 60n }, deployment),
  ];
  const timings = await governorTimings(h.fixture.publicClient as PublicClient, deployment);
  const voter = await h.actor("fork-agreement-voter");
  await h.giveVotes(voter, 5_000_000);
  await h.mine(1);
  const id = await h.propose(voter, calls, "# Margins raised past the weakest healthy account after the incident");
  await h.mine(timings.votingDelay + 1);
  await h.vote(voter, id, "For");
  await h.mine(timings.votingPeriod + 1);
  await h.queue(id);
  await h.fixture.testClient.increaseTime({ seconds: timings.minDelaySec + 1 });
  await h.mine(1);
  await h.execute(id);
  return healthBps.length > 0 && marginCalls.length === snapshot.markets.length;
}

let h: ReplayHarness | undefined;
let chain: LocalChain | undefined;
afterEach(async () => {
  await h?.stop();
  await chain?.stop();
  h = chain = undefined;
});

describe("the fork simulation agrees with the chain's execution", () => {
  it.each(replays.map((r) => [r.name, r] as const))(
    "%s: the proposal's state diff, storage writes and newly liquidatable accounts, predicted at the block before execution, are what executing it does",
    async (name, replay) => {
      h = await createReplayHarness(replay.harness);
      const witness = createWitness(h.rpcUrl, h.fixture.deployment, h.fixture.deployer);
      const { queue, execute } = h;
      h.queue = async (id) => {
        await queue(id);
        await witness.queued(id);
      };
      h.execute = (id) => witness.execute(id, () => execute(id));
      await replay.run(h, () => {});
      const bites = witness.watched.length ? false : await proposeAfterIncident(h);

      expect(witness.watched).toHaveLength(1);
      const [w] = witness.watched as [Watched];
      expectAgreement(w);
      if (name === "tornado-2023") {
        // Swapped after the vote: what voters saw is not what ran, and the watchdog said so before it did.
        expect(slots(w.voters.storageChanges)).not.toEqual(slots(w.executed.storageChanges));
        expect(w.watchdog.differences).toContainEqual(expect.stringMatching(/^the calls now reach 0x[0-9a-f]{40} \(code 0x[0-9a-f]{8}…\), which the execution voters saw did not$/));
        expect(w.watchdog.differences).toContainEqual(expect.stringMatching(/^1 storage slot ends elsewhere than voters saw/));
      } else {
        // Nothing moved between the vote and the execution: voters saw what ran, and the watchdog was calm.
        expect(w.watchdog.differences).toEqual([]);
        expect(w.watchdog.error).toBeUndefined();
        expect(w.executed.stateChanges).toEqual(w.voters.stateChanges);
        expect(w.executed.stateChanges.length).toBeGreaterThan(0);
        // Margins raised past the weakest healthy account: where that is possible, the chain liquidates someone.
        if (bites) expect(w.executed.newlyLiquidatable.length).toBeGreaterThan(0);
      }
    },
    240_000,
  );

  it("the browser tests' proposals: the forwarder's margin raise liquidates what the fork said, and the tornado payload's swap runs as the watchdog's re-simulation said", async () => {
    const deploymentPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-fork-agreement-${process.pid}.json`;
    chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath, log: () => {} });
    const { deployment, rpcUrl } = chain;
    const transport = http(rpcUrl);
    const client = createPublicClient({ transport }) as PublicClient;
    const test = createTestClient({ mode: "anvil", transport });
    const dev = await createWalletClient({ transport }).getAddresses();
    const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });
    const witness = createWitness(rpcUrl, deployment, dev[0]!);
    const { minDelaySec } = await governorTimings(client, deployment);
    const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi, chain: foundry } as const;

    const forwarder = (await client.waitForTransactionReceipt({ hash: await as(dev[0]!).deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode.bytecode }) })).contractAddress!;
    const sol = (await readSnapshot(client, { deployment })).markets[2]!;
    const margin = await forwarderProposal(client, { deployment, forwarder, market: sol, raiseWad: 10n ** 17n });
    const marginDescription = "# Routine maintenance\n\nHousekeeping.";
    const marginId = await queueProposal({ rpcUrl, deployment, ...margin, description: marginDescription });
    await witness.queued(marginId);

    const attacker = dev[4]!;
    const payloads = await deployTornadoPayloads(rpcUrl, attacker);
    const tornado = { targets: [payloads.call.target], values: [0n], calldatas: [payloads.call.calldata], description: tornadoDescription(payloads.target) };
    const tornadoId = await queueProposal({ rpcUrl, deployment, ...tornado });
    await witness.queued(tornadoId);
    await swapTornadoPayload(rpcUrl, attacker, payloads);

    await test.increaseTime({ seconds: minDelaySec + 1 });
    await test.mine({ blocks: 1 });
    for (const [id, p] of [[marginId, { ...margin, description: marginDescription }], [tornadoId, tornado]] as const) {
      await witness.execute(id, async () =>
        client.waitForTransactionReceipt({ hash: await as(dev[3]!).writeContract({ ...governor, functionName: "execute", args: [p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))] }) }),
      );
    }
    const [marginRun, tornadoRun] = witness.watched as [Watched, Watched];
    expectAgreement(marginRun);
    expect(marginRun.executed.newlyLiquidatable.length).toBeGreaterThan(0);
    expect(marginRun.watchdog.differences).toEqual([]);
    expectAgreement(tornadoRun);
    expect(slots(tornadoRun.voters.storageChanges)).not.toEqual(slots(tornadoRun.executed.storageChanges));
    expect(tornadoRun.watchdog.differences.length).toBeGreaterThan(0);
    const { rm } = await import("node:fs/promises");
    await rm(deploymentPath, { force: true });
  }, 300_000);
});
