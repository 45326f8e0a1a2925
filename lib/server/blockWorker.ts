/**
 * The block worker: a worker thread that does each block's heavy work off the thread answering
 * requests — follow the snapshot (lib/actions/followSnapshot: the block's logs applied to the
 * last block's accounts, the whole state read only after a reorg or a long gap: a full read of
 * 100,000 accounts is ~1.7 s, most of it the node's), compute the views every page shares
 * (lib/server/views.ts) and the detectors (lib/actions/readMonitor), whose reads of the chain go
 * out before the views are computed and are answered meanwhile.
 * Started and spoken to by lib/server/blockReader.ts; the messages are typed there.
 *
 * Monitors run one at a time, newest block first: when a monitor finishes and several blocks
 * have arrived meanwhile, the ones in between are answered as superseded rather than read, so a
 * slow node makes the detectors skip blocks instead of falling further and further behind.
 */

import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { createHealthFollower } from "../../engine/health/computeEngineHealth.ts";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { createKeeperLagCache } from "../actions/readKeeperLag.ts";
import { readMonitor } from "../actions/readMonitor.ts";
import { createIndexWatch, type IndexWatch } from "../indexer/createIndexWatch.ts";
import { followerCheckOverdueAlert, followerDriftAlert, followSnapshot } from "../actions/followSnapshot.ts";
import type { BlockWorkerReply, BlockWorkerRequest } from "./blockReader.ts";
import { createServerContext } from "./context.ts";
import { createWatchdog, type Watchdog } from "../fork/createWatchdog.ts";
import { publicErrorMessage } from "./publicError.ts";
import { viewsWithoutLights, type BlockViews } from "./views.ts";
import { followBlockViews, settleWhenIdle } from "./followBlockViews.ts";
import { createItemSerializer } from "./lazyTransfer.ts";
import { deferred } from "./deferred.ts";
import { collectWhenIdle, createHeapGrowthCollector } from "./sharedMemoryCollector.ts";

/**
 * The worker yields the CPU to the request thread: on Linux the nice value is per thread (see
 * setpriority(2), NOTES), so this thread alone runs WORKER_NICE above the process (at most 19).
 * Under load a request is answered from the published block rather than queued behind the next
 * block's computation, which goes on with the CPU the requests leave. Relative, not absolute: in
 * a server started with `nice -n 19` (as root, who may raise a priority) a worker set to 10 ran
 * before its own request thread, which waited seconds behind each block at 100,000 accounts.
 * Elsewhere the worker runs at the process's priority.
 */
const WORKER_NICE = 10;
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), Math.min(19, getPriority() + WORKER_NICE));
} catch {
  // not Linux (no /proc/thread-self), or not permitted: normal priority
}

const port = parentPort!;
const post = (reply: BlockWorkerReply) => port.postMessage(reply);
const context = createServerContext();
const keeperLagCache = createKeeperLagCache();
/** The detectors' engine health, each block's from the last one's while prices stand (engine followEngineHealth). */
const engineHealth = createHealthFollower();
/** Each block's views from the last one's: only the accounts a block changed are valued again while prices stand (lib/server/followBlockViews). */
const blockViews = followBlockViews();
/** Full collections between blocks, as the worker's heap grows (lib/server/sharedMemoryCollector): not V8's own, in the middle of one. */
const collectAsHeapGrows = createHeapGrowthCollector();
/** The accounts as bytes for the request thread, each account serialised once while its object lives (lib/server/lazyTransfer). */
const serializeAccounts = createItemSerializer<Account>();
/** Each block's snapshot from the last one and the block's logs (lib/actions/followSnapshot). */
const follower = context.then(({ client, deployment }) => followSnapshot(client, { deployment }));
/**
 * The fork watchdog (lib/fork/createWatchdog): queued proposals re-executed on a fork every
 * BACKSTOP_WATCHDOG_BLOCKS blocks (default 10), on its own promise — a block's detectors carry
 * the findings of the latest finished pass and never wait on a fork.
 */
const watchdog: Promise<Watchdog> = context.then(({ config, deployment }) =>
  createWatchdog({ forkUrl: process.env.BACKSTOP_FORK_RPC_URL || config.rpcUrl, deployment, everyBlocks: BigInt(process.env.BACKSTOP_WATCHDOG_BLOCKS || 10) }),
);

/**
 * The index checked against the chain (lib/indexer/createIndexWatch) every
 * BACKSTOP_INDEX_CHECK_BLOCKS blocks (default 20), when BACKSTOP_INDEXER_URL names an indexer: a
 * drift is a critical alert with the block's other detectors.
 */
const indexWatch: Promise<IndexWatch | undefined> = context.then(({ deployment }) => {
  const indexerUrl = process.env.BACKSTOP_INDEXER_URL;
  return indexerUrl ? createIndexWatch({ deployment, indexerUrl, everyBlocks: BigInt(process.env.BACKSTOP_INDEX_CHECK_BLOCKS || 20) }) : undefined;
});

