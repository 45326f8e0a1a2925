/**
 * One snapshot per block, shared by every server request, read off the request thread.
 *
 * A request asks the node for its head (one question shared by the requests that arrive
 * meanwhile): the head's number (eth_blockNumber, a few bytes) while the head block known is at
 * most HEAD_RECHECK_MS old, and its block when that number moved or the block known is older.
 * While following (below), a request takes the node's last answer if it was asked for at most
 * HEAD_ASK_MS ago. The head's block is no cheap answer at a big venue: with 5,000 trades in it,
 * 347 KB of transaction hashes and 16–22 ms of the node's time, asked back to back under the
 * pages' load. With the number, at most once in HEAD_ASK_MS, the venue bench's 50 clients at
 * 1,000,000 accounts were answered 4,868 times a second where they were 2,223, p50 4.7 ms where it
 * was 15.4. A new block or a rollback shows within HEAD_ASK_MS, a reorg to another block at the
 * same height within HEAD_RECHECK_MS, and a request made after a quiet spell, or one that must see
 * the head (waitForHead), asks the node itself.
 *
 * While following, a request waits for the node's answer at most
 * HEAD_WAIT_MS: a node busy mining a big venue's block answered it once after 23 s at 1,000,000
 * accounts, and every page waited with it, past the clients' patience; the published block is
 * served instead — marked stale if the node has already failed a try (down, refusing, timed out).
 * A head the server has not read yet goes to the block worker (lib/server/blockReader),
 * which reads the snapshot and computes the shared views and the detectors on its own thread;
 * concurrent requests for the same block wait on the same read, and a failed read is forgotten
 * so the next request retries.
 *
 * A block is *published* — served to every route alike, so a page and the live indicator never
 * disagree on which block they show — as soon as its snapshot and views are in; its detectors
 * (the alerts, on their own promise) follow, and the pages that show them wait for them
 * (lib/server/monitor's monitorWithin). At 1,000,000 accounts on a node busy mining, the
 * detectors' reads queue behind the mining for seconds: publication waited for them (at most
 * 3 s, every block) while the views were ready. While the server follows the chain (in the last
 * FOLLOWING_MS it published a block, or saw its published block still at the head, or it is
 * reading a block it began to read while following — a big venue's read, on a busy host, can
 * take longer than FOLLOWING_MS, and its requests must not all wait for it then), a request
 * whose head is higher than the published block gets the
 * published block, unless blocks are read quickly (the last read took at most FRESH_WAIT_MS),
 * in which case it waits for the new one, at most that long: a small chain's page shows a
 * transaction's block at once, and a large chain's requests never wait for a block's read; the
 * browser's live refresh (LiveRefresh, every 2 s) brings the page to the new block when it is
 * published. One read at a time while following: a worker that falls behind skips blocks rather
 * than piling reads up. A head at or below the published height (a reorg: the published block
 * may be an orphan) or after a quiet spell is always waited for.
 *
 * The cache is keyed by block HASH, not number: after a reorg the same height holds another
 * block with other state (a different price, a trade undone), and a number-keyed cache would
 * keep serving the orphaned one.
 *
 * "Every request" means every route: Next bundles each page and each API route separately, and
 * each bundle gets its own copy of this module, so module-level variables would give one read
 * per block per route, and a route that had never read would know no last good snapshot while
 * the chain is down. The state therefore lives once per process, on globalThis.
 */

import { formatBlock, hexToBigInt, type Block, type PublicClient } from "viem";
import type { Deployment } from "../contracts/deployment.ts";
import { createBlockReader, type BlockRead, type BlockReader } from "./blockReader.ts";
import { createServerContext, RPC_RETRY_COUNT, RPC_RETRY_DELAY_MS, type ServerContext } from "./context.ts";
import { warmEnginePool } from "./enginePool.ts";
import { publicErrorMessage } from "./publicError.ts";
import { engineSideOf } from "./views.ts";
import { BackstopError } from "../errors/backstopError.ts";
import { messageOf } from "../errors/messageOf.ts";
import { createSharedBlockReader, type BlockSource, type SharedBlockReader } from "./blockShare.ts";
import { serverDatabase } from "./database.ts";
import { historyEvery, recordHistoryPoint, withKeeperLag } from "./history.ts";
import { tableBytes } from "./accountTable.ts";
import { createSharedMemoryCollector } from "./sharedMemoryCollector.ts";

