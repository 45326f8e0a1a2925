import { expect, test, type Page } from "@playwright/test";
import {
  applyChanges,
  computeCover,
  computeEngineHealth,
  computeHealth,
  computeLiquidationMap,
  computeSystemRisk,
  extremeShock,
  formatPrice,
  formatUsd,
  historicalScenarios,
  pathFromMoves,
  scenarioMoves,
  simulateCascade,
} from "../engine/index.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { recordProgress } from "./fixtures/progress.ts";

/** Every figure below is computed by the test from a fresh read of the chain, never copied from the screen. */
async function fresh() {
  return e2eChain().snapshot();
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("overview: liquidatable count, Cover-2, health histogram and the accounts nearest to liquidation match the engine", async ({ page }) => {
  const snapshot = await fresh();
  const risk = computeSystemRisk(snapshot, { nearest: 10 });
  const cover = computeCover(snapshot, extremeShock(snapshot.markets).map((m) => m.move));
  await page.goto("/");
  await expect(page.getByRole("group", { name: "Liquidatable now" })).toContainText(String(risk.liquidatable.length));
  await expect(page.getByRole("group", { name: "Cover-2", exact: true })).toContainText(formatUsd(cover.cover2Usd));
  for (const bucket of risk.healthHistogram) {
    await expect(page.getByRole("row", { name: new RegExp(`^${bucket.label.replace(/[.]/g, "\\.")}\\b`) })).toContainText(bucket.count.toLocaleString("en-US"));
  }
  const nearest = page.getByRole("table", { name: "Nearest to liquidation" }).getByRole("link");
  await expect(nearest).toHaveText(risk.nearestToLiquidation.map((a) => a.address));
  await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();
  if (risk.liquidatable.length) await expect(page.getByText(`${risk.liquidatable.length} account(s) liquidatable now`)).toBeVisible();
  await shot(page, "overview");
});

test("overview: the liquidation engine's health — keeper lag, dust at the current gas price, negative equity — matches the engine", async ({ page }) => {
  const chain = e2eChain();
  const snapshot = await chain.snapshot();
  const health = computeEngineHealth(snapshot, { gasPriceWei: await chain.client.getGasPrice() });
  const liquidatable = computeSystemRisk(snapshot).liquidatable.length;
  await page.goto("/");
  const panel = (name: string) => page.getByRole("group", { name });
  await expect(panel("Keeper lag")).toContainText(`${liquidatable} liquidatable now`);
  await expect(panel("Dust at current gas")).toContainText(`${health.dust.accounts.toLocaleString("en-US")} accounts`);
  await expect(panel("Unrecognised negative equity")).toContainText(formatUsd(health.negativeEquity.usd));
  for (const o of health.oracles) await expect(panel("Oracle age")).toContainText(o.symbol);
  for (const r of health.runway) await expect(panel("Reserves' runway")).toContainText(formatUsd(r.lossUsd));
  await shot(page, "overview-engine-health");
});

test("accounts: the server pages the table in the engine's health order, searches, and opens an account page with its prices", async ({ page }) => {
  const snapshot = await fresh();
  const withPositions = snapshot.accounts.filter((a) => a.positions.length > 0);
  // The table orders by health as it shows it, to 0.0001, ties by address.
  const shown = (h: number | null) => (h === null ? Infinity : Math.round(h * 1e4) / 1e4);
  const healths = withPositions.map((a) => ({ address: a.address, h: computeHealth(snapshot, a) })).sort((x, y) => shown(x.h.health) - shown(y.h.health) || (x.address < y.address ? -1 : 1));
  await page.goto("/accounts");
  await expect(page.getByText(`${withPositions.length.toLocaleString("en-US")} of ${snapshot.accounts.length.toLocaleString("en-US")} accounts`)).toBeVisible();
  const rows = page.getByRole("rowgroup", { name: "Account rows" }).getByRole("row");
  // One page of 100 in the browser, not the venue; the next page goes on in the same order.
  await expect(rows).toHaveCount(100);
  await expect(rows.first().getByRole("link")).toHaveText(healths[0]!.address);
  await shot(page, "accounts");
  await page.getByRole("navigation", { name: "Account pages" }).getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Rows 101–200")).toBeVisible();
  await expect(rows.first().getByRole("link")).toHaveText(healths[100]!.address);
  await expect(rows.last().getByRole("link")).toHaveText(healths[199]!.address);
  // A search that is not part of an address says so, and loses nothing typed.
  await page.getByLabel("Search by address").fill("0xzz");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("must be part of an address");
  await expect(page.getByLabel("Search by address")).toHaveValue("0xzz");

  const target = healths[0]!;
  await page.getByLabel("Search by address").fill(target.address.slice(2, 12));
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: target.address })).toBeVisible();
  await expect(page.getByRole("group", { name: "Health" })).toContainText(target.h.health!.toFixed(3));
  const position = target.h.positions[0]!;
  const row = page.getByRole("table", { name: "Open positions with liquidation and bankruptcy prices" }).getByRole("row").nth(1);
  await expect(row).toContainText(position.liquidationPriceWad === null ? "none" : formatPrice(position.liquidationPriceWad));
  await expect(row).toContainText(position.bankruptcyPriceWad === null ? "none" : formatPrice(position.bankruptcyPriceWad));
  await shot(page, "account");
});

