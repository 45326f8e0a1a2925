/**
 * Builds the dashboard and serves it (scripts/serve.ts: Next.js behind the per-block page cache) on 127.0.0.1, pointed at a chain and its
 * deployment file; used by `npm run demo` and `npm run replay`. The server runs detached in its
 * own process group so stopping it (by PID) stops its workers too.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { Deployment } from "../lib/contracts/deployment.ts";

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
 * in its own process group; `nodeOptions` go to node before the script (e.g. --cpu-prof).
 */
export function spawnServer({ port, env, nodeOptions = [], stdio = "inherit" }: { port: number | string; env: NodeJS.ProcessEnv; nodeOptions?: string[]; stdio?: "inherit" | "ignore" | ["ignore", "ignore", "inherit"] }): ChildProcess {
  return spawn(process.execPath, [...nodeOptions, "--import", "tsx", resolve("scripts/serve.ts"), "--hostname", "127.0.0.1", "--port", String(port)], { env, stdio, detached: true });
}

export async function serveDashboard({ rpcUrl, deployment, deploymentPath, port, onChild }: { rpcUrl: string; deployment: Deployment; deploymentPath: string; port: number; onChild?: (child: ChildProcess) => void }): Promise<Dashboard> {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BACKSTOP_RPC_URL: rpcUrl, BACKSTOP_CHAIN_ID: String(deployment.chainId), BACKSTOP_DEPLOYMENT: deploymentPath };
  const next = resolve("node_modules/.bin/next");
  const run = (args: string[]) => {
    const child = spawn(next, args, { env, stdio: "inherit", detached: true });
    onChild?.(child);
    return child;
  };
  console.log("building the dashboard…");
  const build = run(["build"]);
  const buildCode = await new Promise<number | null>((r) => build.once("exit", r));
  if (buildCode !== 0) throw new Error(`next build failed (exit ${buildCode})`);
  const server = spawnServer({ port, env });
  onChild?.(server);
  const exited = new Promise<number | null>((r) => server.once("exit", r));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHttp(`${url}/`, 60_000), exited.then((code) => Promise.reject(new Error(`the dashboard exited (code ${code})`)))]);
  return { url, exited, stop: () => stopChild(server) };
}
