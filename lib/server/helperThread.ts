/**
 * Work of a block shared between the thread that computes its views (the block worker) and one
 * helper thread: the machine's other core. A block's jobs live in shared memory — the accounts
 * table's column orders (lib/server/columnOrders), the float screen of its rows
 * (lib/server/rowScreen), the sums of its rows' equity (lib/server/equitySums), the bounds of
 * their deficits under Cover's shock (lib/server/coverBounds) — and the helper and the caller each claim the next unclaimed job (a
 * compare-and-swap on its state), so a job runs once, on whichever thread gets to it first. The
 * caller runs its own work (`meanwhile`) first, then claims what the helper has not, then waits
 * for the ones the helper is running. A helper that has not started yet (its first ~0.3 s) or
 * cannot start leaves every job to the caller: the results are the same either way.
 *
 * Example: the table's five sorts (~50 ms each at 1,000,000 accounts) while the caller computes
 * system risk, Cover and the history point (~0.5 s): the helper sorts all five, the caller finds
 * none left and returns after its 0.5 s — the sorts cost the block nothing.
 */

import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { ColumnarSnapshot } from "../../engine/index.ts";
import { orderColumn, type ColumnOrderJob } from "./columnOrders.ts";
import { boundCoverDeficits, type CoverBoundsJob } from "./coverBounds.ts";
import { sumEquityJob, type EquitySumJob } from "./equitySums.ts";
import { screenRows, type RowScreenJob } from "./rowScreen.ts";
import { createSharedMemoryCollector } from "./sharedMemoryCollector.ts";

export type HelperJob = ColumnOrderJob | RowScreenJob | EquitySumJob | CoverBoundsJob;

/** A job's state in the shared control array. */
const [UNCLAIMED, CLAIMED, DONE, FAILED] = [0, 1, 2, 3];
/** The longest the caller waits for a job the helper claimed: far beyond any job's (~0.3 s at most); past it the helper is taken for dead and the block fails (its read is retried). */
const HELPER_WAIT_MS = 30_000;

/** What the caller posts the helper: the jobs and their states (index k of `states`: job k's). */
export interface HelperBatch {
  jobs: HelperJob[];
  states: Int32Array;
}

function runJob(job: HelperJob): void {
  if (job.kind === "screen") screenRows(job);
  else if (job.kind === "equity") sumEquityJob(job);
  else if (job.kind === "cover") boundCoverDeficits(job);
  else orderColumn(job);
}

/** Claims and runs every unclaimed job of `batch`; what a thread runs, caller or helper. Returns how many it ran. */
export function claimAndRun({ jobs, states }: HelperBatch): number {
  let ran = 0;
  for (let k = 0; k < jobs.length; k++) {
    if (Atomics.compareExchange(states, k, UNCLAIMED, CLAIMED) !== UNCLAIMED) continue;
    try {
      runJob(jobs[k]!);
      Atomics.store(states, k, DONE);
      ran++;
    } catch (error) {
      Atomics.store(states, k, FAILED);
      throw error;
    } finally {
      Atomics.notify(states, k);
    }
  }
  return ran;
}

/**
 * The helper thread's side: each batch posted to it run, and its heap collected as the shared
 * memory its batches held passes a limit. Every batch brings handles on the block's shared
 * arrays (the table's columns and orders, the follower's columns and figures); the helper's own
 * heap is tiny, so V8 would seldom collect it, and the handles it kept would keep every block's
 * arrays alive (~0.4 GB a block whose prices moved at 1,000,000 accounts) — what
 * lib/server/sharedMemoryCollector does for the request thread, for the same reason.
 */
export function serveAsHelper(port: { on(event: "message", listener: (batch: HelperBatch) => void): unknown }, dropped: (bytes: number) => unknown = createSharedMemoryCollector()): void {
  port.on("message", (batch) => {
    try {
      claimAndRun(batch);
    } finally {
      dropped(sharedBytesOf(batch));
    }
  });
}

/** The bytes of shared memory a batch's jobs hold handles on (the arrays they name, the columns of a screen's block included), each buffer once: a block's jobs share its columns. */
function sharedBytesOf({ jobs }: HelperBatch): number {
  const buffers = new Set<ArrayBufferLike>();
  for (const job of jobs) for (const array of arraysOf(job)) buffers.add(array.buffer);
  let bytes = 0;
  for (const buffer of buffers) bytes += buffer.byteLength;
  return bytes;
}

/** Every typed array a job names: what it reads and writes, the columns of its block included. */
function arraysOf(job: HelperJob): ArrayBufferView[] {
  if (job.kind === "screen") return [...Object.values(job.figures), job.screened, ...Object.values(job.riskBounds), ...Object.values(job.places), ...columnsOf(job.columnar)];
  if (job.kind === "equity") return [job.out, ...columnsOf(job.columnar)];
  if (job.kind === "cover") return [job.low, job.high, ...columnsOf(job.columnar)];
  return Object.values(job).filter((value) => ArrayBuffer.isView(value));
}

/** A block's columns' arrays. */
function columnsOf({ cashUsd, balancesNative, sizeBase, openNotionalUsd }: ColumnarSnapshot): ArrayBufferView[] {
  return [cashUsd, ...balancesNative, ...sizeBase, ...openNotionalUsd].flatMap((column) => [column.hi, column.lo]);
}

let helper: Worker | null | undefined;

/** The helper thread, started at the first call (undefined until then; null where it cannot start). */
function helperThread(): Worker | null {
  if (helper !== undefined) return helper;
  try {
    // From the project directory and through getBuiltinModule, as lib/server/blockReader starts the block worker (so Next's bundler does not follow it).
    const threads = process.getBuiltinModule("node:worker_threads");
    helper = new threads.Worker(join(process.cwd(), "lib/server/helperThread.boot.mjs"));
    helper.unref();
    // A helper that fails leaves its jobs to the caller from then on.
    helper.on("error", (error) => {
      console.error(`block views: the helper thread failed (${error.message}); this thread works alone`);
      helper = null;
    });
  } catch {
    helper = null;
  }
  return helper;
}

/**
 * Runs `meanwhile` while the helper thread runs `jobs`, then runs what the helper did not claim
 * and waits for what it did. Every job is done when it returns; it returns how many the helper ran.
 */
export function runWithHelper(jobs: HelperJob[], meanwhile: () => void = () => {}): number {
  const batch: HelperBatch = { jobs, states: new Int32Array(new SharedArrayBuffer(4 * jobs.length)) };
  // Only arrays in shared memory reach the helper as themselves (others would be copied, and its results written into the copies).
  if (jobs.every(inSharedMemory)) helperThread()?.postMessage(batch);
  meanwhile();
  let helped = jobs.length - claimAndRun(batch);
  for (let k = 0; k < jobs.length; k++) {
    if (Atomics.wait(batch.states, k, CLAIMED, HELPER_WAIT_MS) === "timed-out") throw new Error(`block views: the helper thread did not finish job ${k} in ${HELPER_WAIT_MS / 1000} s`);
    if (Atomics.load(batch.states, k) !== FAILED) continue;
    // A job the helper failed on: run here (the same function: its error, if it is the job's, comes again).
    runJob(jobs[k]!);
    helped--;
  }
  return helped;
}

/** Whether every array a job names is in shared memory (what it only reads may be copied: a block's prices, not arrays). */
function inSharedMemory(job: HelperJob): boolean {
  return arraysOf(job).every((array) => array.buffer instanceof SharedArrayBuffer);
}