interface MonitorJob {
  id: number;
  snapshot: ProtocolSnapshot;
  /** Cover-2 from the block's views, computed while the detectors' reads are on the wire. */
  cover2Usd: Promise<bigint>;
}
const monitorQueue: MonitorJob[] = [];
let monitoring = false;

async function runMonitors() {
  if (monitoring) return;
  monitoring = true;
  try {
    while (monitorQueue.length) {
      monitorQueue.sort((a, b) => Number(a.snapshot.blockNumber - b.snapshot.blockNumber));
      const job = monitorQueue.pop()!;
      for (const skipped of monitorQueue.splice(0)) post({ type: "monitor-error", id: skipped.id, message: `skipped: block ${job.snapshot.blockNumber} arrived before the detectors read this one` });
      try {
        const { client, deployment } = await context;
        // The accounts followed from events against the chain's own (followSnapshot's verification): a drift found, or no check for too long.
        const followed = await follower;
        const checks = [
          followerDriftAlert(followed.verified),
          followerCheckOverdueAlert({ checkedAt: followed.checkedAt, verifyEvery: followed.verifyEvery, verifyFailure: followed.verifyFailure && publicErrorMessage(followed.verifyFailure) }, job.snapshot.blockNumber),
        ].filter((alert) => alert !== undefined);
        const monitor = await readMonitor(client, { deployment, snapshot: job.snapshot, keeperLagCache, engineHealth, cover2Usd: job.cover2Usd, extra: [...(await watchdog).alerts(), ...((await indexWatch)?.alerts() ?? []), ...checks] });
        post({ type: "monitor", id: job.id, monitor });
      } catch (error) {
        post({ type: "monitor-error", id: job.id, message: publicErrorMessage(error) });
      }
    }
  } finally {
    monitoring = false;
  }
}

async function read({ id, block }: BlockWorkerRequest) {
  // The block's work has the node and the cores to itself: a verification under way waits (followSnapshot's hold).
  const worked = deferred<void>();
  try {
    const { client } = await context;
    const started = performance.now();
    (await follower).hold(worked.promise);
    const snapshot = await (await follower).read(block);
    const followed = performance.now();
    // A full read is the exception after the first block, and at a big venue the longest wait there is (~30 s at 1,000,000 accounts): said, with why.
    const how = (await follower).last;
    if (how?.kind === "full") console.error(`blocks: block ${snapshot.blockNumber} read in full in ${((followed - started) / 1000).toFixed(1)} s (${how.why})`);
    // The detectors start first: their reads of the chain go out now and are answered while the
    // views are computed (a turn of the event loop lets the requests be written), their own
    // computation waits for the views' Cover-2.
    const cover2Usd = deferred<bigint>();
    cover2Usd.promise.catch(() => {}); // a skipped monitor never reads it
    monitorQueue.push({ id, snapshot, cover2Usd: cover2Usd.promise });
    void runMonitors();
    await new Promise<void>((resolve) => setImmediate(resolve));
    let views: BlockViews;
    try {
      views = blockViews(snapshot);
    } catch (error) {
      cover2Usd.reject(error);
      throw error;
    }
    cover2Usd.resolve(views.cover.cover2Usd);
    const viewed = performance.now();
    // The accounts table and the accounts' bytes are shared memory the request thread reads in
    // place (the accounts only if a request needs them: lib/server/lazyTransfer); the ADL lights
    // are not sent at all.
    const { accounts, ...rest } = snapshot;
    const accountBytes = serializeAccounts(accounts);
    // `node`: of the follow, the wait for the node's logs and venue (a block followed from its logs).
    const timing = { follow: followed - started, ...(how?.kind === "incremental" && { node: how.nodeMs }), views: viewed - followed, bytes: performance.now() - viewed };
    post({ type: "snapshot", id, snapshot: rest, accounts: accountBytes, views: viewsWithoutLights(views), timing });
    worked.resolve();
    // What the views left for later (the ADL order no view read), done while no block waits.
    settleWhenIdle(blockViews);
    // A full read (the first block, a reorg) leaves a venue's worth of garbage: collected now, while
    // the worker waits for the next block; and so is what blocks of changes leave, once it adds up.
    if ((await follower).last?.kind === "full") collectWhenIdle();
    else collectAsHeapGrows();
    (await watchdog).onBlock(client, snapshot.blockNumber);
    void (await indexWatch)?.onBlock(client, snapshot.blockNumber);
  } catch (error) {
    post({ type: "error", id, message: publicErrorMessage(error) });
  } finally {
    worked.resolve();
  }
}

port.on("message", (request: BlockWorkerRequest) => void read(request));