export { RPC_RETRY_COUNT, RPC_RETRY_DELAY_MS, RPC_TIMEOUT_MS } from "./context.ts";

/** The longest a request waits for the next block's read (and only when the last read took no longer) before it is served the block before it. */
export const FRESH_WAIT_MS = 250;
/** While following, the longest a request waits for the node to name its head before it is served the published block (a node that has failed to answer is reported instead: the block comes marked stale). */
export const HEAD_WAIT_MS = 250;
/** While the published block was the head (or was published) this recently, the server is *following* the chain: a newer head is served the published block until its own read is done. Slow chains (a block every 12 s) follow too, as long as requests keep coming. */
export const FOLLOWING_MS = 5000;
/** The longest the head block the node last named is taken as its head while the head's number has not moved: a reorg to another block at the same height is seen within this. */
export const HEAD_RECHECK_MS = 250;
/** While following, the node is asked for its head at most once in this long: the requests in between take its last answer. */
export const HEAD_ASK_MS = 50;

type HeadBlock = Block<bigint, false, "latest">;

interface HeadRequest {
  /** The head, with how long the node took to answer it (its retries included). */
  answer: Promise<{ block: HeadBlock; ms: number }>;
  /** The last failed try's error, while it is retried. */
  failure?: unknown;
}

interface SharedState {
  context?: Promise<ServerContext>;
  reader?: BlockReader;
  /** The head request in flight, shared by the requests that arrive meanwhile. */
  head?: HeadRequest;
  /** The head block the node last named, and when it was asked for (performance.now()). */
  knownHead?: { block: HeadBlock; askedAt: number };
  /** The last head request answered, and when it was asked (performance.now()): while following, taken again for HEAD_ASK_MS. */
  lastHead?: { request: HeadRequest; askedAt: number };
  lastHeadHash?: `0x${string}`;
  reads: Map<`0x${string}`, Promise<BlockRead>>;
  published?: BlockRead;
  /** When the published block was last known to be the head (its publication, or a head request that returned it). */
  upToDateAtMs?: number;
  /** The block being read that was begun while following: until it settles, the server is following. */
  followedRead?: `0x${string}`;
  /** How long the last block took from its head to its publication. */
  lastReadMs?: number;
  failingSince?: number;
  /** With DATABASE_URL: the reader that shares blocks between servers (lib/server/blockShare). */
  sharedReader?: SharedBlockReader;
  /** When a failure to record the history was last logged. */
  historyFailureLoggedMs?: number;
  /** The published block's record in the history: settles (never rejects) once it is written, or could not be. */
  historyRecorded?: Promise<void>;
  /** Told of each published block's table as the next one replaces it (lib/server/sharedMemoryCollector). */
  sharedMemoryDropped?: (bytes: number) => boolean;
}

const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("backstop.server.snapshot")] ??= { reads: new Map() }) as SharedState;

/** The request thread's chain client, configuration and deployment (created once). */
export function getContext(): Promise<ServerContext> {
  shared.context ??= createServerContext();
  const context = shared.context;
  context.catch(() => {
    if (shared.context === context) shared.context = undefined;
  });
  return context;
}

export class ChainUnavailableError extends BackstopError {
  override name = "ChainUnavailableError";
}

/** The published block's read (its snapshot, views, detectors and timing: blockReader's BlockRead), with the deployment it is of. */
export interface LatestSnapshot extends BlockRead {
  deployment: Deployment;
  /** Set when the chain could not be read: the snapshot shown is the last good one. */
  stale?: { reason: string; sinceMs: number; forSeconds: number };
}

