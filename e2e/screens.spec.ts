import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { backstopGovernorAbi } from "../lib/contracts/abis.ts";
import { e2eChain } from "./fixtures/chain.ts";

/**
 * Every screen as people meet it: axe-core's WCAG 2.1 A/AA rules with no serious or critical
 * violation, a 390 px phone with no sideways scrolling (a screenshot of each kept), the navigation
 * as a menu there, and the keyboard reaching every control with its focus visible.
 */

async function everyPage(): Promise<string[]> {
  const chain = e2eChain();
  const snapshot = await chain.snapshot();
  const account = snapshot.accounts.find((a) => a.positions.length > 0)!.address;
  const proposals = await chain.client.getContractEvents({ address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, eventName: "ProposalCreated", fromBlock: 0n });
  const pages = ["/", "/markets", `/markets/${snapshot.markets[0]!.id}`, "/accounts", `/accounts/${account}`, "/reserves", "/stress", "/governance", "/governance/new", "/delegates", "/trade", "/glossary", "/notifications", "/accounts/0x1234", "/no-such-page"];
  if (proposals[0]) pages.push(`/governance/${proposals[0].args.proposalId}`);
  return pages;
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("main").getByRole("heading").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

test("axe finds no serious or critical violation on any page", async ({ page }) => {
  test.setTimeout(180_000);
  const found: string[] = [];
  for (const path of await everyPage()) {
    await open(page, path);
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      const examples = v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${(n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? n.failureSummary}`);
      found.push(`${path}: ${v.id} (${v.impact}) ×${v.nodes.length} — ${v.help}\n    ${examples.join("\n    ")}`);
    }
  }
  expect(found).toEqual([]);
});

test("on a 390 px phone no page scrolls sideways, the live block shows, and the navigation is a menu", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflowing: string[] = [];
  for (const path of await everyPage()) {
    await open(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) overflowing.push(`${path}: ${overflow}px wider than the screen`);
    await page.screenshot({ path: test.info().outputPath(`390${path.replaceAll("/", "_") || "_"}.png`), fullPage: true });
  }
  expect(overflowing).toEqual([]);

  await open(page, "/");
  await expect(page.getByRole("banner").getByRole("status")).toContainText(/#\d+/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Reserves" })).toBeHidden();
  await nav.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: "Reserves" }).click();
  await expect(page).toHaveURL(/\/reserves$/);
  await expect(nav.getByRole("link", { name: "Reserves" })).toBeHidden();
});

test("the keyboard reaches the header's controls and the page's, each with a visible focus", async ({ page }) => {
  await open(page, "/stress");
  const reached: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return { name: (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40), outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 };
    });
    if (!focus) continue;
    expect(focus.outline, `focus on “${focus.name}” is not visible`).toBe(true);
    reached.push(focus.name);
  }
  expect(reached).toContain("Skip to content");
  expect(reached).toContain("Governance");
  expect(reached).toContain("Connect wallet");
  expect(reached.some((n) => /Run the cascade/.test(n))).toBe(true);
});
