import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { applyChanges, fromJson, historicalScenarios, pathFromMoves, previewChanges, scenarioMoves, simulateCascade, type ProtocolSnapshot } from "../engine/index.ts";
import { spawnServer } from "../scripts/dashboard.ts";
import { e2eChain } from "./fixtures/chain.ts";
import { recordProgress } from "./fixtures/progress.ts";

/**
 * A venue above the browser limit (BACKSTOP_BROWSER_VENUE_MAX, forced below the e2e venue's size
 * on a second server over the same chain): the builder's preview and the stress lab run on the
 * server's engine pool, the cascade's progress streamed to the page, and reach what the suite's
 * own server — where the venue is small enough — computes in the browser, and what the engine
 * computes here.
 */

interface Server {
  url: string;
  process: ChildProcess;
}

let big: Server | undefined;
let dbDir: string | undefined;

const sameOrigin = (page: Page) => new URL(page.url()).origin;

/** Requests the page made to the dashboard's API, as "METHOD /path". */
function apiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/")) calls.push(`${r.method()} ${url.pathname}`);
  });
  return calls;
}

async function blockHashOf(url: string): Promise<string | undefined> {
  const response = await fetch(`${url}/api/block`).catch(() => undefined);
  return response?.ok ? ((await response.json()) as { blockHash: string }).blockHash : undefined;
}

/** Both servers at the chain's head, and the snapshot of it: what both pages run on. */
async function bothAtHead(baseURL: string): Promise<ProtocolSnapshot> {
  const chain = e2eChain();
  const head = (await chain.client.getBlock()).hash;
  for (const url of [baseURL, big!.url]) await expect.poll(() => blockHashOf(url), { timeout: 30_000, message: `${url} serves the head` }).toBe(head);
  return chain.snapshot();
}

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  const port = Number(new URL(testInfo.project.use.baseURL!).port) + 1;
  dbDir = mkdtempSync(join(tmpdir(), "backstop-e2e-engine-"));
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BACKSTOP_RPC_URL: process.env.E2E_RPC_URL!, BACKSTOP_DEPLOYMENT: process.env.E2E_DEPLOYMENT!, BACKSTOP_DB_DIR: dbDir, BACKSTOP_BROWSER_VENUE_MAX: "10" };
  big = { url: `http://127.0.0.1:${port}`, process: spawnServer({ port, env, stdio: ["ignore", "ignore", "inherit"] }) };
  await expect.poll(() => blockHashOf(big!.url), { timeout: 90_000, message: `the second server on port ${port} answers` }).toBeDefined();
});

