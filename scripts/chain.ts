/**
 * `npm run chain`: a local chain with the whole protocol on it — anvil on 127.0.0.1, Multicall3
 * at its canonical address, the contracts deployed, the demo market seeded — and
 * `deployments/31337.json` written for the dashboard, the keeper and the CLI.
 *
 * `npm run chain -- --accounts 1000000` builds a big venue instead: above 5,000 accounts (or
 * with `--inject`) the accounts are injected through the clearinghouse's own code
 * (scripts/venue/injectVenue.ts) rather than sent as ~2.5 transactions each. `--port N` picks
 * the port (default 8545), `--batch N` the accounts per injected transaction, `--history N` keeps
 * only the last N blocks' states (anvil's memory at a million accounts: see `historyBlocks`).
 *
 * `startLocalChain` is also what the e2e tests and `npm run demo` use (5,000 accounts, seeded).
 */

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { startAnvil } from "../lib/local/anvil.ts";
import { deployProtocol, installMulticall3 } from "../lib/contracts/deployProtocol.ts";
import { seedMarket, type SeedReport } from "./seed/seed.ts";
import { injectVenue, INJECT_ANVIL_ARGS } from "./venue/injectVenue.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";

/** The demo's venue: seeded by real transactions, as it always was. */
export const DEMO_ACCOUNTS = 5000;

export interface StartLocalChainParameters {
  port?: number;
  /** Seeded accounts (the demo uses 5,000; tests use fewer). */
  accounts?: number;
  /** Inject the accounts instead of seeding them by transactions; default: above 5,000 accounts. */
  inject?: boolean;
  /** Accounts per injected transaction (injectVenue's default otherwise). */
  batchSize?: number;
  /** Where to write the deployment file; default deployments/31337.json. */
  deploymentPath?: string;
  /**
   * Keep only the last `historyBlocks` blocks' states (anvil `--prune-history`); default: every
   * block's. Anvil keeps a copy of the state per block: at 1,000,000 accounts ~1 GiB a block
   * (measured: 6 → 17.8 GiB in ~15 blocks, then killed by the kernel), at 100,000 ~130 MiB. A
   * pruned node cannot answer reads at older blocks: the proposal pages' "before and after
   * execution" and vote forensics need them; the index, the dashboard's following and the keeper
   * do not.
   */
  historyBlocks?: number;
  log?: (line: string) => void;
}

export interface LocalChain {
  rpcUrl: string;
  pid: number;
  deployment: Deployment;
  deploymentPath: string;
  seed: SeedReport;
  stop(): Promise<void>;
}

export async function startLocalChain({
  port = 8545,
  accounts = DEMO_ACCOUNTS,
  inject = accounts > DEMO_ACCOUNTS,
  batchSize,
  deploymentPath = resolve("deployments/31337.json"),
  historyBlocks,
  log = console.log,
}: StartLocalChainParameters = {}): Promise<LocalChain> {
  const started = performance.now();
  const anvil = await startAnvil({ port, args: [...(inject ? INJECT_ANVIL_ARGS : []), ...(historyBlocks === undefined ? [] : ["--prune-history", String(historyBlocks)])] });
  try {
    log(`anvil listening on ${anvil.rpcUrl} (pid ${anvil.pid})`);
    const transport = http(anvil.rpcUrl, { timeout: 60_000 });
    const publicClient = createPublicClient({ transport });
    const [deployer] = await createWalletClient({ transport }).getAddresses();
    const walletClient = createWalletClient({ account: deployer!, transport });
    await installMulticall3(publicClient, walletClient);
    const deployment = await deployProtocol({ publicClient, walletClient, deployer: deployer! });
    log(`deployed the protocol at block ${deployment.deployBlock} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const seed = inject
      ? await injectVenue({ rpcUrl: anvil.rpcUrl, deployment, accounts, log, ...(batchSize === undefined ? {} : { batchSize }) })
      : await seedMarket({ rpcUrl: anvil.rpcUrl, deployment, accounts, log });
    await mkdir(dirname(deploymentPath), { recursive: true });
    await writeFile(deploymentPath, `${JSON.stringify(deployment, null, 2)}\n`);
    log(`wrote ${deploymentPath}`);
    return { rpcUrl: anvil.rpcUrl, pid: anvil.pid, deployment, deploymentPath, seed, stop: anvil.stop };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/** `--accounts N`, `--inject`, `--batch N`, `--port N`, `--history N` from the command line. */
export function parseChainArgs(argv: readonly string[]): StartLocalChainParameters {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i === -1) return undefined;
    const n = Number(argv[i + 1]);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number, got ${argv[i + 1] ?? "nothing"}`);
    return n;
  };
  const accounts = value("--accounts");
  const port = value("--port");
  const batchSize = value("--batch");
  const historyBlocks = value("--history");
  return {
    ...(historyBlocks === undefined ? {} : { historyBlocks }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(port === undefined ? {} : { port }),
    ...(argv.includes("--inject") ? { inject: true } : {}),
  };
}

async function main() {
  const chain = await startLocalChain(parseChainArgs(process.argv.slice(2)));
  console.log(`chain ready: ${chain.rpcUrl}, ${chain.seed.accounts} accounts seeded in ${chain.seed.seconds.toFixed(1)} s. Ctrl-C stops it.`);
  const stop = async () => {
    await chain.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
