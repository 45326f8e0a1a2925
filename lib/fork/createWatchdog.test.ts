import { createPublicClient, createTestClient, createWalletClient, encodeFunctionData, http, keccak256, stringToHex, type Address, type Hex } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDuration } from "../../engine/index.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { readProposalStages } from "../actions/readProposalRecord.ts";
import { readProposals } from "../actions/readProposals.ts";
import { encodeChange } from "../codec/governanceCodec.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { backstopTimelockAbi, priceOracleAbi, clearinghouseAbi, forwarderAbi } from "../contracts/abis.ts";
import { forwarderBytecode } from "../contracts/bytecode.ts";
import { timelockOperationId } from "../governance/timelockOperationId.ts";
import { queueProposal } from "../testing/queueProposal.ts";
import { createWatchdog } from "./createWatchdog.ts";
import { simulateProposal } from "./simulateProposal.ts";

let chain: LocalChain;
const deploymentPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-watchdog-${process.pid}.json`;

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 200, deploymentPath, log: () => {} });
}, 180_000);
afterAll(async () => {
  await chain?.stop();
  const { rm } = await import("node:fs/promises");
  await rm(deploymentPath, { force: true });
});

const transport = () => http(chain.rpcUrl);
const client = () => createPublicClient({ transport: transport() });
const testClient = () => createTestClient({ mode: "anvil", transport: transport() });
const as = (account: Address) => createWalletClient({ chain: foundry, account, transport: transport() });
const mined = (hash: Hex) => client().waitForTransactionReceipt({ hash });

describe("createWatchdog", () => {
  it("a queued proposal that still does what voters saw raises nothing; once its forwarder's code is swapped it is flagged critical, naming the new revert and the code change; the guardian's cancel ends it", async () => {
    const dev = await createWalletClient({ transport: transport() }).getAddresses();
    const clearinghouse = chain.deployment.contracts.clearinghouse;
    const forwarder = (await mined(await as(dev[0]!).deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode.bytecode }))).contractAddress!;
    const governance = await client().readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
    const grace = encodeChange({ kind: "setGracePeriod", seconds: 4_321n }, chain.deployment);
    const targets = [clearinghouse, forwarder];
    const calldatas = [encodeFunctionData({ abi: clearinghouseAbi, functionName: "grantRole", args: [governance, forwarder] }), encodeFunctionData({ abi: forwarderAbi, functionName: "forward", args: [clearinghouse, grace.calldata] })];
    const description = "# Grace period through a forwarder";
    const id = await queueProposal({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, targets, values: [0n, 0n], calldatas, description });
    const watchdog = createWatchdog({ forkUrl: chain.rpcUrl, deployment: chain.deployment, everyBlocks: 5n });

    const calm = await watchdog.check(client() as never, await client().getBlockNumber());
    expect(calm).toEqual([expect.objectContaining({ proposalId: id, differences: [] })]);
    expect(calm[0]!.error).toBeUndefined();
    expect(watchdog.alerts()).toEqual([]);

    // The forwarder's code becomes one that always reverts (PUSH0 PUSH0 REVERT); blocks pass.
    // A block first: anvil_setCode rewrites the latest block's state, and that is the queue block.
    await testClient().mine({ blocks: 1 });
    await testClient().setCode({ address: forwarder, bytecode: "0x5f5ffd" });
    await testClient().mine({ blocks: 5 });
    const flagged = await watchdog.check(client() as never, await client().getBlockNumber());
    expect(flagged).toHaveLength(1);
    const differences = flagged[0]!.differences;
    expect(differences).toContainEqual(expect.stringMatching(/^call 2 now reverts: /));
    expect(differences).toContainEqual(expect.stringMatching(new RegExp(`^the code of ${forwarder.toLowerCase()} changed`)));
    expect(differences).toContainEqual(`Liquidation grace after unpause: voters saw it end at ${formatDuration(4_321n)}; now it is not changed`);
    const [alert] = watchdog.alerts();
    expect(alert).toMatchObject({ id: `watchdog:${id}`, severity: "critical", href: `/governance/${id}` });
    expect(alert!.detail).toContain("call 2 now reverts");

    // The guardian (the deployer) cancels the queued operation on the timelock; the governor reads Canceled.
    const timelock = chain.deployment.contracts.timelock;
    const operation = timelockOperationId({ governor: chain.deployment.contracts.governor, targets, values: [0n, 0n], calldatas, descriptionHash: keccak256(stringToHex(description)) });
    expect(await client().readContract({ address: timelock, abi: backstopTimelockAbi, functionName: "isOperationPending", args: [operation] })).toBe(true);
    await mined(await as(dev[0]!).writeContract({ address: timelock, abi: backstopTimelockAbi, functionName: "cancel", args: [operation], chain: foundry }));
    const latest = await client().getBlockNumber();
    expect((await readProposals(client() as never, { deployment: chain.deployment, blockNumber: latest })).find((p) => p.id === id)?.state).toBe("Canceled");
    expect(await watchdog.check(client() as never, latest)).toEqual([]);
    expect(watchdog.alerts()).toEqual([]);
  }, 240_000);

  it("a queued margin increase, as ETH's price moves, is judged against the band the proposal page showed voters, not the count of the simulation they saw: its liquidations are flagged exactly when they pass the band's top", async () => {
    const before = await readSnapshot(client() as never, { deployment: chain.deployment });
    const eth = before.markets[0]!;
    const doubled = { kind: "setMarketParams", marketId: eth.id, params: { ...eth.params, imrWad: eth.params.imrWad * 2n, mmrWad: eth.params.mmrWad * 2n } } as const;
    const change = encodeChange(doubled, chain.deployment);
    const id = await queueProposal({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, targets: [change.target], values: [0n], calldatas: [change.calldata], description: "# ETH-PERP margins doubled" });
    const watchdog = createWatchdog({ forkUrl: chain.rpcUrl, deployment: chain.deployment, everyBlocks: 1n });
    await testClient().mine({ blocks: 1 });
    const [calm] = await watchdog.check(client() as never, await client().getBlockNumber());
    expect(calm).toMatchObject({ proposalId: id, differences: [] });
    const shown = (await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls: [change] })).newlyLiquidatable.length;
    // The band the proposal page's stage table shows for the end of voting (readProposalStages, as the page reads it).
    const latest = await client().getBlockNumber();
    const proposal = (await readProposals(client() as never, { deployment: chain.deployment, blockNumber: latest })).find((p) => p.id === id)!;
    const band = (await readProposalStages(client() as never, { deployment: chain.deployment, proposal, changes: [doubled], snapshot: { blockNumber: latest } })).find((s) => s.stage === "voting ended")!.band!;

    // The oracle's operator (the deployer) moves ETH, further each time; after each move the watchdog
    // flags the proposal's liquidations exactly when they pass the band's top, not the simulation's count.
    const [operator] = await createWalletClient({ transport: transport() }).getAddresses();
    const counts: number[] = [];
    for (const movePct of [-1n, 1n, -2n, 2n, -3n, 3n, -5n, 5n, -8n, 8n]) {
      const saved = await testClient().snapshot();
      const posted = await mined(await as(operator!).writeContract({ address: chain.deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrices", args: [[eth.feedId], [(eth.markPriceWad * (100n + movePct)) / 100n]] }));
      expect(posted.status).toBe("success");
      const [checked] = await watchdog.check(client() as never, await client().getBlockNumber());
      const liquidated = (await simulateProposal({ forkUrl: chain.rpcUrl, deployment: chain.deployment, calls: [change] })).newlyLiquidatable.length;
      counts.push(liquidated);
      const top = Math.max(band.p95, shown);
      expect(checked!.differences.filter((d) => d.includes("newly liquidatable"))).toEqual(liquidated > top ? [`${liquidated} accounts newly liquidatable, above what voters were shown (${band.p5}–${band.p95} across the execution window, ${shown} at the queue block)`] : []);
      await testClient().revert({ id: saved });
    }
    // Some move liquidates more than the simulation voters saw: the count alone would have flagged it.
    expect(Math.max(...counts)).toBeGreaterThan(shown);
  }, 300_000);

  it("onBlock starts a pass only every `everyBlocks` blocks", async () => {
    const watchdog = createWatchdog({ forkUrl: chain.rpcUrl, deployment: chain.deployment, everyBlocks: 10n });
    const at = await client().getBlockNumber();
    await testClient().mine({ blocks: 10 });
    watchdog.onBlock(client() as never, at);
    await expect.poll(() => watchdog.lastPass()?.blockNumber, { timeout: 30_000 }).toBe(at);
    watchdog.onBlock(client() as never, at + 3n);
    watchdog.onBlock(client() as never, at + 9n);
    await new Promise((r) => setTimeout(r, 200));
    expect(watchdog.lastPass()?.blockNumber).toBe(at);
    watchdog.onBlock(client() as never, at + 10n);
    await expect.poll(() => watchdog.lastPass()?.blockNumber, { timeout: 30_000 }).toBe(at + 10n);
  }, 60_000);
});
