import { describe, expect, it } from "vitest";
import { orderColumn, type ColumnMergeJob, type ColumnSortJob } from "./columnOrders.ts";
import { runWithHelper, serveAsHelper, type HelperBatch } from "./helperThread.ts";
import { runUntilHelped } from "../testing/runUntilHelped.ts";
import { stableOrderBy } from "./stableOrderBy.ts";

const shared = <T extends Float64Array | Int32Array>(Kind: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number) => new Kind(new SharedArrayBuffer(Kind.BYTES_PER_ELEMENT * length));

/** Columns of pseudo-random figures (a fixed seed), some NaN (rows without a value), some tied, with one start order (a shuffle, as the address order is). */
function columnsOf(rows: number, count: number) {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const columns = Array.from({ length: count }, () => {
    const column = shared(Float64Array, rows);
    for (let i = 0; i < rows; i++) column[i] = random() < 0.1 ? NaN : random() < 0.2 ? 1.25 : (random() - 0.3) * 1e6;
    return column;
  });
  const start = shared(Int32Array, rows);
  start.set(Array.from({ length: rows }, (_, i) => i).sort(() => random() - 0.5));
  return { columns, start };
}

const jobsOf = (columns: Float64Array[], start: Int32Array, known: Int32Array): ColumnSortJob[] =>
  columns.map((column, at) => ({ kind: "sort", column, bySize: at % 2 === 1, start, into: shared(Int32Array, column.length), sortedKeys: shared(Float64Array, column.length), known, at }));

/** The definition, on this thread: keys Infinity for NaN, the size for `bySize`, stableOrderBy from start. */
function expected(job: ColumnSortJob) {
  const keys = Float64Array.from(job.column, (v) => (Number.isNaN(v) ? Infinity : job.bySize ? Math.abs(v) : v));
  const sortedKeys = new Float64Array(keys.length);
  const order = stableOrderBy(keys, job.start, undefined, sortedKeys);
  return { order: [...order], sortedKeys: [...sortedKeys], known: keys.filter((k) => k !== Infinity).length };
}

describe("runWithHelper: the accounts table's column orders on two threads", () => {
  it("sorts columns on the helper thread while the caller's work runs, into the same orders as on one thread", { timeout: 60_000 }, () => {
    const { columns, start } = columnsOf(20_000, 5);
    const known = shared(Int32Array, columns.length);
    const { jobs, helped } = runUntilHelped(() => jobsOf(columns, start, known));
    expect(helped).toBeGreaterThan(0);
    for (const job of jobs) {
      const { order, sortedKeys, known: count } = expected(job);
      expect([...job.into]).toEqual(order);
      expect([...job.sortedKeys]).toEqual(sortedKeys);
      expect(known[job.at]).toBe(count);
    }
  });

  it("merges an order on the helper thread: the last order with some rows' keys changed, as the same rows sorted afresh", { timeout: 60_000 }, () => {
    const rows = 20_000;
    const { columns, start } = columnsOf(rows, 2);
    const [before, after] = columns.map((column) => Float64Array.from(column, (v) => (Number.isNaN(v) ? Infinity : v)));
    const rank = shared(Int32Array, rows);
    start.forEach((row, k) => (rank[row] = k));
    // Every 7th row's key changes to the other column's.
    const changed = Array.from({ length: rows }, (_, i) => i).filter((i) => i % 7 === 3);
    const keys = Float64Array.from(before!);
    for (const row of changed) keys[row] = after![row]!;
    const [kept, keptKeys] = [shared(Int32Array, rows), shared(Float64Array, rows)];
    stableOrderBy(before!, start, kept, keptKeys);
    const isChanged = shared(Int32Array, (rows + 31) >>> 5);
    for (const row of changed) isChanged[row >>> 5]! |= 1 << (row & 31);
    // The changed rows in key order (ties by rank), as the table's update gives them.
    const byKey = stableOrderBy(keys, Int32Array.from(start).filter((row) => changed.includes(row)));
    const inserted = shared(Int32Array, byKey.length);
    inserted.set(byKey);
    const insertedKeys = shared(Float64Array, byKey.length);
    insertedKeys.set(Array.from(byKey, (row) => keys[row]!));
    const { jobs: [job], helped } = runUntilHelped((): ColumnMergeJob[] => [{ kind: "merge", kept, keptKeys, isChanged, rank, inserted, insertedKeys, into: shared(Int32Array, rows), intoKeys: shared(Float64Array, rows) }]);
    expect(helped).toBe(1);
    const sortedKeys = new Float64Array(rows);
    expect([...job!.into]).toEqual([...stableOrderBy(keys, start, undefined, sortedKeys)]);
    expect([...job!.intoKeys]).toEqual([...sortedKeys]);
  });

  it("sorts every column itself when its arrays are not in shared memory (the helper would write into copies)", () => {
    const { columns, start } = columnsOf(3_000, 2);
    const jobs = columns.map((column, at): ColumnSortJob => ({ kind: "sort", column: Float64Array.from(column), bySize: false, start: Int32Array.from(start), into: new Int32Array(column.length), sortedKeys: new Float64Array(column.length), known: new Int32Array(2), at }));
    expect(runWithHelper(jobs)).toBe(0);
    for (const job of jobs) expect([...job.into]).toEqual(expected(job).order);
  });
});

describe("the helper thread's side (serveAsHelper)", () => {
  it("runs each batch it is posted and counts the shared memory the batch held, for its collector", () => {
    const { columns, start } = columnsOf(1_000, 2);
    const known = shared(Int32Array, 2);
    const jobs = jobsOf(columns, start, known);
    const listeners: ((batch: HelperBatch) => void)[] = [];
    const dropped: number[] = [];
    serveAsHelper({ on: (_event, listener) => listeners.push(listener) }, (bytes) => dropped.push(bytes));
    listeners[0]!({ jobs, states: shared(Int32Array, jobs.length) });
    for (const job of jobs) expect([...job.into]).toEqual(expected(job).order);
    // Each buffer once: per job its column (8 bytes a row), order (4) and sorted keys (8); the start order (4 a row) and the counts (4 a column) the two share.
    expect(dropped).toEqual([2 * 1_000 * (8 + 4 + 8) + 1_000 * 4 + 2 * 4]);
  });
});

describe("orderColumn", () => {
  it("sorts a figure that is not finite with the rows that have none, as the table holds it (NaN): a column of figures sorts as the table's", () => {
    const figures = Float64Array.from([3, -Infinity, NaN, -2, Infinity, 3, -Infinity]);
    const asTable = Float64Array.from(figures, (v) => (Number.isFinite(v) ? v : NaN));
    const start = Int32Array.from([6, 5, 4, 3, 2, 1, 0]);
    const [fromFigures, fromTable] = [figures, asTable].map((column) => {
      const job: ColumnSortJob = { kind: "sort", column, bySize: false, start, into: new Int32Array(7), sortedKeys: new Float64Array(7), known: new Int32Array(1), at: 0 };
      orderColumn(job);
      return { order: [...job.into], known: job.known[0] };
    });
    // −2, then the 3s in start's order, then the rows without a finite figure in start's order.
    expect(fromFigures).toEqual({ order: [3, 5, 0, 6, 4, 2, 1], known: 3 });
    expect(fromTable).toEqual(fromFigures);
  });
});
