/**
 * The accounts table's column orders (lib/server/accountTable), sorted on two threads: the
 * caller's and a helper's. At 1,000,000 accounts a block whose prices all moved sorts five
 * columns (~50 ms each, stableOrderBy) while the rest of the block's views (system risk, Cover,
 * the history point: ~0.5 s) wait for none of them; the helper sorts them meanwhile, on the
 * machine's other core.
 *
 * Each column is a job in shared memory: the helper and the caller each claim the next unclaimed
 * job (a compare-and-swap on its state), so a job is sorted once, by whichever thread gets to it
 * first. The caller runs its own work (`meanwhile`) first, then claims what the helper has not,
 * then waits for the ones the helper is sorting. A helper that has not started yet (its first
 * ~0.3 s) or cannot start leaves every job to the caller: the orders are the same either way.
 *
 * Example: five jobs, `meanwhile` 0.5 s: the helper sorts all five in ~0.25 s, the caller
 * finds none left and returns after its 0.5 s — the sorts cost the block nothing.
 */

import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { stableOrderBy } from "./stableOrderBy.ts";

/** A column's order, sorted (a table built whole) or merged (a table updated). All its arrays in shared memory. */
export type ColumnOrderJob = ColumnSortJob | ColumnMergeJob;

/** One column's order: `into` ← the rows of `start` ordered by their key in `column` (stableOrderBy), `sortedKeys` the keys in that order, `known[at]` how many rows have one. */
export interface ColumnSortJob {
  kind: "sort";
  /** The column's figures, NaN where a row has none (its key is then Infinity: after every other). */
  column: Float64Array;
  /** Whether the key is the figure's size (the distance to liquidation) rather than the figure. */
  bySize: boolean;
  start: Int32Array;
  into: Int32Array;
  sortedKeys: Float64Array;
  known: Int32Array;
  at: number;
}

/**
 * One column's order from the last table's: `into` ← the places of `kept` (the last order, its
 * keys `keptKeys`) whose row is not flagged in `isChanged` (one bit a row), with the changed rows
 * (`inserted`, in key order, their keys `insertedKeys`) merged in, ties by address rank (`rank`);
 * `intoKeys` the keys in that order.
 */
export interface ColumnMergeJob {
  kind: "merge";
  kept: Int32Array;
  keptKeys: Float64Array;
  isChanged: Int32Array;
  rank: Int32Array;
  inserted: Int32Array;
  insertedKeys: Float64Array;
  into: Int32Array;
  intoKeys: Float64Array;
}

/** A job's state in the shared control array. */
const [UNCLAIMED, CLAIMED, DONE, FAILED] = [0, 1, 2, 3];
/** The longest the caller waits for a job the helper claimed: far beyond a sort's ~50 ms; past it the helper is taken for dead and the block fails (its read is retried). */
const HELPER_WAIT_MS = 30_000;

/** What the caller posts the helper: the jobs and their states (index k of `states`: job k's). */
export interface ColumnOrderBatch {
  jobs: ColumnOrderJob[];
  states: Int32Array;
}

/** Each row's key, per thread (grown as needed). */
let keys = new Float64Array(0);

/** A figure's sort key: Infinity where the row has none (NaN), after every other; its size when `bySize`. */
export function columnKey(v: number, bySize: boolean): number {
  if (Number.isNaN(v)) return Infinity;
  return bySize ? Math.abs(v) : v;
}

/** Runs `job`. */
export function orderColumn(job: ColumnOrderJob): void {
  if (job.kind === "sort") sortColumn(job);
  else mergeColumn(job);
}

/** Sorts `job`: its keys from its column, then stableOrderBy from `start`. */
function sortColumn(job: ColumnSortJob): void {
  const { column, bySize } = job;
  const n = column.length;
  if (keys.length < n) keys = new Float64Array(n);
  let known = 0;
  for (let i = 0; i < n; i++) {
    const key = columnKey(column[i]!, bySize);
    if (key !== Infinity) known++;
    keys[i] = key;
  }
  job.known[job.at] = known;
  stableOrderBy(keys.subarray(0, n), job.start, job.into, job.sortedKeys);
}

