/**
 * `npm run bench -- --accounts N [--batch B] [--port P]`: a big venue on demand, end to end on this
 * machine, as issue #16's "Prove it" asks. One JSON line per figure; the baseline is the issue's
 * target at 1,000,000 accounts where it sets one, null otherwise. In order:
 *
 * 0. the host's speed, a peer of the others (hostSpeedFigure), before the venue and after 2;
 * 1. the venue: build by injection (scripts/venue/injectVenue.ts, as `npm run chain -- --accounts N`
 *    does), anvil's RSS, readSnapshot of the whole venue;
 * 2. the block worker's work per new block (follow the snapshot, the views, the accounts' bytes it
 *    hands the request thread), in this process, with 1 % of the accounts trading and with every
 *    price moving (blockWorkFigures);
 * 3. the indexer's backfill: the real indexer (Ponder on embedded PGlite, in a fresh temporary
 *    directory) from its start to the chain head, in events per second as Ponder counts them; or,
 *    when it fails or stalls, how far it got and its last complaint (indexerBackfillFigures);
 * 4. the production server (scripts/serve.ts) under 50 clients asking for /api/accounts pages
 *    (sorts, deep pages, filters, searches) while a block of trades is mined every second, the
 *    indexer following: page latency, and the blocks the server published of those mined, with
 *    the time from each block to its publication and the server's own timing of its stages
 *    (/api/block's Server-Timing: follow, views, detectors...) (serverFigures);
 * 5. a parameter-change preview on the server: POST /api/preview to the server of 4 once its load
 *    ended, as the builder asks it (its pool thread has read the published block, warmEnginePool),
 *    the first and the next; then, apart, on a cold pool in this process (a thread started and the
 *    block read for the first: a server's first preview before it published a block);
 * 6. the peak RSS of the indexer and of the server over the run, children included, their sum,
 *    and the highest RSS of the two at one moment;
 * 7. the trades of the bench's blocks of trades that went through, counted last (tradesFigures).
 *
 * With --port P, anvil listens on P, the server on P+1 and the indexer on P+2; otherwise on free
 * ports. With DATABASE_URL set, the indexer and the server both use that Postgres (the server
 * then shares its blocks through it, lib/server/blockShare), and the indexer's figures say so;
 * the database's own processes are not in the memory figures. Everything it starts is stopped by PID and its temporary directory removed when it ends,
 * fails or is interrupted (Ctrl-C).
 */

import { mkdtempSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createPublicClient, createTestClient, encodeFunctionData, type Address, type PublicClient } from "viem";
import { computeAccountRisk, healthRatio, toJson, type ParamChange, type ProtocolSnapshot } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { clearinghouseAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { messageOf } from "../lib/errors/messageOf.ts";
import { LOGS_PART_NOTE } from "../lib/indexer/localNodeTransport.ts";
import { INDEXER_PRIORITY, startIndexer, type IndexerInstance } from "../lib/indexer/startIndexer.ts";
import { freePort } from "../lib/local/anvil.ts";
import { sendCalls } from "../lib/local/sendCalls.ts";
import { closeEnginePool, previewOnServer } from "../lib/server/enginePool.ts";
import { collectNow } from "../lib/server/sharedMemoryCollector.ts";
import { computeBlockViews } from "../lib/server/views.ts";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { buildDashboard, spawnServer } from "../scripts/dashboard.ts";
import { nearestRank, runLoadApart } from "../scripts/loadClient.ts";
import { blockWorkApart, nodeTransport, pricesOf, type BlockWork, type VenuePrices } from "./blockWork.ts";
import { publishedBlock, watchBlocksApart } from "./blockWatch.ts";
import { accountPagePaths } from "./accountPagePaths.ts";
import { completedEventsOfMetrics } from "./ponderMetrics.ts";
import { cpuSecondsOf, statusFieldKiB, watchPeakRss, type PeakRss, type PeakRssWatch } from "./processMemory.ts";

export type Report = (name: string, value: number, unit: string, baseline: number | null) => void;

export interface VenueBenchOptions {
  accounts: number;
  /** anvil's port; the server's is port + 1, the indexer's port + 2. Default: free ports. */
  port?: number;
  /** Accounts per injected transaction (injectVenue's default otherwise). */
  batchSize?: number;
}

/** The issue's targets at 1,000,000 accounts. */
const TARGET_PUBLISHED_P99_MS = 1000;
const TARGET_ACCOUNTS_PAGE_P99_MS = 300;
const TARGET_PREVIEW_MS = 2000;
const TARGET_INDEXER_AND_SERVER_MIB = 6 * 1024;

/**
 * The JavaScript heap ceiling of the bench's server (and of this process: package.json's bench
 * script). V8's default here is ~4 GiB: at 1,000,000 accounts this process died at it reading
 * the venue whole (the peer figure) with the followed snapshots in hand.
 */
const HEAP_CEILING_MIB = 16_384;

/** The server's request thread says on the bench's stderr every stall this long or longer under the load (lib/server/stallWatch): what a page p99 over its target is made of. */
const STALL_LOG_MS = 200;
/** The issue's load: 50 clients. */
const LOAD_CLIENTS = 50;
const LOAD_SECONDS = 30;
/**
 * Blocks the load should see at least: when the node mines a block of trades slower than
 * BLOCK_TIME_MS (anvil at 1,000,000 accounts: ~15–19 s a block, its cost per block grows with the
 * state), the load lasts long enough for this many, at most MAX_LOAD_SECONDS.
 */
const LOAD_BLOCKS = 8;
const MAX_LOAD_SECONDS = 240;

const BLOCK_TIME_MS = 1000;

/**
 * Under the pages' load (serverFigures, 4), the longest the node's next block of trades waits for
 * the server to publish the last one. A venue's node answers from a machine of its own; this
 * bench's shares the server's two cores, and its next block of trades — 5,000 transactions taken
 * in and mined, ~27 s of a core at 1,000,000 accounts, one after the other when blocks are mined
 * as fast as the node can — ran beside every read of the server's: the node's answers to it were
 * 177–943 ms where they are ~150 alone, its head's 9–750. The pages' load goes on throughout.
 */
const NODE_QUIET_MS = 10_000;

/** The load's length: LOAD_SECONDS, or LOAD_BLOCKS blocks at the node's pace (`blockMs`, a block of trades) when that is longer (at most MAX_LOAD_SECONDS). */
function loadSeconds(blockMs: number): number {
  const pace = Math.max(BLOCK_TIME_MS, blockMs || 0);
  return Math.min(MAX_LOAD_SECONDS, Math.max(LOAD_SECONDS, Math.ceil((LOAD_BLOCKS * pace) / 1000)));
}

const note = (line: string) => console.error(`bench: ${line}`);
/** A block's stages' times in words, for its line on stderr: "follow 285 ms, views 604 ms". */
const stagesInWords = (times: Record<string, number>) => Object.entries(times).map(([stage, ms]) => `${stage} ${ms.toFixed(0)} ms`).join(", ");
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** p-th percentile (0–100) of `samples`, nearest rank. */
const percentile = (samples: readonly number[], p: number) => (samples.length ? nearestRank([...samples].sort((a, b) => a - b), p) : NaN);

/** Resident memory of one process now, or its high-water mark (Linux /proc), MiB. */
function rssMiB(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  return statusFieldKiB(readFileSync(`/proc/${pid}/status`, "utf8"), field) / 1024;
}

/** What the bench must undo, last first, whether it ends, fails or is interrupted. */
function createCleanup() {
  const steps: (() => unknown)[] = [];
  let running: Promise<void> | undefined;
  return {
    push(step: () => unknown) {
      steps.push(step);
    },
    run(): Promise<void> {
      running ??= (async () => {
        for (let step = steps.pop(); step; step = steps.pop()) {
          try {
            await step();
          } catch (error) {
            note(`cleaning up: ${messageOf(error)}`);
          }
        }
      })();
      return running;
    },
  };
}
type Cleanup = ReturnType<typeof createCleanup>;

/**
 * The host's speed, as a peer for the run's other figures: a fixed piece of BigInt arithmetic, the
 * kind the engine's valuations are made of (a wad multiply and divide, HOST_SPEED_STEPS times),
 * independent of the product's code, timed HOST_SPEED_TIMES times (the median). The block-work
 * figures of one commit were 2.5–3.2× slower on 2026-12-07 than the run before (the venue built
 * in 519 s where it took 182): without a peer, a slow day reads as a slow change.
 */
const HOST_SPEED_STEPS = 1_000_000;
const HOST_SPEED_TIMES = 5;

function hostSpeedFigure(when: string, report: Report) {
  const wad = 10n ** 18n;
  const times: number[] = [];
  for (let t = 0; t < HOST_SPEED_TIMES; t++) {
    const started = performance.now();
    let x = 1_234_567_890_123_456_789n;
    for (let i = 0; i < HOST_SPEED_STEPS; i++) x = ((x * 1_000_000_001_000_000_000n) / wad) % (10n ** 30n) + 1n;
    if (x === 0n) throw new Error("unreachable: keeps the loop's result alive");
    times.push(performance.now() - started);
  }
  report(`host speed (a peer of this run's figures): ${HOST_SPEED_STEPS.toLocaleString("en-US")} BigInt wad multiply-divides, ${when}: median of ${HOST_SPEED_TIMES}`, percentile(times, 50), "ms", null);
}

export async function runVenueBench({ accounts, port, batchSize }: VenueBenchOptions, report: Report) {
  const dir = mkdtempSync(join(tmpdir(), "backstop-bench-venue-"));
  const cleanup = createCleanup();
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const interrupted = () => void cleanup.run().finally(() => process.exit(130));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const memory = watchPeakRss();
  try {
    // The server's build first (nothing when .next holds these sources), so it never runs beside a measurement.
    await buildDashboard({ log: (line) => note(`build: ${line}`) });
    hostSpeedFigure("before the venue is built", report);
    const chain = await buildVenue({ accounts, port, batchSize, deploymentPath: join(dir, "31337.json"), report });
    cleanup.push(() => chain.stop());
    const client = createPublicClient({ transport: nodeTransport(chain.rpcUrl) });
    const start = venueAtStart(await readVenueFigures(client, chain, report));
    const trades = createTrades(client, chain, start);
    const previewChanges = await blockWorkFigures(client, chain, start, trades, report);
    hostSpeedFigure("after the block worker's figures", report);
    const indexer = await indexerBackfillFigures({ client, chain, accounts: start.accounts, directory: join(dir, "index"), port: port === undefined ? 0 : port + 2, memory, cleanup, report });
    await serverFigures({ client, chain, indexer, trades, searched: start.searched, previewChanges, accounts: start.accounts, databaseDir: join(dir, "server-db"), port: port === undefined ? await freePort() : port + 1, memory, cleanup, report });
    // The venue read again for the preview in this process: held from the start, its ~2 GB were collected on V8's threads beside the timed work (VenueAtStart).
    await previewFigures(await readSnapshot(client, { deployment: chain.deployment }), previewChanges, report);
    memoryFigures(memory.stop(), start.accounts, report);
    await tradesFigures(client, chain, trades, start.accounts, report);
  } finally {
    memory.stop();
    await cleanup.run();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/**
 * The blocks whose states anvil keeps (startLocalChain's historyBlocks). Every reader here reads
 * the head or a block or two behind it, and a kept state per block would grow anvil by ~1 GiB a
 * block at 1,000,000 accounts (it was killed at 17.8 GiB before the server's figures).
 */
const BENCH_HISTORY_BLOCKS = 4;

/** 1. Builds the venue by injection and reports its build time and anvil's memory. */
async function buildVenue({ accounts, port = 0, batchSize, deploymentPath, report }: VenueBenchOptions & { deploymentPath: string; report: Report }): Promise<LocalChain> {
  const started = performance.now();
  const chain = await startLocalChain({ port, accounts, inject: true, deploymentPath, historyBlocks: BENCH_HISTORY_BLOCKS, log: () => {}, ...(batchSize === undefined ? {} : { batchSize }) });
  const batch = batchSize === undefined ? "" : ` --batch ${batchSize}`;
  report(`build of an injected venue of ${accounts} accounts (npm run chain -- --accounts ${accounts}${batch})`, (performance.now() - started) / 1000, "s", null);
  report(`anvil RSS after building ${accounts} accounts`, rssMiB(chain.pid), "MiB", null);
  return chain;
}

/** 1. The whole venue read as the dashboard's snapshot reader does (no target in the issue). */
async function readVenueFigures(client: PublicClient, chain: LocalChain, report: Report): Promise<ProtocolSnapshot> {
  const readStarted = performance.now();
  const snapshot = await readSnapshot(client, { deployment: chain.deployment });
  report(`readSnapshot of the injected venue's ${snapshot.accounts.length} accounts`, (performance.now() - readStarted) / 1000, "s", null);
  report(`anvil RSS after reading ${snapshot.accounts.length} accounts`, rssMiB(chain.pid), "MiB", null);
  return snapshot;
}

/**
 * What the bench keeps of the venue it read at the start: not the venue. The bench's thread waits
 * idle while the work it times runs on others, and V8 collects an idle thread's heap then, on
 * V8's threads, on the same two cores: a venue held here (~2 GB at 1,000,000 accounts) was marked
 * beside the block worker's blocks (harnessSettled). Holding none, the bench has no such heap to
 * collect. (The slow second block of trades, 1,104–1,160 ms in earlier runs, came again with the
 * venue dropped, 1,107 ms: that one was the block worker's own process — PACED_PROCESS_FLAGS.)
 */
interface VenueAtStart extends VenuePrices {
  accounts: number;
  /** Accounts with room to trade a little more (health ≥ 3, or collateral and no position): createTrades' pairs. */
  roomy: Address[];
  /** Addresses the clients search for (parts of). */
  searched: Address[];
}

function venueAtStart(snapshot: ProtocolSnapshot): VenueAtStart {
  const roomy = snapshot.accounts.filter((a) => {
    const health = healthRatio(computeAccountRisk(snapshot, a));
    return health === null ? a.balancesNative.some((b) => b > 0n) : health >= 3;
  });
  return {
    accounts: snapshot.accounts.length,
    ...pricesOf(snapshot),
    roomy: roomy.map((a) => a.address),
    searched: [7, 3, 2].map((k) => snapshot.accounts[Math.floor(snapshot.accounts.length / k)]!.address),
  };
}

interface Trades {
  /** Accounts a block of trades touches: 1 % of the venue (the issue's figure), in pairs. */
  touched: number;
  /** Mines one block in which `touched` accounts trade 0.001 ETH in pairs; `round` picks the pairs (a new round, new pairs). Resolves to that block's number. */
  mine(round: number): Promise<bigint>;
  /** How long each mine() took, from sending the first trade to the block mined: the node's pace. */
  miningMs: number[];
  /** The blocks mine() mined, in order. */
  blocks: bigint[];
}


/** Blocks of trades between accounts with room to trade a little more (VenueAtStart's roomy). */
function createTrades(client: PublicClient, chain: LocalChain, { accounts, roomy }: VenueAtStart): Trades {
  const { deployment } = chain;
  const { deployer } = chain.seed.roles;
  const touched = Math.max(2, Math.round(accounts / 100)) & ~1;
  const miningMs: number[] = [];
  const blocks: bigint[] = [];
  return {
    touched,
    miningMs,
    blocks,
    async mine(round) {
      const started = performance.now();
      const calls = Array.from({ length: touched / 2 }, (_, k) => {
        const taker = roomy[(round * touched + 2 * k) % roomy.length]!;
        const maker = roomy[(round * touched + 2 * k + 1) % roomy.length]!;
        const data = encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [taker, maker, 0n, (k % 2 ? -1n : 1n) * 10n ** 15n] });
        return { from: deployer, to: deployment.contracts.clearinghouse, data, label: `trade ${taker} / ${maker}` };
      });
      const before = await client.getBlockNumber({ cacheTime: 0 });
      // One round, one block: the injected venue's gas limit holds 13,000 calls of sendCalls' gas
      // (5,000 at 1,000,000 accounts). No receipt is read (tradesFigures counts the trades that went
      // through once the figures are taken): anvil took 46.6 s of a core for a block of 5,000
      // trades' receipts at 1,000,000 accounts, asked for as soon as the block was mined, beside the
      // server's read of that block.
      await sendCalls(client, { calls, mode: "unchecked", roundSize: calls.length });
      const mined = await client.getBlockNumber({ cacheTime: 0 });
      if (mined - before !== 1n) throw new Error(`a round of ${calls.length} trades took ${mined - before} blocks, not one: the figures per block would not be 1 % of the accounts`);
      miningMs.push(performance.now() - started);
      blocks.push(mined);
      return mined;
    },
  };
}

/**
 * 7. The trades of the bench's blocks of trades that went through, counted once every other figure
 * is taken (mine() reads no receipt): each block's Traded events, one a trade that went through,
 * against its transactions. The accounts a block touched are twice its trades that went through:
 * in a probe at 1,000,000 accounts 37 of a block's 5,000 trades reverted (why, not looked at),
 * 0.99 % of the accounts touched where the figures say 1 %.
 */
async function tradesFigures(client: PublicClient, chain: LocalChain, trades: Trades, accounts: number, report: Report) {
  let [sent, traded] = [0, 0];
  for (const blockNumber of trades.blocks) {
    sent += await client.getBlockTransactionCount({ blockNumber });
    traded += (await client.getContractEvents({ address: chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName: "Traded", fromBlock: blockNumber, toBlock: blockNumber })).length;
  }
  report(`trades that went through, of the ${sent} in the bench's ${trades.blocks.length} blocks of trades (the rest reverted), ${accounts} accounts`, traded, "trades", null);
}

/**
 * After a full collection of the bench's heap, the time its sweeping goes on on V8's threads
 * (measured: ~0.3 s at 1,000,000 accounts, on four threads).
 */
const HARNESS_SWEEP_MS = 1000;

/**
 * The bench's own heap collected and swept, before it asks for a block's work: the bench waits
 * idle during that work, and V8 goes on with (or starts: its memory reducer) a collection of a
 * heap whose thread is idle — the bench's, of ~2.6 GB at 1,000,000 accounts when it held the venue
 * (it holds VenueAtStart now, and the garbage of the blocks of trades it mines), marked on V8's
 * threads, on both cores of this machine. Measured (--trace-gc and each thread's CPU from /proc):
 * block 299 of trades took 1,532 ms (views 1,174) and block 300 1,241 ms against ~610 for the
 * others, the bench's heap in a collection with 930 and 730 ms of marking during them and the
 * worker's heap in none; in a process of its own the block worker fared no better (1,743 ms), the
 * bench's marking on the same cores. Settled first, eight blocks of trades took 571–799 ms and
 * eight of prices 686–923. The server's request thread keeps 0.1–0.5 GB.
 */
async function harnessSettled(): Promise<void> {
  collectNow();
  await sleep(HARNESS_SWEEP_MS);
}

/** Rounds of trades blockWorkFigures mines; the server's load goes on from there. */
const BLOCK_WORK_BLOCKS = 8;
/** The first round of trades mined while the follower verifies its accounts (pairs of their own, not the server's). */
const VERIFYING_ROUNDS = 1000;
/**
 * The most blocks of trades mined while the verification runs (4 at 1,000,000 accounts, on this
 * host at its usual speed). On 2026-12-07 the host was ~3× slower (the venue built in 519 s where
 * it took 182): the verification's full read, then all at one block, outlasted the
 * BENCH_HISTORY_BLOCKS blocks whose states anvil keeps, anvil refused its reads at the pruned block
 * ("Invalid parameters"), followSnapshot tried again two blocks later, and again, and the bench
 * mined blocks without end. The verification now reads each part at the newest block followed
 * (followSnapshot's VERIFY_ACCOUNTS_PER_PART); this bound stays, for a node slower still.
 */
const MAX_VERIFYING_BLOCKS = 16;

/**
 * 2. The block worker's work for each new block of a big venue (lib/server/blockWorker), on a
 * thread of its own (bench/blockWork): follow the snapshot from the last block
 * (lib/actions/followSnapshot) and the views every page shares from the last block's
 * (lib/server/followBlockViews) — over BLOCK_WORK_BLOCKS blocks in which 1 % of the accounts trade,
 * then over as many in which every price moves, then while its safety net's full read runs in the
 * background; a full read and its views from scratch (computeBlockViews) beside them. What the
 * server adds on top (handing the block to the request thread, the detectors) is not in these
 * figures: serverFigures has the server's own. Returns the change the preview figures weigh
 * (marginIncrease), of the full read's markets.
 */
async function blockWorkFigures(client: PublicClient, chain: LocalChain, start: VenueAtStart, trades: Trades, report: Report, blocks = BLOCK_WORK_BLOCKS): Promise<ParamChange[]> {
  const { deployment } = chain;
  const { deployer } = chain.seed.roles;
  const venueName = `${start.accounts} accounts`;
  // Its safety net's full read (followSnapshot's verification) begins once the blocks of trades and of prices are done.
  const worker = blockWorkApart({ rpcUrl: chain.rpcUrl, deployment, verifyEvery: BigInt(2 * blocks + 1) });
  try {
    /** One block's work; each block's own times on stderr: what a p99 of a few blocks is made of. */
    const work = async () => {
      // The bench's own heap (the venue it built, the trades it mines: ~2 GB) collected before the
      // block, and swept, not during it (harnessSettled).
      await harnessSettled();
      const done = await worker.next();
      const times = { total: done.total, follow: done.follow, ...(done.node !== undefined && { node: done.node }), views: done.views, bytes: done.bytes };
      note(`block worker: block ${done.block}, ${done.kind ?? "?"} read: ${stagesInWords(times)}`);
      return done;
    };
    await work(); // the first block: a full read, and its views from scratch
    const reportWork = (samples: BlockWork[], what: string) => {
      report(`block worker per block (follow + views + the accounts' bytes), ${what}, ${venueName}: p50`, percentile(samples.map((w) => w.total), 50), "ms", null);
      report(`block worker per block (follow + views + the accounts' bytes), ${what}, ${venueName}: p99`, percentile(samples.map((w) => w.total), 99), "ms", TARGET_PUBLISHED_P99_MS);
      for (const stage of ["follow", "views", "bytes"] as const) report(`  of which ${stage}, ${what}, ${venueName}: p50`, percentile(samples.map((w) => w[stage]), 50), "ms", null);
      // Of the follow, the wait for the node (its logs and venue): the rest of it is the thread's.
      report(`  of which, of the follow, the node's answers, ${what}, ${venueName}: p50`, percentile(samples.flatMap((w) => (w.node === undefined ? [] : [w.node])), 50), "ms", null);
    };
    const trading: BlockWork[] = [];
    for (let b = 0; b < blocks; b++) {
      await trades.mine(b);
      trading.push(await work());
      if (trading.at(-1)!.kind !== "incremental") throw new Error(`block ${b} of trades was read in full`);
    }
    report(`anvil: mining a block of ${trades.touched / 2} trades (sent and mined), ${venueName}: p50`, percentile(trades.miningMs, 50), "ms", null);
    reportWork(trading, `${trades.touched} accounts trading a block`);
    const moving: BlockWork[] = [];
    let last: VenuePrices = start;
    for (let b = 0; b < blocks; b++) {
      const feeds = [...new Set([...last.markets.map((m) => m.feedId), ...last.collaterals.map((c) => c.feedId)])];
      const prices = feeds.map((feed) => {
        const market = last.markets.find((m) => m.feedId === feed);
        const price = market?.markPriceWad ?? last.collaterals.find((c) => c.feedId === feed)!.priceWad;
        return (price * (b % 2 ? 1001n : 999n)) / 1000n;
      });
      await sendCalls(client, { calls: [{ from: deployer, to: deployment.contracts.oracle, data: encodeFunctionData({ abi: priceOracleAbi, functionName: "setPrices", args: [feeds, prices] }), label: "setPrices" }] });
      moving.push((last = await work()));
    }
    reportWork(moving, "every price moving");
    // The next block begins the verification: a full read of its accounts in the background, while blocks of trades are followed.
    if (moving.at(-1)!.verifying) throw new Error("the verification began before the blocks of trades and prices were done");
    const verifying: BlockWork[] = [];
    const pacedBlocks = trades.miningMs.length;
    await trades.mine(VERIFYING_ROUNDS);
    const verifyStarted = performance.now();
    verifying.push(await work());
    if (!verifying[0]!.verifying) throw new Error("the verification did not begin");
    for (let round = VERIFYING_ROUNDS + 1; verifying.at(-1)!.verifying && verifying.length < MAX_VERIFYING_BLOCKS; round++) {
      await trades.mine(round);
      verifying.push(await work());
    }
    const verifiedMs = performance.now() - verifyStarted;
    // The node's pace the server's load keeps is that of blocks mined without a full read beside them.
    trades.miningMs.splice(pacedBlocks);
    const verified = verifying.at(-1)!;
    const ended = !verified.verifying;
    if (ended && verified.drifted !== 0) throw new Error(`the verification found ${verified.drifted ?? "no"} accounts drifted`);
    if (verifying.some((w) => w.kind !== "incremental")) throw new Error("a block during the verification was read in full");
    if (!ended) note(`the verification did not end within ${MAX_VERIFYING_BLOCKS} blocks (${(verifiedMs / 1000).toFixed(0)} s): its reasons are above (followSnapshot)`);
    const verifyingWhat = `${trades.touched} accounts trading a block, the accounts verified in the background (followSnapshot)`;
    report(`block worker per block (follow + views + the accounts' bytes), ${verifyingWhat}, ${venueName}: p50`, percentile(verifying.map((w) => w.total), 50), "ms", null);
    report(`block worker per block (follow + views + the accounts' bytes), ${verifyingWhat}, ${venueName}: p99 (${verifying.length} blocks)`, percentile(verifying.map((w) => w.total), 99), "ms", TARGET_PUBLISHED_P99_MS);
    report(`  the verification, from its block to its end${ended ? "" : ` (it did not end within ${MAX_VERIFYING_BLOCKS} blocks: seconds until then)`}, ${venueName}`, verifiedMs / 1000, "s", null);
  } finally {
    await worker.stop();
  }
  const fullStarted = performance.now();
  const read = await readSnapshot(client, { deployment });
  computeBlockViews(read);
  report(`block worker per block with a full read instead (peer of the above), ${venueName}`, performance.now() - fullStarted, "ms", null);
  return marginIncrease(read);
}

/** What the indexer says about itself: the block it has indexed to (/status) and Ponder's count of events indexed (/metrics). */
async function indexerProgress(url: string): Promise<{ block: number; logs: number; blocks: number } | undefined> {
  try {
    const [status, metrics] = await Promise.all([fetch(`${url}/status`).then((r) => (r.ok ? (r.json() as Promise<Record<string, { block?: { number?: number } }>>) : undefined)), fetch(`${url}/metrics`).then((r) => (r.ok ? r.text() : ""))]);
    return { block: status?.backstop?.block?.number ?? -1, ...completedEventsOfMetrics(metrics) };
  } catch {
    return undefined; // not answering yet
  }
}

/** Blocks mined before the indexer starts, so that the venue's own blocks are backfilled: Ponder indexes the last 30 blocks of chain 31337 live, not as a backfill (TOOLCHAIN.md). */
const BLOCKS_PAST_THE_VENUE = 32;
/**
 * The indexer's heap limit (startIndexer's maxHeapMiB). Ponder holds all the logs of a stretch of
 * its backfill (a range of 25 blocks or more) in memory, and the injected blocks of 1,000,000
 * accounts are one stretch: ~3.4 million logs. Measured: backfilled in 531 s with 12 GiB (peak RSS
 * 7.4 GB; Ponder's indexing cache is a fifth of the limit), in 578 s with 8 GiB (peak 6.1 GiB);
 * with the logs' strings shared (localNodeTransport), 496 s with 8 GiB (peak 5.6 GiB), and 1.1 GiB
 * 82 s after the head (indexerSettled).
 */
const INDEXER_HEAP_MIB = 8192;
/**
 * The indexer's cache (startIndexer's cacheMiB): what Ponder gives itself at node's default heap
 * (~4 GiB: a fifth), not a fifth of INDEXER_HEAP_MIB, which is raised for the backfill's logs only.
 * With the cache at 1.6 GiB, following blocks in which 10,000 of 1,000,000 accounts trade, the
 * indexer and the server held 6,519 MiB at one moment, the indexer having let go of its backfill
 * down to 491 MiB before the server started; at 768 MiB, 5,991 MiB (the indexer 1,925, the
 * server 4,066), the backfill 578 s instead of 549 s. At 384 MiB the indexer died in its
 * backfill (Ponder 0.16.6: "Maximum call stack size exceeded", unhandled, 1,863,722 of ~3.4
 * million events indexed).
 */
const INDEXER_CACHE_MIB = 768;
/**
 * How long the indexer may go without indexing one more event or block, or reading one more part
 * of a stretch's logs, before the bench stops waiting for it. At 1,000,000 accounts Ponder fetches
 * and stores the injected blocks' ~3.4 million logs before it indexes the first of them: ~340 s with
 * nothing indexed on a usual day (180 s stopped it), over 600 s on a slow one (on 2026-12-07, the
 * venue built in 454 s instead of 182: "nothing more for 600 s" at block 284 of 361, the injected
 * stretch next). The parts it reads (localNodeTransport's LOGS_PART_NOTE lines, one per part that
 * held logs: 1,400 in that run) tell that wait from a stall; and so does the CPU it uses, every
 * INDEXER_BUSY_CPU_S of it (a stall uses none): on that slow day again (2026-12-07, the host peer
 * 746 ms where a usual day's is ~520), Ponder read the last part at ~424 s and then stored the
 * stretch at ~94 % of a core until ~960 s, with nothing else to show for it: 64 s short of the bound.
 */
const INDEXER_STALL_MS = 600_000;
/** CPU seconds of the indexer that count as progress (INDEXER_STALL_MS): a minute of work. */
const INDEXER_BUSY_CPU_S = 60;
/** The longest the bench waits for the backfill, busy or not (a usual day's at 1,000,000 accounts: ~580 s). */
const INDEXER_MAX_MS = 7_200_000;
/**
 * Anvil's RSS past which the indexer is stopped: half the machine's memory. At 1,000,000 injected
 * accounts Ponder's eth_getLogs over the injected blocks once timed out and were asked again, each
 * retry making anvil build its answer anew: the kernel killed anvil at 18 GB, twice, before the
 * server's figures were taken (lib/indexer/localNodeTransport now asks for them one at a time, in
 * parts no bigger than a block's).
 */
const ANVIL_RSS_LIMIT_MIB = totalmem() / 2 / 2 ** 20;

/**
 * 3. The indexer's backfill: the real indexer (lib/indexer/startIndexer: `ponder start` on embedded
 * PGlite in a fresh directory, or on $DATABASE_URL when set; at the demo's INDEXER_PRIORITY, which
 * costs the backfill nothing here, where it runs alone) from its spawn until it has indexed
 * the chain head, and the events it indexed on the way as Ponder counts them
 * (ponder_indexing_completed_events on /metrics: contract logs, and SystemHistory's one event per
 * block). BLOCKS_PAST_THE_VENUE empty blocks are mined first. Events per second are given over the
 * whole time (Ponder's startup included, 16–30 s on PGlite) and from its first indexed event.
 * An indexer that exits, logs an error (Ponder logs one when a query has failed every retry), makes
 * anvil grow past ANVIL_RSS_LIMIT_MIB or indexes nothing more for INDEXER_STALL_MS is stopped at
 * once and is a figure too (how long it ran, what it indexed, its first complaint), not the bench's
 * end: the server's figures follow without it, on a node that is still alive. Otherwise the indexer keeps running (it follows the chain through serverFigures)
 * until `cleanup` stops it.
 */
async function indexerBackfillFigures({ client, chain, accounts, directory, port, memory, cleanup, report }: { client: PublicClient; chain: LocalChain; /** The venue's accounts, for the figures' names. */ accounts: number; directory: string; port: number; memory: PeakRssWatch; cleanup: Cleanup; report: Report }): Promise<IndexerInstance | undefined> {
  // One block a request: at 1,000,000 accounts anvil takes ~15 s a block, and one request for all
  // of them outlasted Node's fetch, which gives up on an answer after 300 s ("fetch failed").
  const testClient = createTestClient({ mode: "anvil", transport: nodeTransport(chain.rpcUrl) });
  for (let b = 0; b < BLOCKS_PAST_THE_VENUE; b++) await testClient.mine({ blocks: 1 });
  const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
  const started = performance.now();
  // Its first error is the cause; what follows is its fall (heartbeats failing, a slow shutdown).
  let firstError: string | undefined;
  let firstFailure: string | undefined;
  // The parts of a stretch's logs it has read (localNodeTransport): progress before it indexes the stretch's first event.
  let logParts = 0;
  const log = (line: string) => {
    if (line.startsWith(LOGS_PART_NOTE)) logParts++;
    if (line.startsWith("error:")) note(`indexer: ${line}`);
    if (line.startsWith("error:")) firstError ??= line.slice("error: ".length);
    else if (line.startsWith("Failed")) firstFailure ??= line;
  };
  const indexer = await startIndexer({ rpcUrl: chain.rpcUrl, deploymentPath: chain.deploymentPath, directory, fresh: true, port, maxHeapMiB: INDEXER_HEAP_MIB, cacheMiB: INDEXER_CACHE_MIB, priority: INDEXER_PRIORITY, log });
  cleanup.push(() => indexer.stop());
  memory.add("indexer", indexer.pid);
  let exited = false;
  void indexer.exited.then(() => (exited = true));
  const name = `indexer backfill of ${accounts} accounts (Ponder, ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}) to the chain head, block ${head}`;
  let firstEventMs: number | undefined;
  let lastNote = started;
  let last = { at: started, progress: "" };
  let highestBlock = -1;
  for (;;) {
    const progress = exited ? undefined : await indexerProgress(indexer.url);
    const now = performance.now();
    const events = progress ? progress.logs + progress.blocks : 0;
    if (events > 0) firstEventMs ??= now;
    highestBlock = Math.max(highestBlock, progress?.block ?? -1);
    if (progress && progress.block >= head) {
      const seconds = (now - started) / 1000;
      report(`${name}: seconds from its start`, seconds, "s", null);
      report(`${name}: contract events indexed (Ponder's count, /metrics)`, progress.logs, "events", null);
      report(`${name}: block events indexed (SystemHistory, one a block)`, progress.blocks, "events", null);
      report(`${name}: events per second from its start`, events / seconds, "events/s", null);
      if (firstEventMs !== undefined && now > firstEventMs) report(`${name}: events per second from its first indexed event`, events / ((now - firstEventMs) / 1000), "events/s", null);
      await indexerSettled(indexer.pid, accounts, report);
      return indexer;
    }
    // Each INDEXER_BUSY_CPU_S of CPU it burns counts too: it stores a stretch's logs before it indexes them.
    const cpuSeconds = cpuSecondsOf(indexer.pid) ?? 0;
    const said = progress ? `${progress.block}:${events}:${logParts}:${Math.floor(cpuSeconds / INDEXER_BUSY_CPU_S)}` : last.progress;
    if (said !== last.progress) last = { at: now, progress: said };
    const anvilMiB = rssMiB(chain.pid);
    const why = exited
      ? "it exited"
      : firstError !== undefined
        ? "it logged an error"
        : anvilMiB > ANVIL_RSS_LIMIT_MIB
          ? `anvil's RSS reached ${Math.round(anvilMiB)} MiB while it read the chain`
          : now - last.at > INDEXER_STALL_MS
            ? `it indexed nothing more for ${INDEXER_STALL_MS / 1000} s`
            : now - started > INDEXER_MAX_MS
              ? `it was still backfilling after ${INDEXER_MAX_MS / 1000} s`
              : undefined;
    if (why !== undefined) {
      const cause = firstError ?? firstFailure ?? "none logged";
      note(`indexer: did not reach the chain head: ${why}; its first error: ${cause}`);
      report(`${name}: did not reach it (${why}; its first error: ${cause}): seconds it ran`, (now - started) / 1000, "s", null);
      report(`${name}: did not reach it: highest block it said it had indexed`, highestBlock, "block", null);
      await indexer.stop();
      return undefined;
    }
    if (now - lastNote > 30_000) {
      lastNote = now;
      note(`indexer: ${progress ? `${events} events indexed, block ${progress.block} of ${head}` : "not answering"}, ${logParts} parts of logs read, ${cpuSeconds.toFixed(0)} s of CPU used, after ${((now - started) / 1000).toFixed(0)} s`);
    }
    await sleep(250);
  }
}

/**
 * How long the bench waits, once the indexer has reached the head, for it to let go of its
 * backfill's memory before the server starts. Measured at 1,000,000 accounts (Postgres, 8 GiB
 * heap): 3.9 GiB resident when it reached the head, 1.0 GiB ~80 s later, with no more blocks to
 * index (V8 gives memory back once it sees the process idle). A server runs beside an indexer
 * that follows the chain; the backfill of a venue built in 11 blocks is the indexer's alone, and
 * has its own peak (memoryFigures).
 */
const INDEXER_SETTLE_MS = 240_000;

/** Waits until the indexer's RSS is at most half its peak, or INDEXER_SETTLE_MS; reports how long that took and its RSS then. */
async function indexerSettled(pid: number, accounts: number, report: Report) {
  const started = performance.now();
  const peak = rssMiB(pid, "VmHWM");
  while (rssMiB(pid) > peak / 2 && performance.now() - started < INDEXER_SETTLE_MS) await sleep(1_000);
  report(`indexer RSS once past its backfill (at most half its peak, or after ${INDEXER_SETTLE_MS / 1000} s), ${accounts} accounts`, rssMiB(pid), "MiB", null);
  report(`  seconds it took to get there from the chain head, ${accounts} accounts`, (performance.now() - started) / 1000, "s", null);
}

/** Stops the server (its process group, by its PID): SIGTERM, then SIGKILL if it has not ended within 5 s. */
async function stopServer(pid: number, exited: Promise<unknown>, isRunning: () => boolean) {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  if (!isRunning()) return;
  signal("SIGTERM");
  if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) signal("SIGKILL");
}

