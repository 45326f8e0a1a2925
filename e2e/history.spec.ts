import { expect, test } from "@playwright/test";
import { createTestClient, http } from "viem";
import { foundry } from "viem/chains";
import { computeCover, computeSystemRisk, extremeShock } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { historyWire } from "../lib/api/wire.ts";
import { e2eChain } from "./fixtures/chain.ts";

/**
 * The system's history: each block the server publishes is recorded in its database, and the
 * overview, reserves and market pages chart it. Blocks are mined here and the pages follow them;
 * the recorded figures are checked against the engine on the chain read at the same block.
 */
test("the overview charts the history recorded block by block, and each recorded block's figures are the engine's at that block", async ({ page, request }) => {
  const chain = e2eChain();
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport: http(chain.rpcUrl) });
  await page.goto("/");
  const history = page.getByRole("region", { name: "Over time" });
  await expect(history).toBeVisible();

  // Three more blocks, each followed by the page (live refresh) before the next.
  for (let i = 0; i < 3; i++) {
    await testClient.mine({ blocks: 1 });
    const head = await chain.client.getBlockNumber();
    await expect(page.getByRole("status")).toContainText(`#${head}`, { timeout: 15_000 });
  }
  const head = await chain.client.getBlockNumber();
  // The history the page shows reaches the head it shows (or a block another client mined since).
  const range = history.getByText(/points, blocks #\d+–#\d+$/);
  await expect.poll(async () => BigInt(/–#(\d+)$/.exec((await range.textContent()) ?? "")?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThanOrEqual(head);
  await expect(history.getByRole("img", { name: /^Reserves against Cover-2: Insurance \+ default fund \$/ })).toBeVisible();
  await expect(history.getByRole("img", { name: /^Liquidatable accounts: Liquidatable \d+ at block #/ })).toBeVisible();
  // Drawn: the chart library, loaded once there are points, has drawn the four charts (their grids:
  // a series with no value in the range, such as a keeper lag never measured, draws no line).
  await expect(history.locator(".recharts-cartesian-grid")).toHaveCount(4);
  await expect(history.locator(".recharts-line-curve").first()).toHaveAttribute("d", /^M[\d.]+,[\d.]+L/);
  await page.screenshot({ path: test.info().outputPath("overview-history.png"), fullPage: true });

  const { points } = historyWire.parse(await (await request.get("/api/history?range=all")).json());
  // A server busy reading one block skips the next rather than fall behind: not every block is recorded.
  // The chain is shared with the suite's other clients, which may mine a block after `head` was read
  // (CI saw the history one block ahead): the history reaches at least the head the page showed.
  expect(points.length).toBeGreaterThanOrEqual(2);
  expect(BigInt(points.at(-1)!.blockNumber)).toBeGreaterThanOrEqual(head);
  for (const point of points.slice(-3)) {
    const snapshot = await readSnapshot(chain.client, { deployment: chain.deployment, blockNumber: BigInt(point.blockNumber) });
    const risk = computeSystemRisk(snapshot);
    const cover = computeCover(snapshot, extremeShock(snapshot.markets).map((m) => m.move));
    expect(point.timestamp).toBe(Number(snapshot.timestamp));
    expect(point.insuranceFundUsd).toBe(Number(snapshot.reserves.insuranceFundUsd) / 1e18);
    expect(point.defaultFundUsd).toBe(Number(snapshot.reserves.defaultFundUsd) / 1e18);
    expect(point.cover2Usd).toBe(Number(cover.cover2Usd) / 1e18);
    expect(point.liquidatable).toBe(risk.liquidatable.length);
    expect(point.markets.map((m) => m.openInterestUsd)).toEqual(risk.markets.map((m) => Number(m.openInterestUsd) / 1e18));
  }

  // The range menu asks the server for another range; a bad one is refused in words.
  await history.getByRole("button", { name: "1 h" }).click();
  await expect(history.getByRole("button", { name: "1 h" })).toHaveAttribute("aria-pressed", "true");
  await expect(history.getByText(/points, blocks #/)).toBeVisible();
  const bad = await request.get("/api/history?range=1y");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/^range: must be one of 1h, 24h, 7d, 30d, all/);
});

test("the reserves and market pages chart their own history", async ({ page }) => {
  const snapshot = await e2eChain().snapshot();
  await page.goto("/reserves");
  await expect(page.getByRole("region", { name: "Reserves over time" }).getByRole("img", { name: /^Funds and bad debt: Insurance fund \$/ })).toBeVisible({ timeout: 15_000 });
  const market = snapshot.markets[0]!;
  await page.goto(`/markets/${market.id}`);
  await expect(page.getByRole("region", { name: "Open interest over time" }).getByRole("img", { name: new RegExp(`^${market.symbol} open interest against its cap: Open interest \\$`) })).toBeVisible({ timeout: 15_000 });
});
