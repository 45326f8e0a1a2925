import { expect, test } from "@playwright/test";
import { createTestClient, createWalletClient, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { formatParameter, MARKET_PARAMETERS, previewChanges } from "../engine/index.ts";
import { backstopGovernorAbi, backstopTimelockAbi, forwarderAbi } from "../lib/contracts/abis.ts";
import { forwarderBytecode } from "../lib/contracts/bytecode.ts";
import { forwarderProposal } from "../lib/testing/forwarderProposal.ts";
import { createdProposalId, queueProposal } from "../lib/testing/queueProposal.ts";
import { deployTornadoPayloads, swapTornadoPayload, tornadoDescription } from "../replays/tornado-2023.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { connect, installWallet, sentTransactions, switchAccount } from "./fixtures/wallet.ts";

test("a proposal whose calls the decoder cannot read — a forwarder granted the governance role, then a margin change through it — is executed on a fork: the page shows what it changes, whom it liquidates, and the decoder's blind spot", async ({ page }) => {
  test.setTimeout(120_000);
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });

  const deployed = await chain.client.waitForTransactionReceipt({ hash: await as(dev[0]!).deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode.bytecode }) });
  const forwarder = deployed.contractAddress!;
  const before = await chain.snapshot();
  const sol = before.markets[2]!;
  // Ten points more of both margins than SOL-PERP has now (an earlier test may have raised them already).
  const { targets, values, calldatas, params } = await forwarderProposal(chain.client, { deployment: chain.deployment, forwarder, market: sol, raiseWad: 10n ** 17n });
  const proposed = await chain.client.waitForTransactionReceipt({
    hash: await as(dev[3]!).writeContract({ address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "propose", args: [targets, values, calldatas, "# Routine maintenance\n\nHousekeeping."], chain: foundry }),
  });
  const id = createdProposalId(proposed);

  await page.goto(`/governance/${id}`);
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Executed on a fork" }) });
  await expect(section).toContainText("executed as the timelock: it executes.", { timeout: 60_000 });
  const blind = section.getByRole("alert");
  await expect(blind).toContainText("The calls do something the calldata decoder did not read");
  const mmr = MARKET_PARAMETERS.find((p) => p.param === "mmrWad")!;
  await expect(blind).toContainText(`SOL-PERP Maintenance margin (MMR): the calls left it at ${formatParameter(mmr, params.mmrWad)}`);
  const row = section.getByRole("table", { name: "Governable values the fork changed, before and after" }).getByRole("row", { name: /SOL-PERP Maintenance margin \(MMR\)/ });
  await expect(row).toContainText(`${formatParameter(mmr, sol.params.mmrWad)}${formatParameter(mmr, params.mmrWad)}`);
  // Whom it liquidates: what the model preview of the same change says, from the engine, account for account.
  const expected = previewChanges(await chain.snapshot(), [{ kind: "setMarketParams", marketId: sol.id, params }]).newlyLiquidatable.length;
  expect(expected).toBeGreaterThan(0);
  await expect(section).toContainText(`Newly liquidatable on the fork after it: ${expected}`);
  // From the traces: the forwarder granted the governance role, the clearinghouse's storage written, the forwarder unknown to the deployment.
  await expect(section.getByRole("table", { name: "Role grants and revocations" }).getByRole("row", { name: /GOVERNANCE_ROLE/ })).toContainText(new RegExp(`${forwarder}\\s*granted`, "i"));
  await expect(section.getByRole("table", { name: "Storage slots changed" })).toContainText("clearinghouse");
  await expect(section.getByRole("table", { name: "Contracts reached" }).getByRole("row", { name: new RegExp(forwarder, "i") })).toContainText("no — unknown to the deployment");
  await page.screenshot({ path: test.info().outputPath("fork-simulation.png"), fullPage: true });
  // The fork is thrown away: the chain itself is unchanged.
  expect((await chain.snapshot()).markets[2]!.params).toEqual(sol.params);
});