test("accounts: the search, the filter, the order and the page are in the URL, so a reload or a shared link shows the same rows", async ({ page }) => {
  const snapshot = await fresh();
  const rows = page.getByRole("rowgroup", { name: "Account rows" }).getByRole("row");
  // A shared link: every account, equity descending, second page. The table asks the server for exactly that.
  const asked = page.waitForRequest((r) => r.url().includes("/api/accounts?") && new URL(r.url()).searchParams.get("offset") === "100");
  await page.goto("/accounts?show=all&sort=equityUsd&dir=desc&page=2");
  const query = new URL((await asked).url()).searchParams;
  expect(Object.fromEntries(["show", "sort", "dir", "offset"].map((k) => [k, query.get(k)]))).toEqual({ show: "all", sort: "equityUsd", dir: "desc", offset: "100" });
  await expect(page.getByText("Rows 101–200")).toBeVisible();
  await expect(page.getByLabel("Show")).toHaveValue("all");
  await expect(page.getByRole("columnheader", { name: "Equity" })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByText(`${snapshot.accounts.length.toLocaleString("en-US")} of ${snapshot.accounts.length.toLocaleString("en-US")} accounts`)).toBeVisible();

  // A search typed here goes into the URL (back to the first page); a reload keeps it and its one match.
  const target = snapshot.accounts[7]!.address;
  await page.getByLabel("Search by address").fill(target.slice(0, 14));
  await expect(rows).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${target.slice(0, 14)}(&|$)`));
  expect(new URL(page.url()).searchParams.get("page")).toBeNull();
  await page.reload();
  await expect(page.getByLabel("Search by address")).toHaveValue(target.slice(0, 14));
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole("link")).toHaveText(target);

  // A link the route would refuse shows the defaults for what it cannot read, and says why for the search.
  await page.goto("/accounts?show=nonsense&sort=height&page=-3&q=0xzz");
  await expect(page.getByLabel("Show")).toHaveValue("positions");
  await expect(page.getByRole("columnheader", { name: "Health" })).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByText("Rows 1–100")).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("must be part of an address");
});

test("an address that is not one, and one the chain never saw, each get a clear message", async ({ page }) => {
  expect((await page.goto("/accounts/0x1234"))?.status()).toBe(404);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("is not an address");
  expect((await page.goto(`/accounts/0x${"ab".repeat(20)}`))?.status()).toBe(404);
  await expect(page.getByText("has never deposited or traded")).toBeVisible();
});

test("market page: open interest and the liquidation map's cumulative figures match the engine", async ({ page }) => {
  const snapshot = await fresh();
  const market = snapshot.markets[2]!;
  const map = computeLiquidationMap(snapshot, market.id, { stepPct: 2.5, rangePct: 30 });
  await page.goto(`/markets/${market.id}`);
  await expect(page.getByRole("heading", { name: market.symbol })).toBeVisible();
  await expect(page.getByRole("group", { name: "Open interest" })).toContainText(formatUsd((market.longOpenInterestBase * market.markPriceWad) / 10n ** 18n));
  const table = page.getByRole("table", { name: "Notional liquidated at each price level" });
  for (const bucket of [map[0]!, map.at(-1)!]) {
    const label = `${(bucket.from * 100).toFixed(1)}% … ${(bucket.to * 100).toFixed(1)}%`;
    await expect(table.getByRole("row", { name: label })).toContainText(formatUsd(bucket.cumulativeNotionalUsd));
  }
  await expect(page.getByRole("heading", { name: "Parameter history" })).toBeVisible();
  await expect(page.getByText("Listed")).toBeVisible();
  await shot(page, "market");
});

test("reserves: Cover-1 and Cover-2 under the worst historical moves match the engine", async ({ page }) => {
  const snapshot = await fresh();
  const cover = computeCover(snapshot, extremeShock(snapshot.markets).map((m) => m.move));
  await page.goto("/reserves");
  await expect(page.getByRole("group", { name: "Cover-1" })).toContainText(formatUsd(cover.cover1Usd));
  await expect(page.getByRole("group", { name: "Cover-2", exact: true })).toContainText(formatUsd(cover.cover2Usd));
  await expect(page.getByText(`${formatUsd(snapshot.reserves.insuranceFundUsd)}`).first()).toBeVisible();
  await shot(page, "reserves");
});

test("stress: a repeat of 2020-03-12 runs with visible progress and ends where the engine says", async ({ page }) => {
  const snapshot = await fresh();
  const scenario = historicalScenarios.find((s) => s.id === "2020-03-12-black-thursday")!;
  const expected = simulateCascade({
    snapshot,
    path: pathFromMoves(scenarioMoves(scenario, snapshot.markets), 24),
    impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 25_000_000 })),
    keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 },
  });
  await page.goto("/stress");
  const progress = await recordProgress(page);
  await page.getByRole("button", { name: "Run the cascade" }).click();
  const results = page.getByRole("table", { name: "Cascade outcome per parameter set" });
  await expect(results).toBeVisible({ timeout: 60_000 });
  const shown = await progress.shown();
  expect(shown[0], "the progress bar appears at 0 of the run's steps").toMatch(/^0\/\d+$/);
  const total = Number(shown[0]!.split("/")[1]);
  expect(shown, "and shows every step as it completes, however fast the run").toEqual(Array.from({ length: total + 1 }, (_, done) => `${done}/${total}`));
  await expect(results.getByRole("row", { name: /Current parameters/ })).toContainText(expected.totals.liquidations.toLocaleString("en-US"));
  await expect(page.getByRole("img", { name: /ETH-PERP: exogenous path/ })).toBeVisible();
  await shot(page, "stress");
});

test("stress opens with the library's worst crash computed two ways, each as the engine computes it: the overview's instant gap and the lab's path with keepers", async ({ page }) => {
  const chain = e2eChain();
  const snapshot = await fresh();
  const { runway } = computeEngineHealth(snapshot, { gasPriceWei: await chain.client.getGasPrice() });
  const worst = [...runway].sort((a, b) => (b.lossUsd > a.lossUsd ? 1 : b.lossUsd < a.lossUsd ? -1 : 0))[0]!;
  const scenario = historicalScenarios.find((s) => s.id === worst.id)!;
  const path = simulateCascade({ snapshot, path: pathFromMoves(scenarioMoves(scenario, snapshot.markets), 24), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 25_000_000 })), keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 } });
  await page.goto("/stress");
  await expect(page.getByRole("heading", { name: `The worst crash in the library, today: ${worst.id}, two ways` })).toBeVisible();
  const table = page.getByRole("table", { name: "The worst library crash as an instant gap and as a path with keepers" });
  await expect(table.getByRole("row", { name: /^Loss beyond collateral/ })).toContainText(formatUsd(worst.lossUsd));
  await expect(table.getByRole("row", { name: /^Beyond the reserves/ })).toContainText(formatUsd(worst.shortfallUsd));
  await expect(table.getByRole("row", { name: /^Liquidations/ })).toContainText(path.totals.liquidations.toLocaleString("en-US"));
});

test("stress puts current and proposed parameters side by side, each as the engine computes it", async ({ page }) => {
  const snapshot = await fresh();
  const scenario = historicalScenarios.find((s) => s.id === "2020-03-12-black-thursday")!;
  const eth = snapshot.markets[0]!;
  const proposedParams = { ...eth.params, imrWad: 25n * 10n ** 16n, mmrWad: 15n * 10n ** 16n };
  const { snapshot: proposedSnapshot } = applyChanges(snapshot, [{ kind: "setMarketParams", marketId: 0, params: proposedParams }]);
  const run = (s: typeof snapshot) =>
    simulateCascade({ snapshot: s, path: pathFromMoves(scenarioMoves(scenario, s.markets), 24), impact: s.markets.map(() => ({ model: "sqrt" as const, depthUsd: 25_000_000 })), keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 } });
  await page.goto("/stress");
  await page.getByLabel("Compare with proposed parameters").check();
  await page.getByLabel(`${eth.symbol} proposed IMR (%)`).fill("25");
  await page.getByLabel(`${eth.symbol} proposed MMR (%)`).fill("15");
  await page.getByRole("button", { name: "Run the cascade" }).click();
  const results = page.getByRole("table", { name: "Cascade outcome per parameter set" });
  await expect(results.getByRole("row", { name: /Current parameters/ })).toContainText(run(snapshot).totals.liquidations.toLocaleString("en-US"), { timeout: 60_000 });
  await expect(results.getByRole("row", { name: /Proposed parameters/ })).toContainText(run(proposedSnapshot).totals.liquidations.toLocaleString("en-US"));
});

test("stress refuses proposed parameters the contract would refuse, in words", async ({ page }) => {
  await page.goto("/stress");
  await page.getByLabel("Compare with proposed parameters").check();
  await page.getByLabel("ETH-PERP proposed MMR (%)").fill("12");
  await page.getByRole("button", { name: "Run the cascade" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("ETH-PERP: IMR 10% / MMR 12%: maintenance margin must be below initial margin.");
});

test("stress refuses a bad form value with a specific message and runs nothing", async ({ page }) => {
  await page.goto("/stress");
  await page.getByLabel("Steps", { exact: true }).fill("many");
  await page.getByRole("button", { name: "Run the cascade" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText('Steps: "many" is not a number');
  await expect(page.getByRole("table", { name: "Cascade outcome per parameter set" })).toHaveCount(0);
});

test("stress takes input once hydrated: its controls come disabled in the server's HTML and are enabled on the page", async ({ page, request }) => {
  // Before hydration a choice never reaches the lab's state, and the next render would put the old value back.
  const html = await (await request.get("/stress")).text();
  expect(html).toMatch(/<fieldset[^>]*disabled=""[^>]*aria-label="Stress scenario"/);
  await page.goto("/stress");
  const scenario = page.getByRole("group", { name: "Stress scenario" });
  await expect(scenario).toBeEnabled();
  await expect(scenario.getByLabel("Steps", { exact: true })).toBeEnabled();
  await expect(scenario.getByRole("button", { name: "Run the cascade" })).toBeEnabled();
});

test("markets list: every market with its parameters and concentration", async ({ page }) => {
  const snapshot = await fresh();
  await page.goto("/markets");
  for (const m of snapshot.markets) await expect(page.getByRole("link", { name: m.symbol, exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Concentration" })).toBeVisible();
  await shot(page, "markets");
});

test("glossary: every metric links to a definition with its formula", async ({ page }) => {
  await page.goto("/glossary#health");
  await expect(page.locator("#health")).toContainText("equity ÷ maintenance margin");
  await expect(page.locator("#cover-2")).toBeVisible();
  await shot(page, "glossary");
});
