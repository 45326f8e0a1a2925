import { expect, test } from "@playwright/test";
import { formatPercent, formatUsd } from "../engine/format.ts";
import { e2eChain } from "./fixtures/chain.ts";

test("the overview shows the markets' parameters and the reserves as the chain has them", async ({ page }) => {
  const chain = e2eChain();
  const snapshot = await chain.snapshot();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "System overview" })).toBeVisible();

  const markets = page.getByRole("table", { name: "Perp markets with their risk parameters" });
  for (const market of snapshot.markets) {
    const row = markets.getByRole("row", { name: new RegExp(market.symbol) });
    await expect(row).toBeVisible();
    const cells = row.getByRole("cell");
    await expect(cells.nth(2)).toHaveText(formatPercent(market.params.imrWad));
    await expect(cells.nth(3)).toHaveText(formatPercent(market.params.mmrWad));
    await expect(cells.nth(4)).toHaveText(formatPercent(market.params.liquidationPenaltyWad));
  }

  await expect(page.getByRole("group", { name: "Insurance fund" })).toContainText(formatUsd(snapshot.reserves.insuranceFundUsd));
  await expect(page.getByRole("group", { name: "Default fund" })).toContainText(formatUsd(snapshot.reserves.defaultFundUsd));
  await expect(page.getByRole("group", { name: "Accounts" })).toContainText(snapshot.accounts.length.toLocaleString("en-US"));
  await page.screenshot({ path: test.info().outputPath("overview.png"), fullPage: true });
});

test("the overview is usable on a 390 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Markets" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath("overview-390.png"), fullPage: true });
});
