import { expect, test } from "@playwright/test";
import { formatUsd } from "../engine/index.ts";
import { controlRpcProxy } from "../lib/testing/rpcProxy.ts";
import { e2eChain } from "./fixtures/chain.ts";

const proxy = () => {
  const url = process.env.E2E_RPC_PROXY;
  if (!url) throw new Error("E2E_RPC_PROXY is unset: run through playwright.config.ts");
  return url;
};

test.afterEach(async () => controlRpcProxy(proxy(), { down: false, latencyMs: 0 }));

test("when the chain goes down the last good figures stay under a stale banner, and the page recovers by itself", async ({ page }) => {
  const snapshot = await e2eChain().snapshot();
  const insurance = formatUsd(snapshot.reserves.insuranceFundUsd);
  await page.goto("/");
  await expect(page.getByRole("group", { name: "Insurance fund" })).toContainText(insurance);

  await controlRpcProxy(proxy(), { down: true });
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Stale data.", { timeout: 20_000 });
  await expect(page.getByRole("group", { name: "Insurance fund" })).toContainText(insurance);
  await expect(page.getByRole("status")).toContainText("Chain unreachable");
  await page.screenshot({ path: test.info().outputPath("stale.png"), fullPage: true });

  await controlRpcProxy(proxy(), { down: false });
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole("status")).toContainText("Live · block #");
});
