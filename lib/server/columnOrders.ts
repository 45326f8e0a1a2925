/**
 * The accounts table's column orders (lib/server/accountTable) as jobs in shared memory, so that
 * they run on a helper thread (lib/server/helperThread) while the block's other views are made:
 * at 1,000,000 accounts a block whose prices all moved sorts five columns (~50 ms each,
 * stableOrderBy), a trading block merges five (~20 ms each).
 */

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

/** Each row's key, per thread (grown as needed). */
let keys = new Float64Array(0);

/**
 * A figure's sort key: Infinity where the row has none (NaN, or not finite: a table holds those as
 * NaN, so its figures' columns sort alike), after every other; its size when `bySize`.
 */
export function columnKey(v: number, bySize: boolean): number {
  if (!Number.isFinite(v)) return Infinity;
  return bySize ? Math.abs(v) : v;
}

/** Runs `job`: writes its order. */
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
