import { expect, test, type Page, type Route } from "@playwright/test";
import { createTestClient, createWalletClient, formatUnits, http, type Address } from "viem";
import { foundry } from "viem/chains";
import { applyChanges, computeHealth, findLiquidatable, formatUsd, previewChanges, seededRandom } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { backstopGovernorAbi, backstopTokenAbi, clearinghouseAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { connect, installWallet, switchAccount } from "./fixtures/wallet.ts";

test.describe.configure({ mode: "serial" });

async function chainTools() {
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });
  const write = async (account: Address, request: Parameters<ReturnType<typeof as>["writeContract"]>[0]) => {
    const hash = await as(account).writeContract(request);
    return chain.client.waitForTransactionReceipt({ hash });
  };
  /** Posts the current prices again (after a time jump they would be stale), as the oracle operator. */
  const refreshPrices = async () => {
    const s = await chain.snapshot();
    const feeds = [...s.markets.map((m) => m.feedId), ...s.collaterals.map((c) => c.feedId)];
    const prices = [...s.markets.map((m) => m.markPriceWad), ...s.collaterals.map((c) => c.priceWad)];
    await write(dev[0]!, { address: chain.deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrices", args: [feeds, prices], chain: foundry, account: dev[0]! });
  };
  /** Moves every market's price by a seeded random step (±1 % a step) and posts it, as the oracle operator: the market does not stand still. */
  const walk = seededRandom(42);
  const movePrices = async () => {
    const s = await chain.snapshot();
    const marks = s.markets.map((m) => (m.markPriceWad * BigInt(Math.round((1 + 0.01 * walk.normal()) * 1e6))) / 1_000_000n);
    const feeds = [...s.markets.map((m) => m.feedId), ...s.collaterals.filter((c) => !s.markets.some((m) => m.feedId === c.feedId)).map((c) => c.feedId)];
    const prices = [...marks, ...s.collaterals.filter((c) => !s.markets.some((m) => m.feedId === c.feedId)).map((c) => c.priceWad)];
    await write(dev[0]!, { address: chain.deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrices", args: [feeds, prices], chain: foundry, account: dev[0]! });
  };
  /** Liquidates, as the seeded keeper, every account the engine finds liquidatable; returns them. */
  const liquidateAll = async () => {
    const liquidatable = findLiquidatable(await chain.snapshot());
    for (const account of liquidatable) {
      const receipt = await write(dev[9]!, { address: chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "liquidate", args: [account], chain: foundry, account: dev[9]! });
      expect(receipt.status).toBe("success");
    }
    return liquidatable;
  };
  const proposalCount = async () => (await chain.client.getContractEvents({ address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, eventName: "ProposalCreated", fromBlock: 0n })).length;
  return { chain, testClient, dev, refreshPrices, movePrices, liquidateAll, proposalCount };
}

/** Reloads until the proposal page shows `control` (the server reads one snapshot per block, so a state change appears within a poll). */
async function reloadUntil(page: Page, control: ReturnType<Page["getByRole"]> | ReturnType<Page["getByLabel"]>) {
  await expect(async () => {
    await page.reload();
    await expect(control).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

/**
 * From the proposal page: two delegates vote For, blocks and time pass, the proposal is queued and
 * executed — all through the UI. `moving`: prices walk meanwhile; `premature`: an execute pressed
 * before the ETA first (see below).
 */
async function voteQueueExecute(page: Page, t: Awaited<ReturnType<typeof chainTools>>, reason: string, { moving = false, premature = false } = {}) {
  await t.testClient.mine({ blocks: 2 });
  if (moving) for (let i = 0; i < 3; i++) await t.movePrices();
  await reloadUntil(page, page.getByLabel("Reason (optional, public)"));
  await page.getByLabel("Reason (optional, public)").fill(reason);
  await page.getByRole("button", { name: "Vote For", exact: true }).click();
  await expect(page.getByText("Vote For: confirmed")).toBeVisible({ timeout: 30_000 });
  await switchAccount(page, t.dev[2]!);
  await page.getByRole("button", { name: "Vote For", exact: true }).click();
  await expect(page.getByText("Vote For: confirmed")).toBeVisible({ timeout: 30_000 });
  if (moving) for (let i = 0; i < 3; i++) await t.movePrices();
  await t.testClient.mine({ blocks: 60 });
  await reloadUntil(page, page.getByRole("button", { name: "Queue" }));
  await page.getByRole("button", { name: "Queue" }).click();
  await expect(page.getByText("Queue: confirmed")).toBeVisible({ timeout: 30_000 });
  // Before the timelock's ETA (chain time) there is no Execute button, only the countdown.
  await reloadUntil(page, page.getByText(/Queued in the timelock: executable in \d+ (h|d)/));
  await expect(page.getByRole("button", { name: "Execute" })).toHaveCount(0);
  const beforeEta = await t.testClient.snapshot();
  await t.testClient.increaseTime({ seconds: 86_401 });
  await t.testClient.mine({ blocks: 1 });
  await reloadUntil(page, page.getByRole("button", { name: "Execute" }));
  if (premature) {
    // The chain reorganises back to before the ETA while the page, its block feed held up on a
    // slow network, still offers Execute: pressing it is premature, and the timelock's revert
    // comes back in words, not as a selector.
    const held: Route[] = [];
    await page.route("**/api/block", (route) => void held.push(route));
    await expect.poll(() => held.length).toBeGreaterThan(0); // the feed's next poll is held: none is left in flight
    await t.testClient.revert({ id: beforeEta });
    await page.getByRole("button", { name: "Execute" }).click();
    const failed = page.getByText(/^Execute failed: /);
    await expect(failed).toContainText("the timelock operation is not ready", { timeout: 30_000 });
    expect(await failed.textContent()).not.toMatch(/0x[0-9a-f]{8}|signature/i);
    await page.unroute("**/api/block");
    await Promise.all(held.map((route) => route.continue().catch(() => {})));
    await t.testClient.increaseTime({ seconds: 86_401 });
    await t.testClient.mine({ blocks: 1 });
    await reloadUntil(page, page.getByRole("button", { name: "Execute" }));
  }
  await page.getByRole("button", { name: "Execute" }).click();
  await expect(page.getByText("Execute: confirmed")).toBeVisible({ timeout: 30_000 });
  await t.refreshPrices();
}

async function openBuilderAs(page: Page, account: Address, chainId = 31337) {
  const { chain } = await chainTools();
  await installWallet(page, { rpcUrl: chain.rpcUrl, account, chainId });
  await page.goto("/governance/new");
  await connect(page);
}

test("full lifecycle: propose a higher SOL-PERP margin, see who it liquidates, vote from two wallets, queue, execute — and the preview comes true", async ({ page }) => {
  test.setTimeout(120_000);
  const t = await chainTools();
  // A clean start: what is liquidatable today is liquidated first, so the preview's list is all that is new.
  await t.liquidateAll();
  const before = await t.chain.snapshot();
  const sol = before.markets[2]!;
  const proposed = { ...sol.params, imrWad: 30n * 10n ** 16n, mmrWad: 20n * 10n ** 16n };
  const expected = previewChanges(before, [{ kind: "setMarketParams", marketId: sol.id, params: proposed }]).newlyLiquidatable.map((a) => a.address);
  expect(expected.length).toBeGreaterThan(0);

  await openBuilderAs(page, t.dev[1]!);
  await page.getByRole("combobox", { name: "Market", exact: true }).selectOption({ label: "SOL-PERP" });
  await page.getByLabel("SOL-PERP Initial margin (IMR, %)").fill("30");
  await page.getByLabel("SOL-PERP Maintenance margin (MMR, %)").fill("20");
  const listed = page.getByRole("table", { name: "Accounts newly liquidatable" }).getByRole("link");
  await expect(listed).toHaveCount(expected.length, { timeout: 20_000 });
  expect((await listed.allTextContents()).sort()).toEqual([...expected].sort());
  // The builder's band across the execution window goes into the description's impact block.
  await expect(page.getByText(/- At execution \(earliest, in ~[^)]+\), over 400 simulated price paths: \d+–\d+ newly liquidatable \(5–95 %\)/)).toBeVisible({ timeout: 20_000 });
  await page.getByLabel("Title").fill("Raise SOL-PERP margins to 30% / 20%");
  await page.getByRole("textbox", { name: /^Description/ }).fill("SOL-PERP is the most volatile market; its margins should reflect it.");
  await page.getByRole("button", { name: "Publish the proposal" }).click();
  await expect(page.getByRole("heading", { name: "Raise SOL-PERP margins to 30% / 20%" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Maintenance margin (MMR): 10% → 20%")).toBeVisible();
  const created = await t.chain.client.getContractEvents({ address: t.chain.deployment.contracts.governor, abi: backstopGovernorAbi, eventName: "ProposalCreated", fromBlock: 0n });
  expect(created.at(-1)!.args.description).toMatch(/newly liquidatable \(5–95 %\)/);
  // Beside today's count, the band to execution and the strip, exact at each moved price.
  const window = page.locator("section", { has: page.getByRole("heading", { name: "Across the execution window" }) });
  await expect(window).toContainText(`${expected.length} account(s) newly liquidatable`);
  await expect(window).toContainText(/over 400 simulated price paths to then: \d+–\d+ newly liquidatable \(5–95 %\)/);
  const strip = window.getByRole("table", { name: /one market's price moved/ });
  const solDown4 = before.markets.map((m) => (m.id === sol.id ? (m.markPriceWad * 96n) / 100n : m.markPriceWad));
  const atPrices = (s: typeof before, marks: bigint[]) => ({ ...s, markets: s.markets.map((m, i) => ({ ...m, markPriceWad: marks[i]! })) });
  // The count and the cost (penalties: every newly liquidatable account is still solvent) at −4 %, from the engine's own ledgers.
  const atSolDown4 = previewChanges(atPrices(await t.chain.snapshot(), solDown4), [{ kind: "setMarketParams", marketId: sol.id, params: proposed }]);
  const penalties = atSolDown4.afterChanges.current.penaltiesUsd - atSolDown4.before.current.penaltiesUsd;
  const header = await strip.getByRole("columnheader").allTextContents();
  await expect(strip.getByRole("row", { name: /^SOL-PERP/ }).getByRole("cell").nth(header.indexOf("-4%") - 1)).toHaveText(`${atSolDown4.newlyLiquidatable.length}${formatUsd(penalties)}`);

  const shown = window.getByRole("table", { name: "Accounts newly liquidatable as shown at each stage" });
  await expect(shown.getByRole("row", { name: /^Shown when created/ }).getByRole("cell").nth(1)).toHaveText(String(expected.length));
  await expect(shown.getByRole("row", { name: /^Now/ }).getByRole("cell").nth(1)).toHaveText(String(expected.length));
  await page.screenshot({ path: test.info().outputPath("proposal-band.png"), fullPage: true });

  await voteQueueExecute(page, t, "Volatility justifies it", { moving: true, premature: true });
  // Both delegates voted with the reason (the box keeps it between the two votes).
  await expect(page.getByRole("region", { name: "Votes" }).getByRole("listitem").filter({ hasText: "Volatility justifies it" })).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath("proposal-executed.png"), fullPage: true });

  const onChain = await t.chain.client.readContract({ address: t.chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "getMarket", args: [BigInt(sol.id)] });
  expect([onChain.params.imr, onChain.params.mmr]).toEqual([proposed.imrWad, proposed.mmrWad]);
  // Prices moved between the proposal and its execution: what came true is read at the execution's own block.
  const governorEvents = { address: t.chain.deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const executed = (await t.chain.client.getContractEvents({ ...governorEvents, eventName: "ProposalExecuted", fromBlock: 0n })).at(-1)!;
  const atExecution = await readSnapshot(t.chain.client, { deployment: t.chain.deployment, blockNumber: executed.blockNumber });
  const was = new Set(findLiquidatable(applyChanges(atExecution, [{ kind: "setMarketParams", marketId: sol.id, params: sol.params }]).snapshot));
  const newlyAtExecution = findLiquidatable(atExecution).filter((a) => !was.has(a));
  const liquidated = await t.liquidateAll();
  for (const account of newlyAtExecution) expect(liquidated).toContain(account);
  const since = await t.chain.client.getContractEvents({ address: t.chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName: "Liquidated", fromBlock: executed.blockNumber });
  // The executed proposal's page: what it changed from the execution's events, predicted against the Liquidated events.
  await reloadUntil(page, page.getByText(`Since the execution, keepers liquidated ${since.length} account(s)`));
  await expect(page.getByText("Maintenance margin (MMR): 10% → 20%")).toBeVisible();
  const record = page.locator("section", { has: page.getByRole("heading", { name: "Predicted and what happened" }) });
  await expect(record.getByRole("row", { name: /^At execution/ }).getByRole("cell").nth(1)).toHaveText(String(newlyAtExecution.length));
  await expect(record.getByRole("row", { name: /^Shown when created/ }).getByRole("cell").nth(1)).toHaveText(String(expected.length));
  await expect(record).toContainText(`${newlyAtExecution.length} of the ${newlyAtExecution.length} it made newly liquidatable`);
  await page.screenshot({ path: test.info().outputPath("proposal-record.png"), fullPage: true });
  // The track record lists it, predicted against what happened.
  await page.goto("/governance");
  const track = page.getByRole("table", { name: "Executed proposals, predicted against what happened" }).getByRole("row", { name: /^Raise SOL-PERP margins to 30% \/ 20%/ });
  await expect(track.getByRole("cell").nth(0)).toHaveText(String(expected.length));
  await expect(track.getByRole("cell").nth(2)).toHaveText(String(newlyAtExecution.length));
  await expect(track.getByRole("cell").nth(3)).toHaveText(`${newlyAtExecution.length} of ${newlyAtExecution.length}`);
});

test("an invalid value is refused in words and nothing is sent", async ({ page }) => {
  const t = await chainTools();
  const count = await t.proposalCount();
  await openBuilderAs(page, t.dev[1]!);
  await page.getByLabel("ETH-PERP Maintenance margin (MMR, %)").fill("12");
  await expect(page.getByRole("main").getByRole("alert").first()).toContainText("ETH-PERP: IMR 10% / MMR 12%: maintenance margin must be below initial margin.");
  await page.getByLabel("Title").fill("Broken");
  await page.getByRole("button", { name: "Publish the proposal" }).click();
  await expect(page.getByText("Not published: Fix the values marked above first; nothing was sent.")).toBeVisible();
  expect(await t.proposalCount()).toBe(count);
});

test("a rejected signature says so and nothing is sent", async ({ page }) => {
  const t = await chainTools();
  const count = await t.proposalCount();
  await openBuilderAs(page, t.dev[1]!);
  await page.getByLabel("ETH-PERP Liquidation penalty (%)").fill("2.5");
  await page.getByLabel("Title").fill("Penalty 2.5%");
  await page.evaluate(() => (window as unknown as { __wallet: { rejectNextRequest(): void } }).__wallet.rejectNextRequest());
  await page.getByRole("button", { name: "Publish the proposal" }).click();
  await expect(page.getByText("Not published: You rejected the request in your wallet; nothing was sent.")).toBeVisible({ timeout: 20_000 });
  expect(await t.proposalCount()).toBe(count);
});

test("a wallet on another network is told to switch, and cannot publish until it does", async ({ page }) => {
  const t = await chainTools();
  await openBuilderAs(page, t.dev[1]!, 1);
  await expect(page.getByText("Wrong network (1): Backstop is on chain 31337.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish the proposal" })).toBeDisabled();
  await page.getByRole("button", { name: "Switch network" }).click();
  await expect(page.getByRole("button", { name: "Disconnect" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish the proposal" })).toBeEnabled();
});

test("delegates: the table shows voting power from the chain, and delegating moves it", async ({ page }) => {
  const t = await chainTools();
  const token = { address: t.chain.deployment.contracts.governanceToken, abi: backstopTokenAbi } as const;
  const [from, to] = [t.dev[1]!, t.dev[3]!];
  const votesOf = (a: Address) => t.chain.client.readContract({ ...token, functionName: "getVotes", args: [a] });
  const [balance, toBefore] = await Promise.all([t.chain.client.readContract({ ...token, functionName: "balanceOf", args: [from] }), votesOf(to)]);
  await installWallet(page, { rpcUrl: t.chain.rpcUrl, account: from, chainId: 31337 });
  await page.goto("/delegates");
  await connect(page);
  await expect(page.getByText("yourself")).toBeVisible();
  await page.getByLabel("Or to this address").fill("not-an-address");
  await page.getByRole("button", { name: "Delegate", exact: true }).click();
  await expect(page.getByText("Not delegated: Delegate address: “not-an-address” is not an address")).toBeVisible();
  await page.getByLabel("Or to this address").fill(to);
  await page.getByRole("button", { name: "Delegate", exact: true }).click();
  await expect(page.getByText(`Delegated to ${to}.`)).toBeVisible({ timeout: 20_000 });
  expect(await votesOf(to)).toBe(toBefore + balance);
  const row = page.getByRole("table", { name: "Delegates by voting power" }).getByRole("row", { name: new RegExp(to.toLowerCase()) });
  await expect(row).toContainText(Number(formatUnits(toBefore + balance, 18)).toLocaleString("en-US", { maximumFractionDigits: 0 }));
  // And back: re-delegating to oneself once ran out of gas on the node's own gas fill; writes now send a margin.
  await page.getByRole("button", { name: "Delegate to myself", exact: true }).click();
  await expect(page.getByText(`Delegated to ${from}.`)).toBeVisible({ timeout: 20_000 });
  expect(await votesOf(to)).toBe(toBefore);
});

test("a proposal with a collateral change and a raw call to another contract: the page decodes one and flags the other in red", async ({ page }) => {
  const t = await chainTools();
  await openBuilderAs(page, t.dev[1]!);
  await page.getByRole("combobox", { name: "What" }).selectOption({ label: "Collateral weight and cap" });
  await page.getByRole("combobox", { name: "Asset" }).selectOption({ label: "WETH" });
  await page.getByLabel("Collateral Weight (%)").fill("75");
  await page.getByRole("button", { name: "Add an action" }).click();
  await page.getByRole("combobox", { name: "What" }).nth(1).selectOption({ label: "Raw call" });
  await page.getByLabel("Raw call target").fill(t.chain.deployment.contracts.oracle);
  await page.getByLabel("Raw call calldata").fill("0xdeadbeef");
  await expect(page.getByLabel("Preflight warnings")).toContainText("a call to the oracle contract");
  await page.getByLabel("Title").fill("WETH haircut to 75% (and an oracle call)");
  await page.getByRole("button", { name: "Publish the proposal" }).click();
  await expect(page.getByRole("heading", { name: "WETH haircut to 75% (and an oracle call)" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("WETH collateral")).toBeVisible();
  await expect(page.getByText("weight 75%")).toBeVisible();
  const flagged = page.getByRole("main").getByRole("alert").filter({ hasText: "Not a known governance action" });
  await expect(flagged).toContainText("a call to the oracle contract");
  await expect(flagged).toContainText("calldata 0xdeadbeef");
  const detectors = page.locator("section", { has: page.getByRole("heading", { name: "Attack detectors" }) });
  await expect(detectors).toContainText("action 2 is outside the governable functions");
  await expect(detectors).not.toContainText("action 1 is outside");

  // Your account under it: the delegate has no clearinghouse account; the keeper has one.
  await expect(page.getByText("Your wallet has no account on the clearinghouse")).toBeVisible();
  const keeper = t.dev[9]!;
  const snapshot = await t.chain.snapshot();
  const account = snapshot.accounts.find((a) => a.address === keeper.toLowerCase())!;
  const health = computeHealth(snapshot, account).health;
  await switchAccount(page, keeper);
  const yours = page.getByRole("table", { name: "Your account today and if the proposal passes" });
  await expect(yours.getByRole("row", { name: /^Health/ })).toContainText(health === null ? "—" : health.toFixed(3));
});

test("a freeze proposal through to execution: opening exposure in the market is refused, reducing it still works, both in the UI", async ({ page }) => {
  test.setTimeout(120_000);
  const t = await chainTools();
  const [trader, maker] = [t.dev[7]!, t.dev[8]!];
  const approve = await createWalletClient({ chain: foundry, account: maker, transport: http(t.chain.rpcUrl) }).writeContract({ address: t.chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "setOperator", args: [trader, true] });
  await t.chain.client.waitForTransactionReceipt({ hash: approve });

  // The trader opens 1 ETH long before the freeze.
  await installWallet(page, { rpcUrl: t.chain.rpcUrl, account: trader, chainId: 31337 });
  await page.goto("/trade");
  await connect(page);
  const trade = async (side: "Buy (long)" | "Sell (short)", size: string) => {
    await page.getByRole("combobox", { name: "Market" }).selectOption({ index: 0 });
    await page.getByRole("combobox", { name: "Side" }).selectOption({ label: side });
    await page.getByLabel("Size (base units)").fill(size);
    await page.getByLabel("Counterparty (has approved you)").fill(maker);
    await page.getByRole("button", { name: "Send the trade" }).click();
  };
  await trade("Buy (long)", "1");
  await expect(page.getByText("Bought 1 ETH-PERP.")).toBeVisible({ timeout: 20_000 });

  // Governance freezes ETH-PERP.
  await switchAccount(page, t.dev[1]!);
  await page.goto("/governance/new");
  await page.getByRole("combobox", { name: "What" }).selectOption({ label: "Freeze (reduce-only)" });
  await page.getByLabel("Title").fill("Freeze ETH-PERP");
  await page.getByRole("button", { name: "Publish the proposal" }).click();
  await expect(page.getByRole("heading", { name: "Freeze ETH-PERP" })).toBeVisible({ timeout: 30_000 });
  await voteQueueExecute(page, t, "Reduce-only while the oracle is reviewed");
  const market = await t.chain.client.readContract({ address: t.chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "getMarket", args: [0n] });
  expect(market.frozen).toBe(true);

  // Back to the trader: more exposure is refused, less is allowed.
  await switchAccount(page, trader);
  await page.goto("/trade");
  await trade("Buy (long)", "1");
  await expect(page.getByText("Not traded: The contract refused it: market 0 is frozen: only trades that reduce exposure are allowed.")).toBeVisible({ timeout: 20_000 });
  await trade("Sell (short)", "0.5");
  await expect(page.getByText("Sold 0.5 ETH-PERP.")).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: test.info().outputPath("frozen-trade.png"), fullPage: true });
});
