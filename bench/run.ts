/**
 * `npm run bench`: performance figures, one JSON line each — {"name","value","unit","baseline"}
 * where baseline is the budget the figure is held to (issues #4 and #5). Measures, never
 * asserts: a figure over its budget is for a person to read, not a test to fail.
 *
 * - seed of a 10,000-account chain (seconds)
 * - readSnapshot of 10,000 accounts: wall time and RPC requests (counting transport)
 * - engine on 10,000 accounts: system risk, a proposal preview, a 24-step cascade
 * - the overview's first-load JavaScript, gzip, as Chromium downloads it from the production server (scripts/serve.ts)
 * - first page after install: a fresh clone's `npm install`, then `npm run demo` to the rendered overview (bench/firstRun.ts)
 * - the engine on synthetic venues of 100,000 and 1,000,000 accounts, no chain (bench/engine.ts)
 * - the preview band's calibration over 200 simulated proposals, and a preview with the band on
 *   10,000 accounts (bench/calibrate.ts; alone: `npm run calibrate`)
 * - a 3-action proposal simulated on a fork of the 5,000-account demo, and the fork watchdog's
 *   cost per block (bench/fork.ts)
 *
 * `npm run bench -- --engine`, `-- --first-run` or `-- --fork` runs that part alone.
 * `npm run bench -- --accounts N [--batch B] [--port P]` builds an injected venue of N accounts
 * (scripts/venue/injectVenue.ts, as `npm run chain -- --accounts N` does) and reports its build
 * time, anvil's memory, readSnapshot of the whole venue, and the block worker's work per new block
 * with 1 % of the accounts trading and with every price moving (runVenueBench).
 */

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { createPublicClient, encodeFunctionData, http, type PublicClient } from "viem";
import { computeAccountRisk, computeEngineHealth, computeSystemRisk, healthRatio, pathFromMoves, previewChanges, simulateCascade, type ProtocolSnapshot } from "../engine/index.ts";
import { followSnapshot } from "../lib/actions/followSnapshot.ts";
import { clearinghouseAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { sendCalls } from "../lib/local/sendCalls.ts";
import { computeBlockViews } from "../lib/server/views.ts";
import { followBlockViews } from "../lib/server/followBlockViews.ts";
import { readMonitor } from "../lib/actions/readMonitor.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { freePort } from "../lib/local/anvil.ts";
import { CHROMIUM_ARGS, resolveChromium } from "../lib/testing/browser.ts";
import { parseChainArgs, startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { nearestRank } from "../scripts/loadClient.ts";
import { spawnServer } from "../scripts/dashboard.ts";
import { runEngineBench } from "./engine.ts";
import { runFirstRunBench } from "./firstRun.ts";
import { runCalibration } from "./calibrate.ts";
import { runForkBench } from "./fork.ts";
import { messageOf } from "../lib/errors/messageOf.ts";

function report(name: string, value: number, unit: string, baseline: number | null) {
  console.log(JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, baseline }));
}

function time<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
}

