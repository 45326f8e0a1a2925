/**
 * `npm run load -- [--accounts 5000] [--connections 50] [--duration 30] [--block-time 1] [--build]
 * [--accept-encoding "gzip, deflate, br, zstd"] [--profile DIR]`: the dashboard under load, as
 * issue #7 asks — 50 concurrent clients for 30 s on the overview and on each API route the pages
 * read, against a production build (scripts/serve.ts) reading a seeded local chain through a
 * counting RPC proxy, while a block is mined every second (--block-time). The clients ask for
 * compressed bodies as browsers do (`--accept-encoding identity`: uncompressed).
 *
 * Prints one JSON line per figure, {"name","value","unit"}: per route the p50 / p99 latency,
 * requests, throughput, errors and non-2xx answers; then the RPC traffic the whole run caused,
 * the blocks mined and the snapshot reads (counted at the proxy as the calls that ask the lens
 * for accountCount, which only readSnapshot does) — the server must read one snapshot per block
 * however many clients ask.
 * Exits 1 when a p99 is above 500 ms, any request failed, or a block was read more than once.
 * Each route is loaded alone with all the clients, then all routes at once with the clients
 * shared between them. Not part of `npm test`: it takes about four minutes.
 */

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { toFunctionSelector } from "viem";
import { z } from "zod";
import { startLocalChain } from "./chain.ts";
import { spawnServer } from "./dashboard.ts";
import { runLoad, type LoadResult } from "./loadClient.ts";
import { freePort } from "../lib/local/anvil.ts";
import { rpcAnswerWire } from "../lib/api/wire.ts";
import { BackstopError } from "../lib/errors/backstopError.ts";
import { BROWSER_VENUE_MAX } from "../lib/server/views.ts";
import { startRpcProxy } from "../lib/testing/rpcProxy.ts";

const P99_BUDGET_MS = 500;

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "5000" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "30" },
    "block-time": { type: "string", default: "1" },
    build: { type: "boolean", default: false },
    /** The clients' Accept-Encoding; Chromium's by default, as the dashboard's clients are browsers ("identity": uncompressed). */
    "accept-encoding": { type: "string", default: "gzip, deflate, br, zstd" },
    /** Write a V8 CPU profile of the dashboard's server to this directory. */
    profile: { type: "string" },
  },
  strict: true,
});
const accounts = Number(values.accounts);
const connections = Number(values.connections);
const duration = Number(values.duration);
const blockTimeSec = Number(values["block-time"]);
if (!(blockTimeSec >= 0)) {
  console.error("load: --block-time must be a number of seconds ≥ 0 (0: no blocks during the run)");
  process.exit(2);
}
for (const [flag, n] of [["--accounts", accounts], ["--connections", connections], ["--duration", duration]] as const) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(`load: ${flag} must be a whole number ≥ 1`);
    process.exit(2);
  }
}

const headers = { "accept-encoding": values["accept-encoding"] };
const report = (name: string, value: number, unit: string) => console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit }));
const note = (line: string) => console.error(`load: ${line}`);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

if (values.build || !existsSync(".next/BUILD_ID")) {
  note("building the dashboard (next build)…");
  const code = await new Promise<number | null>((done) => spawn(resolve("node_modules/.bin/next"), ["build"], { env, stdio: ["ignore", "ignore", "inherit"] }).once("exit", done));
  if (code !== 0) {
    console.error("load: next build failed");
    process.exit(1);
  }
}

note(`seeding a local chain with ${accounts} accounts…`);
const deploymentPath = join(mkdtempSync(join(tmpdir(), "backstop-load-")), "31337.json");
const chain = await startLocalChain({ port: 0, accounts, deploymentPath, log: () => {} });
// A snapshot read is the one call that asks the lens for accountCount (lib/actions/readSnapshot).
const proxy = await startRpcProxy(chain.rpcUrl, { markers: { snapshotReads: toFunctionSelector("accountCount()").slice(2) } });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const profile = values.profile ? ["--cpu-prof", "--cpu-prof-dir", resolve(values.profile)] : [];
const server = spawnServer({
  port,
  env: { ...env, BACKSTOP_RPC_URL: proxy.url, BACKSTOP_CHAIN_ID: "31337", BACKSTOP_DEPLOYMENT: deploymentPath },
  nodeOptions: profile,
  stdio: ["ignore", "ignore", "inherit"],
});

