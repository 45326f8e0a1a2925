/**
 * `npm run demo`: the local chain with the seeded market (see chain.ts), a price feed that keeps
 * the oracle fresh with a gentle seeded random walk, the liquidation keeper (keeper/), and the
 * dashboard built and served on http://127.0.0.1:3000. One Ctrl-C stops every process it
 * started, by PID.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { startLocalChain, type LocalChain } from "./chain.ts";
import { startPriceFeed } from "./priceFeed.ts";
import { startKeeper } from "../keeper/keeper.ts";

const DASHBOARD_PORT = Number(process.env.PORT ?? 3000);
const children: ChildProcess[] = [];
let chain: LocalChain | undefined;

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // detached: the child leads its own process group, so stopping it stops its workers too.
  const child = spawn(command, args, { env, stdio: "inherit", detached: true });
  children.push(child);
  return child;
}

function stopChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
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

async function main() {
  chain = await startLocalChain({ port: 8545 });
  const { rpcUrl, deployment, deploymentPath } = chain;
  let stopping = false;
  const feed = startPriceFeed({ rpcUrl, deployment, intervalMs: 12_000 });
  // The demo's keeper is the protocol's own: it also liquidates bankrupt accounts, which pay nothing.
  const keeper = startKeeper({ rpcUrl, deployment, account: chain.seed.roles.keeper, liquidateBankrupt: true, log: (entry) => console.log(`keeper ${JSON.stringify(entry)}`) });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the dashboard, the keeper, the price feed and the chain…");
    feed.stop();
    keeper.stop();
    stopChildren();
    await chain?.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));

  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    BACKSTOP_RPC_URL: rpcUrl,
    BACKSTOP_CHAIN_ID: String(deployment.chainId),
    BACKSTOP_DEPLOYMENT: deploymentPath,
  };
  const next = resolve("node_modules/.bin/next");
  console.log("building the dashboard…");
  const build = run(next, ["build"], env);
  const buildCode = await new Promise<number | null>((r) => build.once("exit", r));
  if (buildCode !== 0) {
    console.error(`next build failed (exit ${buildCode})`);
    return shutdown(1);
  }
  const server = run(next, ["start", "--hostname", "127.0.0.1", "--port", String(DASHBOARD_PORT)], env);
  server.once("exit", (code) => {
    if (!stopping) {
      console.error(`the dashboard exited (code ${code})`);
      void shutdown(1);
    }
  });
  await waitForHttp(`http://127.0.0.1:${DASHBOARD_PORT}/`, 60_000);
  console.log(`\nBackstop is running at http://127.0.0.1:${DASHBOARD_PORT} (chain ${rpcUrl}). Ctrl-C stops everything.`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopChildren();
  await chain?.stop();
  process.exit(1);
});