async function main() {
  const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
  const deploymentPath = join(mkdtempSync(join(tmpdir(), "backstop-bench-")), "31337.json");
  // The seed's figure: real transactions at any size, never the injection above 5,000 accounts.
  const chain = await startLocalChain({ port: 0, accounts, inject: false, deploymentPath, log: () => {} });
  try {
    report(`seed of ${accounts} accounts`, chain.seed.seconds, "s", 90);

    let requests = 0;
    const client = createPublicClient({ transport: http(chain.rpcUrl, { onFetchRequest: () => void requests++ }) });
    await readSnapshot(client, { deployment: chain.deployment }); // warm anvil's caches once
    requests = 0;
    const started = performance.now();
    const snapshot = await readSnapshot(client, { deployment: chain.deployment });
    report(`readSnapshot of ${snapshot.accounts.length} accounts`, (performance.now() - started) / 1000, "s", 1.5);
    report(`readSnapshot RPC requests for ${snapshot.accounts.length} accounts`, requests, "requests", 25);

    const [, riskMs] = time(() => computeSystemRisk(snapshot));
    report(`computeSystemRisk on ${snapshot.accounts.length} accounts`, riskMs, "ms", null);
    const eth = snapshot.markets[0]!;
    const [, previewMs] = time(() => previewChanges(snapshot, [{ kind: "setMarketParams", marketId: 0, params: { ...eth.params, mmrWad: (eth.params.mmrWad * 3n) / 2n, imrWad: (eth.params.imrWad * 3n) / 2n } }]));
    report(`previewChanges on ${snapshot.accounts.length} accounts`, previewMs, "ms", 100);
    const [, cascadeMs] = time(() => simulateCascade({ snapshot, path: pathFromMoves(snapshot.markets.map(() => -0.3), 24), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 25e6 })), keeper: { gasCostUsd: 5 } }));
    report(`simulateCascade, 24 steps, ${snapshot.accounts.length} accounts`, cascadeMs, "ms", null);
    const [, healthMs] = time(() => computeEngineHealth(snapshot, { gasPriceWei: 10n ** 9n }));
    report(`computeEngineHealth on ${snapshot.accounts.length} accounts`, healthMs, "ms", null);
    // The overview's detectors for a new block: keeper-lag walk-backs of every liquidatable account, history, proposals.
    requests = 0;
    const monitorStarted = performance.now();
    await readMonitor(client as never, { deployment: chain.deployment, snapshot });
    report(`readMonitor (detectors) on ${snapshot.accounts.length} accounts, first block`, performance.now() - monitorStarted, "ms", null);
    report(`readMonitor RPC requests, first block`, requests, "requests", null);

    const port = await freePort();
    const server = spawnServer({ port, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BACKSTOP_RPC_URL: chain.rpcUrl, BACKSTOP_DEPLOYMENT: deploymentPath }, stdio: "ignore" });
    try {
      const url = `http://127.0.0.1:${port}/`;
      for (let i = 0; i < 150; i++) {
        if (await fetch(url).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const browser = await chromium.launch({ executablePath: await resolveChromium(), args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const scripts: Promise<number>[] = [];
        page.on("response", (response) => {
          if (response.request().resourceType() === "script") scripts.push(response.body().then((body) => gzipSync(body).length, () => 0));
        });
        await page.goto(url, { waitUntil: "load" });
        const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
        report("overview first-load JavaScript (gzip)", bytes / 1024, "kB", 300);
      } finally {
        await browser.close();
      }
    } finally {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    }
  } finally {
    await chain.stop();
  }
}

/** Resident memory of a process (Linux /proc), MiB. */
function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

/**
 * A big venue on demand (#16): build it by injection, then read it whole as the dashboard's
 * snapshot reader does. No figure has a target in the issue: baselines are null.
 */
async function runVenueBench({ accounts, port = 0, batchSize }: { accounts: number; port?: number; batchSize?: number }) {
  const deploymentPath = join(mkdtempSync(join(tmpdir(), "backstop-bench-venue-")), "31337.json");
  const started = performance.now();
  const chain = await startLocalChain({ port, accounts, inject: true, deploymentPath, log: () => {}, ...(batchSize === undefined ? {} : { batchSize }) });
  try {
    const batch = batchSize === undefined ? "" : ` --batch ${batchSize}`;
    report(`build of an injected venue of ${accounts} accounts (npm run chain -- --accounts ${accounts}${batch})`, (performance.now() - started) / 1000, "s", null);
    report(`anvil RSS after building ${accounts} accounts`, rssMiB(chain.pid), "MiB", null);
    const client = createPublicClient({ transport: http(chain.rpcUrl, { timeout: 600_000 }) });
    const readStarted = performance.now();
    const snapshot = await readSnapshot(client, { deployment: chain.deployment });
    report(`readSnapshot of the injected venue's ${snapshot.accounts.length} accounts`, (performance.now() - readStarted) / 1000, "s", null);
    report(`anvil RSS after reading ${snapshot.accounts.length} accounts`, rssMiB(chain.pid), "MiB", null);
    await blockWorkFigures(client, chain, snapshot);
  } finally {
    await chain.stop();
  }
}

/** p-th percentile (0–100) of `samples`, nearest rank. */
const percentile = (samples: number[], p: number) => nearestRank([...samples].sort((a, b) => a - b), p);

/**
 * The block worker's work for each new block of a big venue (lib/server/blockWorker): follow the
 * snapshot from the last block (lib/actions/followSnapshot) and the views every page shares from
 * the last block's (lib/server/followBlockViews) — over `blocks` blocks in which 1 % of the accounts trade (at most
 * 2,000: 1,000 trades fill one block), then over `blocks` in which every price moves; a full read
 * and its views from scratch (computeBlockViews) beside them. What the server adds on top (handing the block to the request thread,
 * the detectors) is not in these figures.
 */
async function blockWorkFigures(client: PublicClient, chain: LocalChain, start: ProtocolSnapshot, blocks = 8) {
  const { deployment } = chain;
  const { deployer } = chain.seed.roles;
  const n = start.accounts.length;
  const follower = followSnapshot(client, { deployment });
  // One follower of the views for every block, as the worker keeps it (each block's views from the last one's).
  const blockViews = followBlockViews();
  blockViews(await follower.read(await client.getBlock()));
  const work = async () => {
    const block = await client.getBlock();
    const started = performance.now();
    blockViews(await follower.read(block));
    return performance.now() - started;
  };
  // Accounts with room to trade a little more (health ≥ 3, or collateral and no position): pairs of them trade 0.001 ETH.
  const roomy = start.accounts.filter((a) => {
    const health = healthRatio(computeAccountRisk(start, a));
    return health === null ? a.balancesNative.some((b) => b > 0n) : health >= 3;
  });
  const touched = Math.min(2000, Math.max(2, Math.round(n / 100))) & ~1;
  const trading: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const calls = Array.from({ length: touched / 2 }, (_, k) => {
      const taker = roomy[(b * touched + 2 * k) % roomy.length]!.address;
      const maker = roomy[(b * touched + 2 * k + 1) % roomy.length]!.address;
      const data = encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [taker, maker, 0n, (k % 2 ? -1n : 1n) * 10n ** 15n] });
      return { from: deployer, to: deployment.contracts.clearinghouse, data, label: `trade ${taker} / ${maker}` };
    });
    await sendCalls(client, { calls, mode: "lenient" });
    trading.push(await work());
    if (follower.last?.kind !== "incremental") throw new Error(`block ${b} of trades was read in full`);
  }
  const venueName = `${n} accounts`;
  report(`block worker per block (follow + views), ${touched} accounts trading a block, ${venueName}: p50`, percentile(trading, 50), "ms", null);
  report(`block worker per block (follow + views), ${touched} accounts trading a block, ${venueName}: p99`, percentile(trading, 99), "ms", 1000);
  const moving: number[] = [];
  let last = start;
  for (let b = 0; b < blocks; b++) {
    const feeds = [...new Set([...last.markets.map((m) => m.feedId), ...last.collaterals.map((c) => c.feedId)])];
    const prices = feeds.map((feed) => {
      const market = last.markets.find((m) => m.feedId === feed);
      const price = market?.markPriceWad ?? last.collaterals.find((c) => c.feedId === feed)!.priceWad;
      return (price * (b % 2 ? 1001n : 999n)) / 1000n;
    });
    await sendCalls(client, { calls: [{ from: deployer, to: deployment.contracts.oracle, data: encodeFunctionData({ abi: priceOracleAbi, functionName: "setPrices", args: [feeds, prices] }), label: "setPrices" }] });
    moving.push(await work());
    last = await follower.read(await client.getBlock());
  }
  report(`block worker per block (follow + views), every price moving, ${venueName}: p50`, percentile(moving, 50), "ms", null);
  report(`block worker per block (follow + views), every price moving, ${venueName}: p99`, percentile(moving, 99), "ms", 1000);
  const fullStarted = performance.now();
  computeBlockViews(await readSnapshot(client, { deployment }));
  report(`block worker per block with a full read instead (peer), ${venueName}`, performance.now() - fullStarted, "ms", null);
}

const venue = parseChainArgs(process.argv.slice(2));
const only = process.argv.find((a) => a === "--engine" || a === "--first-run" || a === "--fork");
const runs =
  venue.accounts !== undefined ? [() => runVenueBench({ ...venue, accounts: venue.accounts! })]
  : only === "--engine" ? [runEngineBench] : only === "--first-run" ? [() => runFirstRunBench(report)] : only === "--fork" ? [() => runForkBench(report)] : [main, () => runFirstRunBench(report), runEngineBench, () => runCalibration(), () => runForkBench(report)];
runs.reduce<Promise<unknown>>((done, next) => done.then(next), Promise.resolve()).catch((error: unknown) => {
  console.error(`bench: ${messageOf(error)}`);
  process.exit(1);
});