let mining: NodeJS.Timeout | undefined;
let mined: Promise<void> = Promise.resolve();
async function shutdown() {
  clearInterval(mining);
  if (server.pid && server.exitCode === null) {
    try {
      process.kill(-server.pid, "SIGINT");
    } catch {
      // already gone
    }
  }
  await proxy.stop();
  await chain.stop();
}
process.once("SIGINT", () => void shutdown().then(() => process.exit(130)));

async function rpc(method: string): Promise<unknown> {
  const response = await fetch(chain.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }) });
  const answer = rpcAnswerWire.parse(await response.json());
  if (answer.error) throw new BackstopError(`${method}: the chain refused it (${answer.error.message})`);
  return answer.result;
}
const blockNumber = async () => Number(BigInt(z.string().parse(await rpc("eth_blockNumber"))));

let failed = false;
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`${base}/api/block`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the dashboard did not start on ${base}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Above BROWSER_VENUE_MAX accounts /api/snapshot only says the venue is too big to send: not a route to load.
  const routes = ["/", ...(accounts <= BROWSER_VENUE_MAX ? ["/api/snapshot"] : []), "/api/accounts", "/api/block"];
  for (const path of routes) await fetch(`${base}${path}`).then((r) => r.arrayBuffer()); // warm each route once

  // A block every --block-time seconds, mined straight on the node (not through the proxy, so not counted).
  if (blockTimeSec > 0) {
    mining = setInterval(() => {
      mined = rpc("evm_mine").then(
        () => undefined,
        (error: unknown) => {
          note(`mining a block failed: ${error instanceof Error ? error.message : String(error)}`);
          failed = true;
        },
      );
    }, blockTimeSec * 1000);
  }
  proxy.control({ resetStats: true });
  const firstBlock = await blockNumber();
  const judge = (label: string, result: LoadResult) => {
    const p99 = result.percentile(99);
    report(`${label} p50`, result.percentile(50), "ms");
    report(`${label} p99`, p99, "ms");
    report(`${label} requests`, result.requests, "requests");
    report(`${label} throughput`, result.requests / result.seconds, "requests/s");
    report(`${label} body`, result.requests ? result.bytes / result.requests / 1024 : 0, "KiB");
    report(`${label} errors`, result.errors, "requests");
    report(`${label} non-2xx`, result.non2xx, "requests");
    if (p99 > P99_BUDGET_MS) {
      note(`${label}: p99 ${Math.round(p99)} ms is over the ${P99_BUDGET_MS} ms budget`);
      failed = true;
    }
    if (result.errors > 0 || result.non2xx > 0) {
      note(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      failed = true;
    }
  };
  // Each route alone under all the clients…
  for (const path of routes) {
    note(`${path}: ${connections} connections for ${duration} s…`);
    judge(path, await runLoad({ url: `${base}${path}`, connections, durationSec: duration, headers }));
  }
  // …then all routes at once, the clients shared between them, as browsers mix page loads and polls.
  note(`all routes at once: ${connections} connections shared for ${duration} s…`);
  const shares = routes.map((_, i) => Math.floor(connections / routes.length) + (i < connections % routes.length ? 1 : 0));
  const mixed = await Promise.all(routes.map((path, i) => (shares[i] ? runLoad({ url: `${base}${path}`, connections: shares[i]!, durationSec: duration, headers }) : null)));
  mixed.forEach((result, i) => result && judge(`mixed ${routes[i]}`, result));
  clearInterval(mining);
  // The last block asked for, mined before the chain stops: a request still in flight then failed with "other side closed".
  await mined;
  const stats = proxy.stats();
  // Every block that existed during the run, the one current at its start included.
  const blocks = (await blockNumber()) - firstBlock + 1;
  const reads = stats.marked.snapshotReads ?? 0;
  report("rpc http requests", stats.requests, "requests");
  report("rpc calls", Object.values(stats.calls).reduce((a, b) => a + b, 0), "calls");
  for (const [method, n] of Object.entries(stats.calls).sort()) report(`rpc ${method}`, n, "calls");
  report("blocks seen", blocks, "blocks");
  report("snapshot reads", reads, "reads");
  report("snapshot reads per block", blocks ? reads / blocks : 0, "reads/block");
  if (reads > blocks) {
    note(`${reads} snapshot reads for ${blocks} blocks: a block was read more than once`);
    failed = true;
  }
} catch (error) {
  console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
  failed = true;
} finally {
  await shutdown();
}
process.exit(failed ? 1 : 0);