const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(resolve, ms));

function publish(read: BlockRead) {
  const current = shared.published?.snapshot;
  if (!current || read.snapshot.blockHash === shared.lastHeadHash || read.snapshot.blockNumber > current.blockNumber) {
    const dropped = shared.published;
    shared.published = read;
    shared.upToDateAtMs = Date.now();
    if (dropped) (shared.sharedMemoryDropped ??= createSharedMemoryCollector())(tableBytes(dropped.views.accountTable));
    recordHistory(read);
    // Previews and stress runs of a venue this big run on the server's pool: its thread reads the block now, not at the first request.
    if (engineSideOf(read.views.accountCount) === "server") void warmEnginePool(read.snapshot);
  }
}

/**
 * Each published block's figures into the history (lib/server/history), once its detectors are
 * in (for the keeper's lag), off the request path. A database that cannot be written loses
 * history, never a page: the failure is logged at most once a minute.
 */
function recordHistory(read: BlockRead) {
  if (read.snapshot.blockNumber % BigInt(historyEvery()) !== 0n) return;
  shared.historyRecorded = (async () => {
    const monitor = await read.monitor.catch(() => undefined);
    await recordHistoryPoint(await serverDatabase(), read.snapshot.chainId, read.snapshot.blockHash, withKeeperLag(read.views.history, monitor));
  })().catch((error: unknown) => {
    if (Date.now() - (shared.historyFailureLoggedMs ?? 0) < 60_000) return;
    shared.historyFailureLoggedMs = Date.now();
    console.error(`history: block ${read.snapshot.blockNumber} not recorded: ${messageOf(error)}`);
  });
}

/** The longest GET /api/history waits for the published block's record before it answers without it. */
export const HISTORY_WAIT_MS = 2000;

/**
 * Settles once the published block's figures are in the history (or could not be written), or
 * after `boundMs`: GET /api/history waits for it, so that a page asking for the history as it
 * sees a block gets that block's point, not the one before (which it would keep until the next block).
 */
export async function publishedHistoryRecorded(boundMs = HISTORY_WAIT_MS): Promise<void> {
  if (shared.historyRecorded) await Promise.race([shared.historyRecorded, sleep(boundMs)]);
}

/**
 * How this server reads blocks: its block worker, or — with DATABASE_URL, where several servers
 * share one Postgres — through the publisher's reads (lib/server/blockShare), falling back to its
 * own worker while the database cannot be reached.
 */
function serverBlockReader(): BlockReader {
  const url = process.env.DATABASE_URL;
  let local: BlockReader | undefined;
  const own = () => (local ??= createBlockReader());
  if (!url) return own();
  const sharing = getContext()
    .then(({ config }) => createSharedBlockReader({ url, chainId: config.chainId, local: own }))
    .then((reader) => (shared.sharedReader = reader))
    .catch((error: unknown) => {
      console.error(`blocks: not shared through DATABASE_URL (${messageOf(error)}); this server reads every block itself`);
      return undefined;
    });
  return { read: async (block) => ((await sharing) ?? own()).read(block) };
}

/** Where this server's read of a block came from: the chain (read here) or a peer (the publisher's, from the database). */
export function blockSourceOf(blockHash: string): BlockSource {
  return shared.sharedReader?.sourceOf(blockHash) ?? "chain";
}

