/**
 * A column of exact integers (wei, native token units, WAD) held in two Float64Arrays, so that the
 * float screen reads its operand straight from memory and the exact path loses nothing:
 *
 *   hi = Number(x)            (x rounded to the nearest double: |x − hi| ≤ 2⁻⁵³·|x|)
 *   lo = x − hi               (an integer; exact as a double whenever |x − hi| ≤ 2⁵³)
 *   x  = BigInt(hi) + BigInt(lo)
 *
 * That covers every |x| < 2¹⁰⁶ ≈ 8.1·10³¹ (81 trillion dollars in WAD); a wider value keeps
 * hi = Number(x) (still correctly rounded, so the screen's error bound holds), lo = NaN, and
 * its exact value in `wide`. Example: x = 2⁵³ + 1 → hi = 2⁵³, lo = 1.
 *
 * The arrays sit on a SharedArrayBuffer where the platform has one, so worker threads can read
 * the same memory without a copy.
 */

/** A growable column of exact integers (see the header). */
export interface ExactColumn {
  hi: Float64Array;
  lo: Float64Array;
  /** Exact values of the rows whose lo is NaN. */
  wide: Map<number, bigint>;
}

const TWO_53 = 2n ** 53n;

/** Float64Array of `length` zeros, on shared memory when the platform offers it. */
export function allocateFloat64(length: number): Float64Array {
  const Shared = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;
  return Shared ? new Float64Array(new Shared(length * 8)) : new Float64Array(length);
}

/** An empty column with room for `capacity` rows. */
export function createExactColumn(capacity: number): ExactColumn {
  return { hi: allocateFloat64(capacity), lo: allocateFloat64(capacity), wide: new Map() };
}

/** The column with room for `capacity` rows, its contents kept (a new column when it must grow). */
export function growExactColumn(column: ExactColumn, capacity: number): ExactColumn {
  if (column.hi.length >= capacity) return column;
  const grown = createExactColumn(capacity);
  grown.hi.set(column.hi);
  grown.lo.set(column.lo);
  return { ...grown, wide: column.wide };
}

/** An independent copy of `column`'s first `count` rows, with room for `capacity` (its own by default). */
export function copyExactColumn(column: ExactColumn, count: number, capacity = column.hi.length): ExactColumn {
  const copy = createExactColumn(capacity);
  copy.hi.set(column.hi.subarray(0, count));
  copy.lo.set(column.lo.subarray(0, count));
  for (const [row, x] of column.wide) if (row < count) copy.wide.set(row, x);
  return copy;
}

/** Stores `x` exactly at `row`. */
export function writeExact(column: ExactColumn, row: number, x: bigint): void {
  if (x === 0n) {
    column.hi[row] = 0;
    column.lo[row] = 0;
    if (column.wide.size) column.wide.delete(row);
    return;
  }
  const hi = Number(x);
  const rest = x - BigInt(hi);
  if (rest <= TWO_53 && rest >= -TWO_53) {
    column.hi[row] = hi;
    column.lo[row] = Number(rest);
    if (column.wide.size) column.wide.delete(row);
  } else {
    column.hi[row] = hi;
    column.lo[row] = NaN;
    column.wide.set(row, x);
  }
}

/** The exact value at `row`. */
export function readExact(column: ExactColumn, row: number): bigint {
  const hi = column.hi[row]!;
  if (hi === 0) return 0n;
  const lo = column.lo[row]!;
  if (lo !== lo) return column.wide.get(row)!;
  return lo === 0 ? BigInt(hi) : BigInt(hi) + BigInt(lo);
}
