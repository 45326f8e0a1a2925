/**
 * `npm run demo`: the local chain with the seeded market (see chain.ts), a price feed that keeps
 * the oracle fresh with a gentle seeded random walk, the liquidation keeper (keeper/), and the
 * dashboard built and served on http://127.0.0.1:3000. One Ctrl-C stops every process it
 * started, by PID.
 */

import type { ChildProcess } from "node:child_process";
import { startLocalChain, type LocalChain } from "./chain.ts";
import { serveDashboard } from "./dashboard.ts";
import { startPriceFeed } from "./priceFeed.ts";
import { startKeeper } from "../keeper/keeper.ts";

const DASHBOARD_PORT = Number(process.env.PORT ?? 3000);
const children: ChildProcess[] = [];
let chain: LocalChain | undefined;

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

  const dashboard = await serveDashboard({ rpcUrl, deployment, deploymentPath, port: DASHBOARD_PORT, onChild: (child) => children.push(child) });
  void dashboard.exited.then((code) => {
    if (!stopping) {
      console.error(`the dashboard exited (code ${code})`);
      void shutdown(1);
    }
  });
  console.log(`\nBackstop is running at ${dashboard.url} (chain ${rpcUrl}). Ctrl-C stops everything.`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopChildren();
  await chain?.stop();
  process.exit(1);
});