/**
 * Merges `job`, in one pass over the last order and its keys, kept in that order (looking each
 * place's key up by row was a cache miss a place: ~100 ms a column at 1,000,000 accounts).
 */
function mergeColumn({ kept, keptKeys, isChanged, rank, inserted, insertedKeys, into, intoKeys }: ColumnMergeJob): void {
  const n = kept.length;
  const m = inserted.length;
  let i = 0;
  let out = 0;
  for (let j = 0; j <= m; j++) {
    // Past the last changed row, the rest: every key is at most Infinity, every rank below n.
    const row = j < m ? inserted[j]! : -1;
    const k = row < 0 ? Infinity : insertedKeys[j]!;
    const r = row < 0 ? n : rank[row]!;
    // The unchanged places that come before key k at address rank r, copied.
    for (; i < n; i++) {
      const at = kept[i]!;
      if (isChanged[at >>> 5]! & (1 << (at & 31))) continue;
      const atKey = keptKeys[i]!;
      if (!(atKey < k || (atKey === k && rank[at]! < r))) break;
      into[out] = at;
      intoKeys[out++] = atKey;
    }
    if (row >= 0) {
      into[out] = row;
      intoKeys[out++] = k;
    }
  }
}

/** Claims and sorts every unclaimed job of `batch`; what a thread runs, caller or helper. Returns how many it sorted. */
export function claimAndOrder({ jobs, states }: ColumnOrderBatch): number {
  let sorted = 0;
  for (let k = 0; k < jobs.length; k++) {
    if (Atomics.compareExchange(states, k, UNCLAIMED, CLAIMED) !== UNCLAIMED) continue;
    try {
      orderColumn(jobs[k]!);
      Atomics.store(states, k, DONE);
      sorted++;
    } catch (error) {
      Atomics.store(states, k, FAILED);
      throw error;
    } finally {
      Atomics.notify(states, k);
    }
  }
  return sorted;
}

let helper: Worker | null | undefined;

/** The helper thread, started at the first call (undefined until then; null where it cannot start). */
function helperThread(): Worker | null {
  if (helper !== undefined) return helper;
  try {
    // From the project directory and through getBuiltinModule, as lib/server/blockReader starts the block worker (so Next's bundler does not follow it).
    const threads = process.getBuiltinModule("node:worker_threads");
    helper = new threads.Worker(join(process.cwd(), "lib/server/columnOrders.boot.mjs"));
    helper.unref();
    // A helper that fails leaves its jobs to the caller from then on.
    helper.on("error", (error) => {
      console.error(`accounts table: the sorting helper thread failed (${error.message}); this thread sorts alone`);
      helper = null;
    });
  } catch {
    helper = null;
  }
  return helper;
}

/**
 * Runs `meanwhile` while the helper thread sorts `jobs`, then sorts what the helper did not
 * claim and waits for what it did. The orders are written when it returns; it returns how many
 * jobs the helper sorted.
 */
export function orderColumns(jobs: ColumnOrderJob[], meanwhile: () => void = () => {}): number {
  const batch: ColumnOrderBatch = { jobs, states: new Int32Array(new SharedArrayBuffer(4 * jobs.length)) };
  // Only arrays in shared memory reach the helper as themselves (others would be copied, and its orders written into the copies).
  const shared = jobs.every((job) => Object.values(job).every((value) => !ArrayBuffer.isView(value) || value.buffer instanceof SharedArrayBuffer));
  if (shared) helperThread()?.postMessage(batch);
  meanwhile();
  let helped = jobs.length - claimAndOrder(batch);
  for (let k = 0; k < jobs.length; k++) {
    if (Atomics.wait(batch.states, k, CLAIMED, HELPER_WAIT_MS) === "timed-out") throw new Error(`accounts table: the sorting helper thread did not finish column ${k} in ${HELPER_WAIT_MS / 1000} s`);
    if (Atomics.load(batch.states, k) !== FAILED) continue;
    // A job the helper failed on: sorted here (the same function: its error, if it is the job's, comes again).
    orderColumn(jobs[k]!);
    helped--;
  }
  return helped;
}
