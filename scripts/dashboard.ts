/**
 * Builds the dashboard and serves it (scripts/serve.ts: Next.js behind the per-block page cache) on 127.0.0.1, pointed at a chain and its
 * deployment file; used by `npm run demo` and `npm run replay`. The server runs detached in its
 * own process group so stopping it (by PID) stops its workers too.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { PACED_PROCESS_FLAGS } from "../lib/server/sharedMemoryCollector.ts";
import { pipeLines, withTicker, type Log } from "./progress.ts";

export interface Dashboard {
  url: string;
  /** Resolves with the exit code if the server stops by itself. */
  exited: Promise<number | null>;
  stop(): void;
}

function stopChild(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.text(); // the whole page: a streamed skeleton is not a rendered page
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the dashboard did not answer on ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Starts the production server (scripts/serve.ts, through tsx) on 127.0.0.1:`port`, detached
 * in its own process group; `nodeOptions` go to node before the script (e.g. --cpu-prof), after
 * PACED_PROCESS_FLAGS (its block worker paces its own collections).
 */
export function spawnServer({ port, env, nodeOptions = [], stdio = "inherit" }: { port: number | string; env: NodeJS.ProcessEnv; nodeOptions?: string[]; stdio?: "inherit" | "ignore" | "pipe" | ["ignore", "ignore", "inherit"] }): ChildProcess {
  // Without DATABASE_URL each server has its own embedded database (PGlite serves one process):
  // one directory per port, so the demo, a replay and a load run side by side never share one.
  const database = env.DATABASE_URL || env.BACKSTOP_DB_DIR ? {} : { BACKSTOP_DB_DIR: `.demo/db-${port}` };
  return spawn(process.execPath, [...PACED_PROCESS_FLAGS, ...nodeOptions, "--import", "tsx", resolve("scripts/serve.ts"), "--hostname", "127.0.0.1", "--port", String(port)], { env: { ...env, ...database }, stdio, detached: true });
}

/** What a build is made of: the app's sources and config, and the installed packages (the lockfile). */
const BUILD_INPUTS = ["app", "components", "lib", "engine", "proxy.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const BUILD_STAMP = resolve(".next/backstop-sources.sha256");

function buildInputsHash(): string {
  const hash = createHash("sha256");
  const add = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
    } else if (!path.endsWith(".test.ts")) {
      hash.update(path).update(readFileSync(path));
    }
  };
  for (const input of BUILD_INPUTS) add(resolve(input));
  return hash.digest("hex");
}

/**
 * `next build`, unless .next already holds a build of exactly these sources (a second `npm run
 * demo` starts at once). Next's output goes to `log` line by line, with a "still building… N s"
 * every few seconds. Types are not checked here (`npm test` does: next.config.ts).
 */
export async function buildDashboard({ log, onChild }: { log: Log; onChild?: (child: ChildProcess) => void }): Promise<void> {
  const inputs = buildInputsHash();
  if (existsSync(resolve(".next/BUILD_ID")) && existsSync(BUILD_STAMP) && readFileSync(BUILD_STAMP, "utf8") === inputs) {
    log("the dashboard's sources are unchanged since the last build: using it");
    return;
  }
  const started = performance.now();
  log("next build (production; ~20–60 s on 2 cores)…");
  const build = spawn(resolve("node_modules/.bin/next"), ["build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  onChild?.(build);
  pipeLines(build.stdout, log);
  pipeLines(build.stderr, log);
  const code = await withTicker(log, "building", new Promise<number | null>((r) => build.once("exit", r)));
  if (code !== 0) throw new Error(`next build failed (exit ${code}): its output is above`);
  writeFileSync(BUILD_STAMP, inputs);
  log(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Serves the built dashboard and waits until its first page has been rendered from the chain
 * (so the first visitor does not wait for the first snapshot read).
 */
export async function startDashboard({ rpcUrl, deployment, deploymentPath, port, log, onChild, indexerUrl, extraEnv = {} }: { rpcUrl: string; deployment: Deployment; deploymentPath: string; port: number; log: Log; onChild?: (child: ChildProcess) => void; /** An indexer whose state the dashboard checks against the chain. */ indexerUrl?: string; extraEnv?: Record<string, string> }): Promise<Dashboard> {
  // The local demo's webhook receivers are local too; its operator token (for /notifications) is made up when none is given.
  const adminToken = process.env.BACKSTOP_ADMIN_TOKEN || randomBytes(16).toString("hex");
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BACKSTOP_RPC_URL: rpcUrl, BACKSTOP_CHAIN_ID: String(deployment.chainId), BACKSTOP_DEPLOYMENT: deploymentPath, BACKSTOP_ALLOW_PRIVATE_WEBHOOKS: process.env.BACKSTOP_ALLOW_PRIVATE_WEBHOOKS ?? "1", BACKSTOP_ADMIN_TOKEN: adminToken, ...(indexerUrl ? { BACKSTOP_INDEXER_URL: indexerUrl } : {}), ...extraEnv };
  const server = spawnServer({ port, env, stdio: "pipe" });
  if (!process.env.BACKSTOP_ADMIN_TOKEN) log(`operator token for webhook subscriptions (/notifications): ${adminToken}`);
  onChild?.(server);
  pipeLines(server.stdout, log);
  pipeLines(server.stderr, log);
  const exited = new Promise<number | null>((r) => server.once("exit", r));
  const url = `http://127.0.0.1:${port}`;
  log(`starting on ${url} and reading the first block…`);
  await Promise.race([withTicker(log, "starting", waitForHttp(`${url}/`, 90_000)), exited.then((code) => Promise.reject(new Error(`the dashboard exited (code ${code})`)))]);
  // Each route's code loads on its first request: pay that now, not on the first visitor's click.
  await Promise.all(WARM_ROUTES.map((path) => fetch(`${url}${path}`).then((r) => r.arrayBuffer(), () => undefined)));
  return { url, exited, stop: () => stopChild(server) };
}

const WARM_ROUTES = ["/markets", "/accounts", "/reserves", "/stress", "/governance", "/governance/new", "/delegates", "/api/accounts"];

/** Build (when the sources changed) and serve: what `npm run replay` uses. */
export async function serveDashboard(options: { rpcUrl: string; deployment: Deployment; deploymentPath: string; port: number; log: Log; onChild?: (child: ChildProcess) => void }): Promise<Dashboard> {
  await buildDashboard(options);
  return startDashboard(options);
}