/** The read of `block`, started or joined; it resolves (and the block is published) once its snapshot and views are in, its detectors following. */
function readBlock(block: HeadBlock, headMs: number): Promise<BlockRead> {
  let read = shared.reads.get(block.hash);
  if (!read) {
    const started = Date.now();
    read = (shared.reader ??= serverBlockReader()).read(block).then((r) => {
      const viewsAt = Date.now();
      shared.lastReadMs = viewsAt - started;
      // On the read itself, not a copy: the detectors' time is added to it when they settle.
      // `head`: the head request that saw the block, before the read (1,000,000 accounts under the bench's load: p50 29 ms, p99 ~1 s).
      r.timing = { head: headMs, ...r.timing, total: shared.lastReadMs };
      const detectorsIn = () => void (r.timing = { ...r.timing, detectors: Date.now() - viewsAt });
      r.monitor.then(detectorsIn, detectorsIn);
      return r;
    });
    const settled = read.then(publish, () => undefined);
    void settled.finally(() => shared.reads.delete(block.hash));
    shared.reads.set(block.hash, read);
  }
  return read;
}

/**
 * The node's head block, asked once for every request that arrives meanwhile (nodeHead), and
 * while following, taken again by those that arrive within HEAD_ASK_MS of its asking. Tried
 * RPC_RETRY_COUNT more times with backoff, as the transport retries every other read, but here,
 * so that the requests waiting on it know whether the node has failed to answer yet or is only
 * slow (readLatest).
 */
function askHead(client: PublicClient, { fresh }: { fresh: boolean }): HeadRequest {
  if (shared.head) return shared.head;
  const asked = performance.now();
  if (!fresh && shared.lastHead && asked - shared.lastHead.askedAt <= HEAD_ASK_MS) return shared.lastHead.request;
  const head: HeadRequest = {
    answer: headBlock(client, (error) => (head.failure = error))
      .then((block) => {
        shared.lastHead = { request: head, askedAt: asked };
        return { block, ms: performance.now() - asked };
      })
      .finally(() => (shared.head = undefined)),
  };
  // A request served without waiting for it does not see it fail: that is not an unhandled rejection.
  head.answer.catch(() => undefined);
  return (shared.head = head);
}

async function headBlock(client: PublicClient, failed: (error: unknown) => void): Promise<HeadBlock> {
  for (let retry = 0; ; retry++) {
    try {
      return await nodeHead(client);
    } catch (error) {
      failed(error);
      if (retry === RPC_RETRY_COUNT) throw error;
      await sleep(RPC_RETRY_DELAY_MS * 2 ** retry);
    }
  }
}

/**
 * The node's head: its number, when the block known was asked for at most HEAD_RECHECK_MS ago and
 * the number has not moved since; its block otherwise, asked straight away when the block known
 * is older (one round trip, not two: on a node 2.5 s slow, two made each head 5 s late, and the
 * server stopped following).
 */
async function nodeHead(client: PublicClient): Promise<HeadBlock> {
  const known = shared.knownHead;
  if (known && performance.now() - known.askedAt <= HEAD_RECHECK_MS) {
    const number = hexToBigInt(await client.request({ method: "eth_blockNumber" }, { retryCount: 0 }));
    if (number === known.block.number) return known.block;
  }
  const askedAt = performance.now();
  const block = await client.request({ method: "eth_getBlockByNumber", params: ["latest", false] }, { retryCount: 0 });
  if (!block) throw new Error("the node has no latest block");
  const head = formatBlock(block) as HeadBlock;
  shared.knownHead = { block: head, askedAt };
  return head;
}

async function readLatest({ waitForHead = false }: { waitForHead?: boolean } = {}): Promise<BlockRead> {
  const { client } = await getContext();
  const upToDate = Date.now() - (shared.upToDateAtMs ?? 0) <= FOLLOWING_MS || shared.followedRead !== undefined;
  const before = shared.published;
  const head = askHead(client, { fresh: waitForHead || !upToDate });
  // What the head leads to goes on when a request stops waiting for it: a node always slower than HEAD_WAIT_MS still has its blocks read.
  const served = head.answer.then(({ block, ms }) => servedAtHead(block, ms, { waitForHead, upToDate }));
  served.catch(() => undefined);
  try {
    if (before && upToDate && !waitForHead) {
      // Following: a node slow to name its head does not hold the page; one that has failed to is said at once.
      const answered = await Promise.race([head.answer, sleep(HEAD_WAIT_MS)]);
      if (!answered && head.failure !== undefined) throw head.failure;
      if (!answered) return before;
    }
    await head.answer;
  } catch (cause) {
    throw new ChainUnavailableError("Cannot reach the chain at the configured RPC endpoint (BACKSTOP_RPC_URL). Is `npm run chain` (or `npm run demo`) running?", { cause });
  }
  return served;
}