test("a draft in the builder is executed on a fork before it is proposed: the page shows the parameter's before → after and whom it liquidates, as the engine says", async ({ page }) => {
  test.setTimeout(120_000);
  const chain = e2eChain();
  const before = await chain.snapshot();
  const sol = before.markets[2]!;
  // Ten points more of both margins than SOL-PERP has now (an earlier test may have raised them already).
  const params = { ...sol.params, imrWad: sol.params.imrWad + 10n ** 17n, mmrWad: sol.params.mmrWad + 10n ** 17n };
  const pct = (wad: bigint) => String(Number(wad / 10n ** 14n) / 100);
  await page.goto("/governance/new");
  await page.getByRole("combobox", { name: "Market", exact: true }).selectOption({ label: "SOL-PERP" });
  await page.getByLabel("SOL-PERP Initial margin (IMR, %)").fill(pct(params.imrWad));
  await page.getByLabel("SOL-PERP Maintenance margin (MMR, %)").fill(pct(params.mmrWad));
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Executed on a fork" }) });
  await section.getByRole("button", { name: "Execute on a fork" }).click();
  await expect(section).toContainText("executed as the timelock: it executes.", { timeout: 60_000 });
  const mmr = MARKET_PARAMETERS.find((p) => p.param === "mmrWad")!;
  const row = section.getByRole("table", { name: "Governable values the fork changed, before and after" }).getByRole("row", { name: /SOL-PERP Maintenance margin \(MMR\)/ });
  await expect(row).toContainText(`${formatParameter(mmr, sol.params.mmrWad)}${formatParameter(mmr, params.mmrWad)}`);
  const expected = previewChanges(await chain.snapshot(), [{ kind: "setMarketParams", marketId: sol.id, params }]).newlyLiquidatable.length;
  await expect(section).toContainText(`Newly liquidatable on the fork after it: ${expected}`);
  // The decoder reads every call of a builder draft: no blind spot.
  await expect(section.getByText("The calls do something the calldata decoder did not read")).toHaveCount(0);
  // A body that is not a list of calls is refused in words.
  const bad = await page.request.post("/api/simulate", { data: { calls: [{ target: "0x12", value: "0", calldata: "0x" }] } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toBe("simulation.calls[0].target must be an address: 0x followed by 40 hexadecimal characters");
});

test("the tornado-2023 swap — a queued proposal's proxy target pointed at a malicious payload after the vote — is caught by the watchdog while still queued: a critical alert on the overview and the proposal page, and the guardian cancels it from the UI — a wallet without the canceller role is told so — and the governor reads Canceled", async ({ page }) => {
  test.setTimeout(240_000);
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const testClient = createTestClient({ mode: "anvil", transport });
  const { governor, timelock } = chain.deployment.contracts;

  // The replay's contracts and proposal (replays/tornado-2023.ts), the attacker a dev account: run() on a proxy the attacker administers, over the harmless payload.
  const attacker = dev[4]!;
  const payloads = await deployTornadoPayloads(chain.rpcUrl, attacker);
  const id = await queueProposal({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, targets: [payloads.call.target], values: [0n], calldatas: [payloads.call.calldata], description: tornadoDescription(payloads.target) });
  // The swap, after the vote: the proxy now points at the malicious payload. Blocks pass.
  await swapTornadoPayload(chain.rpcUrl, attacker, payloads);
  await testClient.mine({ blocks: 5 });

  // The overview's alerts carry it, critical, naming the difference.
  const title = `Queued proposal ${id.toString().slice(0, 10)}… no longer does what voters saw`;
  await expect(async () => {
    await testClient.mine({ blocks: 1 });
    await page.goto("/");
    await expect(page.getByText(title)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000 });
  await expect(page.getByText(`the calls now reach ${payloads.malicious.toLowerCase()}`).first()).toBeVisible();
  // Before execution: the proposal is still queued.
  expect(await chain.client.readContract({ address: governor, abi: backstopGovernorAbi, functionName: "state", args: [id] })).toBe(5); // Queued

  // A wallet without the canceller role is told so, in words, and sends nothing.
  await installWallet(page, { rpcUrl: chain.rpcUrl, account: dev[5]!, chainId: 31337 });
  await page.goto(`/governance/${id}`);
  await connect(page);
  const watchdog = page.locator("section", { has: page.getByRole("heading", { name: "Watchdog" }) });
  await expect(watchdog.getByRole("alert")).toContainText(`the calls now reach ${payloads.malicious.toLowerCase()}`, { timeout: 30_000 });
  await watchdog.getByRole("button", { name: "Cancel the queued proposal" }).click();
  await expect(watchdog.getByText("Cancel failed: your wallet")).toContainText("does not hold the timelock's canceller role", { timeout: 30_000 });
  expect(await sentTransactions(page)).toBe(0);

  // The guardian (the deployment's canceller) signs the cancel; the proposal is Canceled on chain.
  expect(await chain.client.readContract({ address: timelock, abi: backstopTimelockAbi, functionName: "hasRole", args: [await chain.client.readContract({ address: timelock, abi: backstopTimelockAbi, functionName: "CANCELLER_ROLE" }), dev[0]!] })).toBe(true);
  await switchAccount(page, dev[0]!);
  await watchdog.getByRole("button", { name: "Cancel the queued proposal" }).click();
  // The page confirms the cancel, or has already moved on with the next block to the proposal's
  // new state, where the watchdog's section (queued proposals only) and its message are gone.
  await expect(watchdog.getByText("Cancel: confirmed").or(page.getByText("Canceled", { exact: true }).first())).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => chain.client.readContract({ address: governor, abi: backstopGovernorAbi, functionName: "state", args: [id] }), { timeout: 20_000 }).toBe(2); // Canceled
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Canceled", { exact: true }).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: test.info().outputPath("watchdog-cancel.png"), fullPage: true });
});
