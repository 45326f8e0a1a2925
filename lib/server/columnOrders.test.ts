import { describe, expect, it } from "vitest";
import { orderColumns, type ColumnOrderJob } from "./columnOrders.ts";
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

const jobsOf = (columns: Float64Array[], start: Int32Array, known: Int32Array): ColumnOrderJob[] =>
  columns.map((column, at) => ({ column, bySize: at % 2 === 1, start, into: shared(Int32Array, column.length), sortedKeys: shared(Float64Array, column.length), known, at }));

/** The definition, on this thread: keys Infinity for NaN, the size for `bySize`, stableOrderBy from start. */
function expected(job: ColumnOrderJob) {
  const keys = Float64Array.from(job.column, (v) => (Number.isNaN(v) ? Infinity : job.bySize ? Math.abs(v) : v));
  const sortedKeys = new Float64Array(keys.length);
  const order = stableOrderBy(keys, job.start, undefined, sortedKeys);
  return { order: [...order], sortedKeys: [...sortedKeys], known: keys.filter((k) => k !== Infinity).length };
}

describe("orderColumns: the accounts table's column orders on two threads", () => {
  it("sorts columns on the helper thread while the caller's work runs, into the same orders as on one thread", { timeout: 60_000 }, () => {
    const { columns, start } = columnsOf(20_000, 5);
    // The helper starts with the first call and takes a moment: the caller waits for it in its work, as long as it must.
    let helped = 0;
    let jobs: ColumnOrderJob[] = [];
    const known = shared(Int32Array, columns.length);
    for (const deadline = Date.now() + 30_000; helped === 0 && Date.now() < deadline; ) {
      jobs = jobsOf(columns, start, known);
      helped = orderColumns(jobs, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200));
    }
    expect(helped).toBeGreaterThan(0);
    for (const job of jobs) {
      const { order, sortedKeys, known: count } = expected(job);
      expect([...job.into]).toEqual(order);
      expect([...job.sortedKeys]).toEqual(sortedKeys);
      expect(known[job.at]).toBe(count);
    }
  });

  it("sorts every column itself when its arrays are not in shared memory (the helper would write into copies)", () => {
    const { columns, start } = columnsOf(3_000, 2);
    const jobs = columns.map((column, at): ColumnOrderJob => ({ column: Float64Array.from(column), bySize: false, start: Int32Array.from(start), into: new Int32Array(column.length), sortedKeys: new Float64Array(column.length), known: new Int32Array(2), at }));
    expect(orderColumns(jobs)).toBe(0);
    for (const job of jobs) expect([...job.into]).toEqual(expected(job).order);
  });
});
