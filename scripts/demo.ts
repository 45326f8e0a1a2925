/**
 * `npm run demo`: the local chain with the seeded market (see chain.ts), a price feed that keeps
 * the oracle fresh with a gentle seeded random walk, the liquidation keeper (keeper/), the
 * indexer (indexer/: Ponder on its embedded PGlite in .demo/index, or on $DATABASE_URL) on
 * http://127.0.0.1:42069, the relay's sponsor key (a fresh key funded with 100 ETH, for votes and
 * delegations without gas, unless BACKSTOP_RELAYER_KEY is set) and the dashboard built and served
 * on http://127.0.0.1:3000. One Ctrl-C stops every process it started, by PID.
 *
 * The indexer starts with the dashboard, at a lower CPU priority, and nothing waits for it: its
 * backfill must not delay the first page (the dashboard checks the index against the chain once
 * it is there).
 *
 * The chain's seed and the dashboard's build run side by side (neither needs the other); every
 * line says which stage it comes from, and long stages say how far along they are.
 */

import type { ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { startLocalChain, type LocalChain } from "./chain.ts";
import { buildDashboard, startDashboard } from "./dashboard.ts";
import { startPriceFeed } from "./priceFeed.ts";
import { stageLog } from "./progress.ts";
import { createTestClient, http, parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startKeeper } from "../keeper/keeper.ts";
import { INDEXER_PRIORITY, startIndexer, type IndexerInstance } from "../lib/indexer/startIndexer.ts";
import { freePort, portInUse } from "../lib/local/anvil.ts";
import { messageOf } from "../lib/errors/messageOf.ts";

const DASHBOARD_PORT = Number(process.env.PORT ?? 3000);
const CHAIN_PORT = Number(process.env.BACKSTOP_DEMO_CHAIN_PORT ?? 8545);
const INDEXER_PORT = Number(process.env.BACKSTOP_INDEXER_PORT ?? 42069);
const children: ChildProcess[] = [];
let chain: LocalChain | undefined;
let indexer: IndexerInstance | undefined;

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
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const demoLog = stageLog("demo");
  demoLog("starting the local chain (seeding 5,000 accounts) and building the dashboard, side by side");
  const onChild = (child: ChildProcess) => children.push(child);
  const [localChain] = await Promise.all([
    startLocalChain({ port: CHAIN_PORT, log: stageLog("chain") }).then((c) => (chain = c)),
    buildDashboard({ log: stageLog("build"), onChild }),
  ]);
  const { rpcUrl, deployment, deploymentPath } = localChain;
  let stopping = false;
  const feed = startPriceFeed({ rpcUrl, deployment, intervalMs: 12_000 });
  // The demo's keeper is the protocol's own: it also liquidates bankrupt accounts, which pay nothing.
  const keeperLog = stageLog("keeper");
  const keeper = startKeeper({ rpcUrl, deployment, account: localChain.seed.roles.keeper, liquidateBankrupt: true, log: (entry) => keeperLog(JSON.stringify(entry)) });
  // The indexer's port is chosen now, so the dashboard can check the index against the chain (an alert on a drift).
  const indexerPort = (await portInUse(INDEXER_PORT)) ? await freePort() : INDEXER_PORT;
  void startDemoIndexer(rpcUrl, deploymentPath, indexerPort);
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the dashboard, the keeper, the price feed, the indexer and the chain…");
    feed.stop();
    keeper.stop();
    stopChildren();
    await Promise.all([indexer?.stop(), chain?.stop()]);
    process.exit(code);
  };
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal, to the whole process
  // group, and relayed by tsx), and a second SIGINT with no handler ended it mid-shutdown — before
  // it could kill an indexer whose own shutdown hangs, which was left running.
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  // The relay's sponsor, funded like the keeper: a key of its own, given to the dashboard only.
  const relayerKey = process.env.BACKSTOP_RELAYER_KEY?.trim() || generatePrivateKey();
  await createTestClient({ mode: "anvil", transport: http(rpcUrl) }).setBalance({ address: privateKeyToAccount(relayerKey as Hex).address, value: parseEther("100") });
  const dashboard = await startDashboard({ rpcUrl, deployment, deploymentPath, port: DASHBOARD_PORT, log: stageLog("dashboard"), onChild, indexerUrl: `http://127.0.0.1:${indexerPort}`, extraEnv: { BACKSTOP_RELAYER_KEY: relayerKey } });
  void dashboard.exited.then((code) => {
    if (!stopping) {
      console.error(`the dashboard exited (code ${code})`);
      void shutdown(1);
    }
  });
  console.log(`\nBackstop is running at ${dashboard.url} (chain ${rpcUrl}), ready ${elapsed()} after \`npm run demo\`. Ctrl-C stops everything.\n`);
}

/** The indexer, on a fresh database (the chain is new), announced when it follows the chain; its failure stops only itself. */
async function startDemoIndexer(rpcUrl: string, deploymentPath: string, port: number) {
  const log = stageLog("index");
  const started = performance.now();
  try {
    indexer = await startIndexer({ rpcUrl, deploymentPath, port, directory: resolve(".demo/index"), fresh: true, priority: INDEXER_PRIORITY, log });
    log(`indexing the chain into ${process.env.DATABASE_URL ? "Postgres ($DATABASE_URL)" : "PGlite (.demo/index)"}, served on ${indexer.url}`);
    await indexer.ready();
    log(`backfill done in ${((performance.now() - started) / 1000).toFixed(0)} s: following the chain live (npm run risk -- index-check --indexer ${indexer.url})`);
  } catch (error) {
    log(`the indexer stopped: ${messageOf(error)}; the dashboard does not need it`);
  }
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopChildren();
  await Promise.all([indexer?.stop(), chain?.stop()]);
  process.exit(1);
});