test.afterAll(() => {
  if (big?.process.pid && big.process.exitCode === null) process.kill(-big.process.pid, "SIGTERM");
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

/** Runs the stress lab's Black Thursday with proposed ETH-PERP margins of 25 % / 15 % on `url`; returns every progress state shown and the outcome table's rows. */
async function runCompare(page: Page, url: string) {
  await page.goto(`${url}/stress`);
  const progress = await recordProgress(page);
  await page.getByLabel("Compare with proposed parameters").check();
  await page.getByLabel("ETH-PERP proposed IMR (%)").fill("25");
  await page.getByLabel("ETH-PERP proposed MMR (%)").fill("15");
  await page.getByRole("button", { name: "Run the cascade" }).click();
  const results = page.getByRole("table", { name: "Cascade outcome per parameter set" });
  await expect(results).toBeVisible({ timeout: 60_000 });
  const shown = await progress.shown();
  return { shown, rows: await results.getByRole("row").allInnerTexts() };
}

test("the stress lab on a venue above the browser limit runs the cascade on the server, streams every step, and reaches the in-browser results", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const snapshot = await bothAtHead(baseURL!);
  const scenario = historicalScenarios.find((s) => s.id === "2020-03-12-black-thursday")!;
  const eth = snapshot.markets[0]!;
  const { snapshot: proposed } = applyChanges(snapshot, [{ kind: "setMarketParams", marketId: eth.id, params: { ...eth.params, imrWad: 25n * 10n ** 16n, mmrWad: 15n * 10n ** 16n } }]);
  const run = (s: ProtocolSnapshot) => simulateCascade({ snapshot: s, path: pathFromMoves(scenarioMoves(scenario, s.markets), 24), impact: s.markets.map(() => ({ model: "sqrt" as const, depthUsd: 25_000_000 })), keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 } });

  const onServer = apiCalls(page);
  await page.goto(`${big!.url}/stress`);
  await expect(page.getByText("At this venue's size the engine runs on the server, its progress streamed here.")).toBeVisible();
  const server = await runCompare(page, big!.url);
  expect(sameOrigin(page)).toBe(big!.url);
  expect(onServer, "the run went to the server").toContain("POST /api/stress");
  expect(onServer, "the venue was never downloaded").not.toContain("GET /api/snapshot");
  const total = 2 * 24;
  expect(server.shown, "the bar shows every step of both parameter sets, streamed from the server").toEqual(Array.from({ length: total + 1 }, (_, done) => `${done}/${total}`));
  const current = server.rows.find((r) => r.startsWith("Current parameters"))!;
  const proposedRow = server.rows.find((r) => r.startsWith("Proposed parameters"))!;
  expect(current).toContain(run(snapshot).totals.liquidations.toLocaleString("en-US"));
  expect(proposedRow).toContain(run(proposed).totals.liquidations.toLocaleString("en-US"));

  // The same run on the suite's own server, where the venue is small enough: in the browser.
  const small = await browser.newPage();
  const inBrowser = apiCalls(small);
  const browserRun = await runCompare(small, baseURL!);
  expect(inBrowser).toContain("GET /api/snapshot");
  expect(inBrowser).not.toContain("POST /api/stress");
  expect(server.rows, "the same outcome, figure for figure, as the browser's run").toEqual(browserRun.rows);
  await small.close();
});

/** The builder's live preview of SOL-PERP margins ten points higher, on `url`: the section's text without its timing line. */
async function builderPreview(page: Page, url: string, sol: ProtocolSnapshot["markets"][number], where: string) {
  const pct = (wad: bigint) => String(Number(wad / 10n ** 14n) / 100);
  await page.goto(`${url}/governance/new`);
  await page.getByRole("combobox", { name: "Market", exact: true }).selectOption({ label: "SOL-PERP" });
  await page.getByLabel("SOL-PERP Initial margin (IMR, %)").fill(pct(sol.params.imrWad + 10n ** 17n));
  await page.getByLabel("SOL-PERP Maintenance margin (MMR, %)").fill(pct(sol.params.mmrWad + 10n ** 17n));
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Live preview" }) });
  await expect(section.getByText(new RegExp(`^Computed in \\d+ ms ${where}\\.$`))).toBeVisible({ timeout: 30_000 });
  // The band across the execution window is part of the preview: wait for it too.
  await expect(section.getByRole("heading", { name: "Across the execution window" })).toBeVisible({ timeout: 30_000 });
  return { text: (await section.innerText()).replace(/Computed in \d+ ms [^.]+\./, ""), listed: await section.getByRole("table", { name: "Accounts newly liquidatable" }).getByRole("link").allTextContents().catch(() => []) };
}

test("the builder's live preview on a venue above the browser limit is computed on the server, with the figures the browser computes", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const snapshot = await bothAtHead(baseURL!);
  const sol = snapshot.markets[2]!;
  const expected = previewChanges(snapshot, [{ kind: "setMarketParams", marketId: sol.id, params: { ...sol.params, imrWad: sol.params.imrWad + 10n ** 17n, mmrWad: sol.params.mmrWad + 10n ** 17n } }]);

  const onServer = apiCalls(page);
  const server = await builderPreview(page, big!.url, sol, "on the server");
  expect(onServer).toContain("POST /api/preview");
  expect(onServer).not.toContain("GET /api/snapshot");
  await expect(page.locator("section", { has: page.getByRole("heading", { name: "Live preview" }) })).toContainText(`${expected.newlyLiquidatable.length} account(s) newly liquidatable, ${expected.newlySafe.length} newly safe`);
  expect([...server.listed].sort()).toEqual(expected.newlyLiquidatable.map((a) => a.address).sort());

  const small = await browser.newPage();
  const inBrowser = apiCalls(small);
  const browserPreview = await builderPreview(small, baseURL!, sol, "in a Web Worker");
  expect(inBrowser).not.toContain("POST /api/preview");
  expect(server.text, "the same preview, band and strip included, as the browser's").toBe(browserPreview.text);
  await small.close();
});

