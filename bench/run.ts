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
 * `npm run bench -- --accounts N [--batch B] [--port P]` instead proves a big venue end to end
 * (bench/venue.ts, issue #16; baselines: the targets at 1,000,000 accounts):
 * - build time of an injected venue of N accounts (as `npm run chain -- --accounts N`), anvil's
 *   memory, readSnapshot of the whole venue
 * - the block worker's work per new block (follow + views), 1 % of the accounts trading, and every
 *   price moving: p50 / p99
 * - the indexer's backfill (Ponder on PGlite in a temporary directory) to the chain head: seconds,
 *   events indexed (Ponder's count) and events per second
 * - the production server under 50 clients asking for /api/accounts pages while a block of trades
 *   is mined every second: page p50 / p99, blocks published of those mined, new block → published
 *   p50 / p99
 * - previewChanges on the server's snapshot (its request thread; no worker pool yet)
 * - peak RSS of the indexer and of the server, children included, and their sum
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { createPublicClient, http } from "viem";
import { computeEngineHealth, computeSystemRisk, pathFromMoves, previewChanges, simulateCascade } from "../engine/index.ts";
import { readMonitor } from "../lib/actions/readMonitor.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { freePort } from "../lib/local/anvil.ts";
import { CHROMIUM_ARGS, resolveChromium } from "../lib/testing/browser.ts";
import { parseChainArgs, startLocalChain } from "../scripts/chain.ts";
import { spawnServer } from "../scripts/dashboard.ts";
import { runEngineBench } from "./engine.ts";
import { runFirstRunBench } from "./firstRun.ts";
import { runCalibration } from "./calibrate.ts";
import { runForkBench } from "./fork.ts";
import { runVenueBench } from "./venue.ts";
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

const venue = parseChainArgs(process.argv.slice(2));
const only = process.argv.find((a) => a === "--engine" || a === "--first-run" || a === "--fork");
const runs =
  venue.accounts !== undefined ? [() => runVenueBench({ ...venue, accounts: venue.accounts! }, report)]
  : only === "--engine" ? [runEngineBench] : only === "--first-run" ? [() => runFirstRunBench(report)] : only === "--fork" ? [() => runForkBench(report)] : [main, () => runFirstRunBench(report), runEngineBench, () => runCalibration(), () => runForkBench(report)];
runs.reduce<Promise<unknown>>((done, next) => done.then(next), Promise.resolve()).catch((error: unknown) => {
  console.error(`bench: ${messageOf(error)}`);
  process.exit(1);
});