/** The block a request is served once the node has named its head `block`: the published block, or the head's read (begun or joined). */
async function servedAtHead(block: HeadBlock, headMs: number, { waitForHead, upToDate }: { waitForHead: boolean; upToDate: boolean }): Promise<BlockRead> {
  shared.lastHeadHash = block.hash;
  const published = shared.published;
  if (published?.snapshot.blockHash === block.hash) {
    shared.upToDateAtMs = Date.now();
    return published;
  }
  const following = published && !waitForHead && block.number > published.snapshot.blockNumber && upToDate;
  if (!following) return readBlock(block, headMs);
  // Behind a busy worker, one read at a time: the blocks it skips are never read, the next request after it publishes reads the head then.
  if (shared.reads.size > 0 && !shared.reads.has(block.hash)) return published;
  const read = readBlock(block, headMs);
  if (shared.followedRead === undefined) {
    shared.followedRead = block.hash;
    const done = () => void (shared.followedRead === block.hash && (shared.followedRead = undefined));
    read.then(done, done);
  }
  const quick = shared.lastReadMs !== undefined && shared.lastReadMs <= FRESH_WAIT_MS;
  return quick ? ((await Promise.race([read, sleep(FRESH_WAIT_MS)])) ?? published) : published;
}

/**
 * The snapshot of the latest block, read once per block and shared. When the chain cannot be
 * read, the last published snapshot comes back marked stale (with the reason and since when),
 * so pages keep their figures under a banner; with none published yet, the error is thrown.
 */
export async function getLatestSnapshot(options: { waitForHead?: boolean } = {}): Promise<LatestSnapshot> {
  const { deployment } = await getContext();
  try {
    const read = await readLatest(options);
    shared.failingSince = undefined;
    return { ...read, deployment };
  } catch (error) {
    const good = shared.published;
    if (!good) throw error;
    const since = (shared.failingSince ??= Date.now());
    return { ...good, deployment, stale: { reason: publicErrorMessage(error), sinceMs: since, forSeconds: Math.round((Date.now() - since) / 1000) } };
  }
}

/** The hash of the block every route is serving now (undefined before the first read). */
export function publishedBlockHash(): `0x${string}` | undefined {
  return shared.published?.snapshot.blockHash;
}

/** getLatestSnapshot for pages: the error's message (safe to show: no RPC URL) instead of a throw, so a page can say it. */
export async function tryLatestSnapshot(options: { waitForHead?: boolean } = {}): Promise<LatestSnapshot | { error: string }> {
  try {
    return await getLatestSnapshot(options);
  } catch (error) {
    return { error: publicErrorMessage(error) };
  }
}

/**
 * `find` in the latest snapshot, and when it is not there, in the chain head's own snapshot,
 * waited for: the published block may be the one before the transaction that made what a
 * request asks for (the proposal its author was just sent to, the account a first deposit just
 * opened). Returns the snapshot it looked in last, with what it found there.
 */
export async function findInLatest<T>(find: (read: LatestSnapshot) => T | undefined | Promise<T | undefined>): Promise<{ read: LatestSnapshot; found: T | undefined } | { error: string }> {
  const read = await tryLatestSnapshot();
  if ("error" in read) return read;
  const found = await find(read);
  if (found !== undefined || read.stale) return { read, found };
  const head = await tryLatestSnapshot({ waitForHead: true });
  if ("error" in head || head.stale || head.snapshot.blockHash === read.snapshot.blockHash) return { read, found };
  return { read: head, found: await find(head) };
}
