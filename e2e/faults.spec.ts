import { expect, test } from "@playwright/test";
import { createTestClient, createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { formatUsd, type ProtocolSnapshot } from "../engine/index.ts";
import { fromJson } from "../engine/serialize.ts";
import { priceOracleAbi } from "../lib/contracts/abis.ts";
import { QUERY_RETRY_COUNT } from "../lib/query/retry.ts";
import { FOLLOWING_MS, RPC_RETRY_COUNT } from "../lib/server/snapshot.ts";
import { controlRpcProxy, rpcProxyStats } from "../lib/testing/rpcProxy.ts";
import { e2eChain } from "./fixtures/chain.ts";

const proxy = () => {
  const url = process.env.E2E_RPC_PROXY;
  if (!url) throw new Error("E2E_RPC_PROXY is unset: run through playwright.config.ts");
  return url;
};

test.afterEach(async () => controlRpcProxy(proxy(), { down: false, latencyMs: 0, failNext: 0 }));

/** Waits until no request has reached the proxy for `quietMs`, and returns the count then. */
async function settledRequests(quietMs = 3_000): Promise<number> {
  let last = (await rpcProxyStats(proxy())).requests;
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = (await rpcProxyStats(proxy())).requests;
    if (now === last) return now;
    last = now;
  }
}

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

test("a reorg to another block at the same height (another ETH price) is served: snapshots are keyed by block hash", async ({ request }) => {
  const chain = e2eChain();
  const transport = http(chain.rpcUrl);
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  const [operator] = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const before = await chain.snapshot();
  const eth = before.markets.find((m) => m.symbol === "ETH-PERP")!;
  const postPrice = async (priceWad: bigint) => {
    const hash = await createWalletClient({ chain: foundry, account: operator!, transport }).writeContract({ address: chain.deployment.contracts.oracle, abi: priceOracleAbi, functionName: "setPrice", args: [eth.feedId, priceWad] });
    return chain.client.waitForTransactionReceipt({ hash });
  };
  const served = async () => fromJson<ProtocolSnapshot>(await (await request.get("/api/snapshot")).text());

  const fork = await testClient.snapshot();
  const up = await postPrice((eth.markPriceWad * 101n) / 100n);
  await expect.poll(async () => (await served()).blockHash).toBe(up.blockHash);

  await testClient.revert({ id: fork });
  const down = await postPrice((eth.markPriceWad * 99n) / 100n);
  expect(down.blockNumber).toBe(up.blockNumber);
  expect(down.blockHash).not.toBe(up.blockHash);
  // The head's number did not move: the server asks the node for its head block again within HEAD_RECHECK_MS.
  await expect.poll(async () => (await served()).blockHash).toBe(down.blockHash);
  const after = await served();
  expect(after.blockHash).toBe(down.blockHash);
  expect(after.markets.find((m) => m.symbol === "ETH-PERP")!.markPriceWad).toBe((eth.markPriceWad * 99n) / 100n);
  const block = (await (await request.get("/api/block")).json()) as { blockHash: string };
  expect(block.blockHash).toBe(down.blockHash);

  // Leave the chain as the other tests found it (itself a reorg back to the original head).
  await testClient.revert({ id: fork });
});

test("a slow chain (2.5 s per RPC request): after a quiet spell pages show their loading skeleton, then the data; while followed, the block the server has is served without waiting for the node", async ({ page }) => {
  test.setTimeout(90_000);
  const snapshot = await e2eChain().snapshot();
  await controlRpcProxy(proxy(), { latencyMs: 2_500 });
  // No request for longer than FOLLOWING_MS: the server no longer follows the chain, so a request waits for the node's head.
  await settledRequests(FOLLOWING_MS + 1_000);
  await page.goto("/reserves", { waitUntil: "commit" });
  await expect(page.getByLabel("Loading the latest block")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Reserves/ }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel("Loading the latest block")).toHaveCount(0);

  // Now followed (the page just saw the head): a node slower than the page will wait does not
  // hold the next page, which needs nothing but the block: the server serves the block it has,
  // live (no stale banner). (The reserves page above reads the default fund's queue from the node
  // itself, and would wait for it.)
  await controlRpcProxy(proxy(), { latencyMs: 12_000 });
  // The requests sent before (the live indicator's, 2.5 s slow) answered: a head request in flight from here on is 12 s slow.
  const sent = (await rpcProxyStats(proxy())).requests;
  await expect.poll(async () => (await rpcProxyStats(proxy())).answered, { timeout: 10_000 }).toBeGreaterThanOrEqual(sent);
  await page.getByRole("link", { name: "Markets" }).first().click();
  for (const m of snapshot.markets) await expect(page.getByRole("link", { name: m.symbol, exact: true })).toBeVisible({ timeout: 8_000 });
  await expect(page.getByLabel("Loading the latest block")).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("status")).toContainText(`Live · block #${snapshot.blockNumber}`);
  await page.screenshot({ path: test.info().outputPath("slow-loaded.png"), fullPage: true });

  // Leave no slow request behind for the next test: the head request the page was not held by is answered.
  await controlRpcProxy(proxy(), { latencyMs: 0 });
  await expect.poll(async () => { const { requests, answered } = await rpcProxyStats(proxy()); return answered === requests; }, { timeout: 20_000 }).toBe(true);
});

test("a failing chain: the server retries each read a bounded number of times with backoff, then serves the last good block as stale", async ({ page, request }) => {
  expect((await request.get("/api/block")).status()).toBe(200);
  // No browser is open: every request the proxy sees from here on comes from the one read below.
  const before = await settledRequests();
  await controlRpcProxy(proxy(), { down: true });
  const stale = await request.get("/api/block");
  expect(stale.status()).toBe(200);
  expect(((await stale.json()) as { stale: { reason: string } | null }).stale?.reason).toMatch(/Cannot reach the chain/);
  const after = await settledRequests();
  // One head request, tried once and retried RPC_RETRY_COUNT times; then nothing more.
  expect(after - before).toBe(1 + RPC_RETRY_COUNT);

  // A node that fails twice and then answers: the retries absorb it, the answer is live.
  await controlRpcProxy(proxy(), { down: false, failNext: 2, resetStats: true });
  const recovered = (await (await request.get("/api/block")).json()) as { stale: unknown };
  expect(recovered.stale).toBeNull();
  expect(await rpcProxyStats(proxy())).toMatchObject({ failed: 2 });

  await controlRpcProxy(proxy(), { down: true });
  await page.goto("/");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Stale data.");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Cannot reach the chain");
  await expect(page.getByRole("status")).toContainText("Chain unreachable");
});

test("the browser's reads retry a bounded number of times, show loading meanwhile, then say what failed", async ({ page }) => {
  // Fault injection at the network layer of the browser: /api/accounts answers 503 as a dead
  // server would (the dashboard server itself keeps serving stale data, so it never does).
  let attempts = 0;
  await page.route(/\/api\/accounts(\?|$)/, (route) => {
    attempts++;
    return route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: "the dashboard server is down (test)" }) });
  });
  await page.goto("/accounts");
  await expect(page.getByText("Loading accounts…")).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Accounts could not be loaded: the dashboard server is down (test)", { timeout: 30_000 });
  const settled = attempts;
  await page.waitForTimeout(5_000);
  expect(attempts).toBe(settled);
  expect(attempts).toBe(1 + QUERY_RETRY_COUNT);
});