test("the server's engine routes refuse bad input in words, and stream a stress run line by line as it runs", async ({ request, baseURL }) => {
  test.setTimeout(120_000);
  const snapshot = await bothAtHead(baseURL!);
  const markets = snapshot.markets.length;
  const stress = { variants: [{ label: "Current parameters", changes: [] }], moves: snapshot.markets.map(() => -0.3), steps: 4, impact: snapshot.markets.map(() => ({ model: "sqrt", depthUsd: 25_000_000 })), keeper: { gasCostUsd: 5, capacityPerStep: null, latencySteps: 0 } };
  const refusals: [string, string, unknown, string][] = [
    ["/api/stress", "too many steps", { ...stress, steps: 201 }, "stress.steps must be at most 200"],
    ["/api/stress", "a move too few", { ...stress, moves: [-0.3] }, `stress.moves has 1 entries; this venue has ${markets} markets (one each)`],
    ["/api/stress", "an unlimited keeper written as a string", { ...stress, keeper: { ...stress.keeper, capacityPerStep: "Infinity" } }, "stress.keeper.capacityPerStep must be a number of accounts per step, or null for unlimited"],
    ["/api/preview", "a change the engine does not know", { changes: [{ kind: "setLeverage", marketId: 0 }] }, 'preview.changes[0].kind must be a change with a "kind" of setMarketParams, setMarketFrozen, setMarketPaused, setCollateralParams, setCollateralFrozen, setAdlMode, setGracePeriod, setDefaultFundCooldown, moveReserves, withdrawInsurance, setTimelockDelay'],
    ["/api/preview", "a parameter as a plain number", { changes: [{ kind: "setGracePeriod", seconds: 60 }] }, 'preview.changes[0].seconds must be an integer in the engine\'s JSON: {"$bigint":"<decimal digits>"}'],
  ];
  for (const [path, what, data, error] of refusals) {
    const response = await request.post(`${big!.url}${path}`, { data });
    expect(response.status(), what).toBe(400);
    expect(await response.json(), what).toEqual({ error });
  }
  const notJson = await request.post(`${big!.url}/api/preview`, { data: Buffer.from("raise the margins"), headers: { "content-type": "application/json" } });
  expect(notJson.status()).toBe(400);
  expect(await notJson.json()).toEqual({ error: "the body is not JSON: send preview as a JSON object" });
  expect((await request.get(`${big!.url}/api/stress`)).status()).toBe(405);

  // The stream, read as it arrives (gzip offered, as a browser does): a start, every step, then the engine's results.
  // A run long enough (200 steps) that a body held back to its end would bring the start line in the same read as the result.
  const steps = 200;
  const path = pathFromMoves(stress.moves, steps);
  const direct = simulateCascade({ snapshot, path, impact: stress.impact as { model: "sqrt"; depthUsd: number }[], keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 } });
  const response = await fetch(`${big!.url}/api/stress`, { method: "POST", headers: { "content-type": "application/json", "accept-encoding": "gzip" }, body: JSON.stringify({ ...stress, steps }) });
  expect(response.headers.get("content-type")).toContain("application/x-ndjson");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: { read: number; line: string }[] = [];
  let pending = "";
  for (let read = 0; ; read++) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    received.push(...parts.map((line) => ({ read, line })));
  }
  const lines = received.map((r) => fromJson<{ type: string; done?: number; results?: { totals: unknown; steps: unknown }[] }>(r.line));
  expect(lines.map((l) => (l.type === "progress" ? `${l.done}` : l.type))).toEqual(["start", ...Array.from({ length: steps }, (_, i) => `${i + 1}`), "result"]);
  expect(received[0]!.read, "the start line came in an earlier read than the result: streamed, not buffered").toBeLessThan(received.at(-1)!.read);
  expect(lines.at(-1)!.results![0]!.totals).toEqual(direct.totals);
  expect(lines.at(-1)!.results![0]!.steps).toEqual(direct.steps);
});