/**
 * 4. The production server (scripts/serve.ts, built by buildDashboard) on the venue, its own
 * embedded database in the bench's directory: first the time to its first published block, then
 * LOAD_CLIENTS clients for loadSeconds() s on /api/accounts pages (accountPagePaths: every sort
 * both ways, deep pages, filters, searches; compressed, as browsers ask) while a block in which 1 %
 * of the accounts trade is mined every BLOCK_TIME_MS (or as soon as the last is mined, if mining
 * takes longer; the next one's transactions sent once the server has published the last, at most
 * NODE_QUIET_MS later), the indexer following. Meanwhile watchBlocks dates each block's appearance at the
 * head and its publication by the server: the blocks published of those mined, and the time from
 * one to the other (the server's whole per-block path: head seen by a request, the worker's follow
 * and views, the hand-over to the request thread; the detectors follow it, timed apart).
 * The server is not given the indexer's URL: its index check (every 20 blocks) is not measured here.
 * The load over, the preview figures (serverPreviewFigures, 5) are taken on this server.
 */
async function serverFigures({ client, chain, indexer, trades, searched, previewChanges, accounts, databaseDir, port, memory, cleanup, report }: { client: PublicClient; chain: LocalChain; /** Following the chain, or undefined when it could not backfill. */ indexer: IndexerInstance | undefined; trades: Trades; /** Addresses the clients search for (parts of). */ searched: readonly string[]; /** The change the preview figure (5) weighs. */ previewChanges: ParamChange[]; /** The venue's accounts, for the figures' names. */ accounts: number; databaseDir: string; port: number; memory: PeakRssWatch; cleanup: Cleanup; report: Report }) {
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawnServer({
    port,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BACKSTOP_LOG_STALLS: String(STALL_LOG_MS), BACKSTOP_RPC_URL: chain.rpcUrl, BACKSTOP_CHAIN_ID: "31337", BACKSTOP_DEPLOYMENT: chain.deploymentPath, BACKSTOP_DB_DIR: databaseDir },
    // V8's default heap ceiling (~4 GiB here) is below what a million accounts' block worker holds; the memory figures are RSS, measured, not this ceiling.
    nodeOptions: [`--max-old-space-size=${HEAP_CEILING_MIB}`],
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const running = () => server.exitCode === null && server.signalCode === null;
  cleanup.push(() => stopServer(server.pid!, exited, running));
  memory.add("server", server.pid!);

  for (const deadline = Date.now() + 600_000; (await publishedBlock(base)) === undefined; await sleep(200)) {
    if (!running()) throw new Error(`the server on ${base} exited before it published a block`);
    if (Date.now() > deadline) throw new Error(`the server on ${base} published no block within 10 minutes`);
  }
  report(`server start to its first published block, ${accounts} accounts`, (performance.now() - started) / 1000, "s", null);
  const paths = accountPagePaths(accounts, searched);
  for (const path of paths) await fetch(`${base}${path}`).then((r) => r.arrayBuffer()); // each page's route and order once

  const firstMined = (await client.getBlockNumber({ cacheTime: 0 })) + 1n;
  const blocks = watchBlocksApart(chain.rpcUrl, base);
  let loading = true;
  const mining = (async () => {
    for (let round = BLOCK_WORK_BLOCKS; loading; round++) {
      const roundStarted = performance.now();
      const mined = await trades.mine(round);
      // The node quiet while the server reads the block it mined (NODE_QUIET_MS at most): see above.
      for (const deadline = performance.now() + NODE_QUIET_MS; loading && !blocks.published.has(mined) && performance.now() < deadline; ) await sleep(20);
      await sleep(BLOCK_TIME_MS - (performance.now() - roundStarted));
    }
  })();
  // The node's pace before the load: its blocks of trades so far (blockWorkFigures').
  const blockMs = percentile(trades.miningMs, 50);
  const seconds = loadSeconds(blockMs);
  let load: Awaited<ReturnType<typeof runLoadApart>>;
  try {
    load = await runLoadApart({ url: paths.map((path) => `${base}${path}`), connections: LOAD_CLIENTS, durationSec: seconds, headers: { "accept-encoding": "gzip, deflate, br, zstd" } });
  } finally {
    loading = false;
    await mining;
  }
  const lastMined = await client.getBlockNumber({ cacheTime: 0 });
  // The last block mined: a few seconds to be published (the watch's requests are requests enough).
  for (const deadline = performance.now() + 5_000; performance.now() < deadline && !blocks.published.has(lastMined); ) await sleep(100);
  await blocks.stop();

  const pace = `${seconds > LOAD_SECONDS ? `as fast as the node mines them (${(blockMs / 1000).toFixed(1)} s a block before the load), for ${seconds} s` : `every ${BLOCK_TIME_MS / 1000} s`}, each sent once the last is published`;
  const name = `/api/accounts pages (${paths.length} sorts, pages, filters and searches), ${LOAD_CLIENTS} clients, a block of ${trades.touched} accounts trading ${pace}, ${accounts} accounts`;
  report(`${name}: p50`, load.percentile(50), "ms", null);
  report(`${name}: p99`, load.percentile(99), "ms", TARGET_ACCOUNTS_PAGE_P99_MS);
  report(`${name}: requests per second`, load.requests / load.seconds, "requests/s", null);
  report(`${name}: failed (no answer)`, load.errors, "requests", null);
  report(`${name}: answered other than 2xx`, load.non2xx, "requests", null);
  for (const [kind, { count, firstAtSec }] of Object.entries(load.failures)) note(`pages under load: ${count} × ${kind}, the first ${firstAtSec.toFixed(1)} s into the load`);
  const latencies: number[] = [];
  const stages = new Map<string, number[]>();
  for (let b = firstMined; b <= lastMined; b++) {
    const [appearedMs, publishedMs] = [blocks.appeared.get(b), blocks.published.get(b)];
    const latency = appearedMs !== undefined && publishedMs !== undefined ? Math.max(0, publishedMs - appearedMs) : undefined;
    if (latency !== undefined) latencies.push(latency);
    const own = blocks.stages.get(b) ?? {};
    for (const [stage, ms] of Object.entries(own)) stages.set(stage, [...(stages.get(stage) ?? []), ms]);
    // Each block's own times on stderr: what a p99 of a few blocks is made of, and how much of it the server timed.
    note(`server under load: block ${b}, ${latency === undefined ? "not published" : `published ${latency.toFixed(0)} ms after it appeared`}${Object.keys(own).length ? `; the server's own: ${stagesInWords(own)}` : ""}`);
  }
  const during = `${accounts} accounts, ${trades.touched} trading a block, under the pages' load, the node's next block sent once it is published`;
  report(`server: blocks mined during the load, ${during}`, Number(lastMined - firstMined + 1n), "blocks", null);
  report(`server: of those, blocks published (the others skipped), ${during}`, latencies.length, "blocks", null);
  report(`server: new block → published (views; the detectors follow), p50 of published blocks, ${during}`, percentile(latencies, 50), "ms", null);
  report(`server: new block → published (views; the detectors follow), p99 of published blocks, ${during}`, percentile(latencies, 99), "ms", TARGET_PUBLISHED_P99_MS);
  // Where the time went (lib/server/blockReader's BlockTiming): the chain's answers (follow), the engine (views), the whole read (total), the detectors after it.
  for (const [stage, samples] of stages) {
    report(`  of which ${stage} (the server's own timing), p50 of published blocks, ${during}`, percentile(samples, 50), "ms", null);
    report(`  of which ${stage} (the server's own timing), p99 of published blocks, ${during}`, percentile(samples, 99), "ms", null);
  }
  await serverPreviewFigures(base, previewChanges, accounts, report);
  const indexed = indexer && (await indexerProgress(indexer.url));
  if (indexed) report(`indexer: blocks behind the head once the load ended and the server published its last block (at most 5 s later), ${accounts} accounts`, Number(lastMined) - indexed.block, "blocks", null);
}

/** The proposal the preview weighs: ETH-PERP's initial and maintenance margins × 1.5 (the 10,000-account bench's change). */
function marginIncrease(snapshot: ProtocolSnapshot): ParamChange[] {
  const eth = snapshot.markets[0]!;
  return [{ kind: "setMarketParams", marketId: 0, params: { ...eth.params, mmrWad: (eth.params.mmrWad * 3n) / 2n, imrWad: (eth.params.imrWad * 3n) / 2n } }];
}

/**
 * 5. A parameter-change preview as the builder asks the server for it (POST /api/preview), on the
 * block the server publishes: the first (its pool thread read the block as it was published,
 * warmEnginePool) and the next. Wall time, as the page waits.
 */
async function serverPreviewFigures(base: string, changes: ParamChange[], accounts: number, report: Report) {
  for (const which of ["first", "next"]) {
    const started = performance.now();
    const response = await fetch(`${base}/api/preview`, { method: "POST", headers: { "content-type": "application/json" }, body: toJson({ changes }) });
    const text = await response.text();
    const wall = performance.now() - started;
    if (response.status !== 200) throw new Error(`POST /api/preview answered ${response.status}: ${text.slice(0, 200)}`);
    report(`POST /api/preview on the server, ${which} of the published block, ETH-PERP IMR and MMR × 1.5, ${accounts} accounts`, wall, "ms", TARGET_PREVIEW_MS);
    report(`  of which on the pool thread, the preview alone, ${which}, ${accounts} accounts`, Number(response.headers.get("x-backstop-compute-ms")), "ms", null);
  }
}

/**
 * 5b. The same preview on a cold engine pool in this process (lib/server/enginePool's
 * previewOnServer): the first, whose thread starts and reads the block's snapshot — what a server
 * that has not yet published a block of this size would make its first request wait — and the
 * next, on the snapshot the thread holds.
 */
async function previewFigures(snapshot: ProtocolSnapshot, changes: ParamChange[], report: Report) {
  const n = snapshot.accounts.length;
  try {
    for (const which of ["first (thread started, block read)", "next (block held)"]) {
      const started = performance.now();
      const { ms } = await previewOnServer(snapshot, changes);
      const wall = performance.now() - started;
      report(`previewChanges on a cold engine pool in the bench's process, ${which}, ETH-PERP IMR and MMR × 1.5, ${n} accounts`, wall, "ms", null);
      report(`  of which on the thread, the preview alone, ${which}, ${n} accounts`, ms, "ms", null);
    }
  } finally {
    await closeEnginePool();
  }
}

/**
 * 6. The indexer's and the server's peak RSS over the run (processMemory: children included), and
 * what they held together: the target is for the two running together, so its figure is their
 * highest RSS at one moment. The sum of the two peaks is given too: at 1,000,000 injected accounts
 * the indexer peaks during its backfill, before the server starts (the venue's ~3.4 million logs
 * arrive in 11 blocks, one stretch of Ponder's backfill; see INDEXER_HEAP_MIB).
 */
function memoryFigures({ peaks, together, togetherByTree }: PeakRss, accounts: number, report: Report) {
  const indexer = peaks.get("indexer") ?? 0;
  const server = peaks.get("server") ?? 0;
  report(`indexer peak RSS (Ponder on ${process.env.DATABASE_URL ? "Postgres, the database's own processes not included" : "PGlite"}, children included), over its run, ${accounts} accounts`, indexer, "MiB", null);
  report(`server peak RSS (scripts/serve.ts and its block worker, children included), under load, ${accounts} accounts`, server, "MiB", null);
  report(`indexer + server peak RSS (sum of the two peaks, whenever each was), ${accounts} accounts`, indexer + server, "MiB", null);
  report(`indexer + server RSS at one moment, highest (sampled every 0.5 s), ${accounts} accounts`, together, "MiB", TARGET_INDEXER_AND_SERVER_MIB);
  for (const name of ["indexer", "server"]) report(`  of which ${name} at that moment, ${accounts} accounts`, togetherByTree.get(name) ?? 0, "MiB", null);
}
