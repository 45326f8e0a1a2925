import { createPublicClient, createTestClient, createWalletClient, encodeFunctionData, getAddress, http, keccak256, parseEther, type Address } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDuration, formatParameter, MARKET_PARAMETERS, parameterLabel, previewChanges, type MarketParams } from "../../engine/index.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { encodeChange } from "../codec/governanceCodec.ts";
import { clearinghouseAbi, forwarderAbi } from "../contracts/abis.ts";
import { forwarderBytecode } from "../contracts/bytecode.ts";
import { forkChain } from "./forkChain.ts";
import { simulateProposal } from "./simulateProposal.ts";

let chain: LocalChain;
let forwarder: Address;
const deploymentPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-fork-${process.pid}.json`;

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath, log: () => {} });
  const transport = http(chain.rpcUrl);
  const [deployer] = await createWalletClient({ transport }).getAddresses();
  const hash = await createWalletClient({ account: deployer!, chain: foundry, transport }).deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode.bytecode });
  forwarder = (await createPublicClient({ transport }).waitForTransactionReceipt({ hash })).contractAddress!;
}, 180_000);
afterAll(async () => {
  await chain?.stop();
  const { rm } = await import("node:fs/promises");
  await rm(deploymentPath, { force: true });
});

const client = () => createPublicClient({ transport: http(chain.rpcUrl) });
const clearinghouse = () => chain.deployment.contracts.clearinghouse;
/** ETH-PERP's parameters with the maintenance margin (and the initial, to stay above it) doubled. */
async function doubledMargins(): Promise<MarketParams> {
  const eth = (await readSnapshot(client(), { deployment: chain.deployment })).markets[0]!;
  return { ...eth.params, mmrWad: eth.params.mmrWad * 2n, imrWad: eth.params.imrWad * 2n };
}
const setParams = (params: MarketParams) => encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketParams", args: [0n, { imr: params.imrWad, mmr: params.mmrWad, liquidationPenalty: params.liquidationPenaltyWad, keeperShare: params.keeperShareWad, oiCapUsd: params.oiCapUsd, concentrationCap: params.concentrationCapWad, oracleMaxAge: params.oracleMaxAgeSec }] });

describe("simulateProposal", () => {
  it("runs calls the decoder cannot read — a role granted to a forwarder, then a margin change through it — and shows what they do, as the chain then does", async () => {
    const governance = await client().readContract({ address: clearinghouse(), abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
    const params = await doubledMargins();
    const calls = [
      { target: clearinghouse(), value: 0n, calldata: encodeFunctionData({ abi: clearinghouseAbi, functionName: "grantRole", args: [governance, forwarder] }) },
      { target: forwarder, value: 0n, calldata: encodeFunctionData({ abi: forwarderAbi, functionName: "forward", args: [clearinghouse(), setParams(params)] }) },
    ];
    const before = await readSnapshot(client(), { deployment: chain.deployment });
    const sim = await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls });

    expect(sim.executes).toBe(true);
    expect(sim.calls.map((c) => c.status)).toEqual(["success", "success"]);
    expect(sim.calls[0]!.events.map((e) => e.name)).toContain("RoleGranted");
    expect(sim.calls[1]!.events.some((e) => e.name !== null && e.address.toLowerCase() === clearinghouse().toLowerCase())).toBe(true);
    const label = (param: keyof MarketParams) => `ETH-PERP ${parameterLabel(MARKET_PARAMETERS.find((p) => p.param === param)!)}`;
    const shown = (param: keyof MarketParams, v: bigint) => formatParameter(MARKET_PARAMETERS.find((p) => p.param === param)!, v);
    expect(sim.stateChanges).toEqual([
      { what: label("imrWad"), before: shown("imrWad", before.markets[0]!.params.imrWad), after: shown("imrWad", params.imrWad) },
      { what: label("mmrWad"), before: shown("mmrWad", before.markets[0]!.params.mmrWad), after: shown("mmrWad", params.mmrWad) },
    ]);
    // The decoder read neither call: both changes are blind spots.
    expect(sim.blindSpots).toHaveLength(2);
    expect(sim.blindSpots[1]).toMatch(/^ETH-PERP Maintenance margin \(MMR\): the calls left it at/);
    // The engine on the fork agrees with the model preview of the same change, account for account.
    const modelled = previewChanges(before, [{ kind: "setMarketParams", marketId: 0, params }]).newlyLiquidatable.map((a) => a.address);
    expect(modelled.length).toBeGreaterThan(0);
    expect([...sim.newlyLiquidatable].sort()).toEqual([...modelled].sort());

    // And the chain, executing the same calls as the timelock, ends where the fork said.
    const transport = http(chain.rpcUrl);
    const test = createTestClient({ mode: "anvil", transport });
    const timelock = chain.deployment.contracts.timelock;
    await test.impersonateAccount({ address: timelock });
    await test.setBalance({ address: timelock, value: parseEther("10") });
    const wallet = createWalletClient({ account: timelock, transport });
    for (const c of calls) await client().waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: c.target, data: c.calldata, chain: null }) });
    await test.stopImpersonatingAccount({ address: timelock });
    const executed = await readSnapshot(client(), { deployment: chain.deployment });
    expect(executed.markets[0]!.params).toEqual(params);
  }, 120_000);

  it("a call that reverts reverts the whole proposal: its reason in words, the later calls not run, nothing changed", async () => {
    const bad = { ...(await doubledMargins()) };
    bad.mmrWad = bad.imrWad; // MMR must stay below IMR
    const calls = [
      { target: forwarder, value: 0n, calldata: encodeFunctionData({ abi: forwarderAbi, functionName: "forward", args: [clearinghouse(), setParams(bad)] }) },
      encodeChange({ kind: "setGracePeriod", seconds: 60n }, chain.deployment),
    ];
    const sim = await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls });
    expect(sim.executes).toBe(false);
    expect(sim.calls.map((c) => c.status)).toEqual(["reverted", "not run"]);
    expect(sim.calls[0]!.revert).toMatch(/^the call it forwarded reverted: /);
    expect(sim.calls[0]!.revert).not.toMatch(/0x[0-9a-f]{8}/i);
    expect(sim.stateChanges).toEqual([]);
    expect(sim.newlyLiquidatable).toEqual([]);
  }, 120_000);

  it("a call the decoder reads leaves no blind spot", async () => {
    const sim = await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls: [encodeChange({ kind: "setGracePeriod", seconds: 120n }, chain.deployment)] });
    expect(sim.calls[0]!.status).toBe("success");
    expect(sim.stateChanges).toEqual([{ what: "Liquidation grace after unpause", before: expect.any(String), after: "2 min" }]);
    expect(sim.blindSpots).toEqual([]);
  }, 120_000);

  it("reports the storage slot the change writes, the contracts reached with their code hash, the role granted and the gas", async () => {
    const stranger = "0x00000000000000000000000000000000000000aa" as Address;
    const governance = await client().readContract({ address: clearinghouse(), abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
    const calls = [
      encodeChange({ kind: "setGracePeriod", seconds: 7_777n }, chain.deployment),
      { target: clearinghouse(), value: 0n, calldata: encodeFunctionData({ abi: clearinghouseAbi, functionName: "grantRole", args: [governance, stranger] }) },
    ];
    const sim = await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls });
    expect(sim.executes).toBe(true);
    // The grace period's slot: the one whose value after is 7,777, on the clearinghouse, and no other slot holds that value.
    const graceSlots = sim.storageChanges.filter((c) => BigInt(c.after) === 7_777n);
    expect(graceSlots).toHaveLength(1);
    expect(graceSlots[0]!.address.toLowerCase()).toBe(clearinghouse().toLowerCase());
    expect(graceSlots[0]!.knownAs).toBe("clearinghouse");
    // And the chain agrees: that slot holds the grace period the lens reads.
    const onChain = await client().getStorageAt({ address: clearinghouse(), slot: graceSlots[0]!.slot });
    expect(BigInt(graceSlots[0]!.before)).toBe(BigInt(onChain!));
    expect(BigInt(onChain!)).toBe((await readSnapshot(client(), { deployment: chain.deployment })).global.gracePeriodSec);
    // The role granted: a mapping slot set to true, and the event in words.
    expect(sim.roleChanges).toEqual([{ contract: expect.stringMatching(new RegExp(clearinghouse(), "i")), knownAs: "clearinghouse", role: "GOVERNANCE_ROLE", account: getAddress(stranger), change: "granted" }]);
    expect(sim.storageChanges.some((c) => BigInt(c.after) === 1n && BigInt(c.before) === 0n)).toBe(true);
    const ch = sim.contracts.find((c) => c.address.toLowerCase() === clearinghouse().toLowerCase());
    expect(ch?.knownAs).toBe("clearinghouse");
    expect(ch?.codeHash).toBe(keccak256((await client().getCode({ address: clearinghouse() }))!));
    expect(sim.gasUsed).toBe(sim.calls.reduce((s, c) => s + c.gasUsed, 0n));
    expect(sim.gasUsed).toBeGreaterThan(0n);
  }, 120_000);

  it("a fork that does not finish in time is killed — its anvil process is gone — and the failure says so in words; the next simulation runs as usual", async () => {
    const calls = [encodeChange({ kind: "setGracePeriod", seconds: 90n }, chain.deployment)];
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // 1 ms: a simulation is a dozen calls to the fork, never done that soon, however fast the machine.
    const fork = await forkChain({ forkUrl: chain.rpcUrl, timeoutMs: 1 });
    expect(alive(fork.pid)).toBe(true);
    await expect(fork.simulate({ deployment: chain.deployment, calls })).rejects.toThrow("the fork did not finish within 0.001 s and was stopped");
    expect(alive(fork.pid)).toBe(false);
    await expect(fork.simulate({ deployment: chain.deployment, calls })).rejects.toThrow("the fork did not finish within 0.001 s and was stopped");
    await expect(simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls, timeoutMs: 1 })).rejects.toThrow("the fork did not finish within 0.001 s and was stopped");
    expect((await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls })).executes).toBe(true);
  }, 120_000);

  it("proposals simulated one after another on one fork each start from the pinned block: the second does not see the first's change", async () => {
    const fork = await forkChain({ forkUrl: chain.rpcUrl });
    try {
      const grace = (seconds: bigint) => [encodeChange({ kind: "setGracePeriod", seconds }, chain.deployment)];
      const first = await fork.simulate({ deployment: chain.deployment, calls: grace(111n) });
      const second = await fork.simulate({ deployment: chain.deployment, calls: grace(222n) });
      expect(first.stateChanges).toEqual([{ what: "Liquidation grace after unpause", before: second.stateChanges[0]!.before, after: formatDuration(111n) }]);
      expect(second.stateChanges[0]!.before).not.toBe(formatDuration(111n));
      expect(second.storageChanges.map((c) => c.before)).toEqual(first.storageChanges.map((c) => c.before));
    } finally {
      await fork.stop();
    }
  }, 120_000);
});
