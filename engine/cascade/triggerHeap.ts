/**
 * A max-heap of price triggers (key, row, version) for the cascade (cascadeTriggers.ts): 4-ary,
 * each entry two doubles side by side in one Float64Array — the key, then version·2³¹ + row
 * (exact while the version stays below 2²², which push checks) — so that the four children a pop
 * compares sit on one or two cache lines instead of three arrays' worth of scattered reads.
 * Entries are moved, not swapped, on the way up and down. Ordering is on the key alone; entries
 * with equal keys pop in no particular order.
 *
 * Example: push (2,842, row 7, version 1), (2,900, row 3, version 2): the top is 2,900 / row 3;
 * after one pop it is 2,842 / row 7.
 */

/** The heap: `data[2i]` the key of entry i, `data[2i + 1]` its version·2³¹ + row. */
export interface TriggerHeap {
  data: Float64Array;
  size: number;
}

const ROW_SPAN = 2 ** 31;
const MAX_VERSION = 2 ** 22;

/** An empty heap. */
export function createTriggerHeap(capacity = 64): TriggerHeap {
  return { data: new Float64Array(2 * Math.max(4, capacity)), size: 0 };
}

/** Adds (key, row, version). */
export function pushTrigger(h: TriggerHeap, key: number, row: number, version: number): void {
  if (version >= MAX_VERSION) throw new RangeError(`trigger version ${version} of row ${row} is past ${MAX_VERSION}`);
  if (2 * h.size === h.data.length) {
    const grown = new Float64Array(2 * h.data.length);
    grown.set(h.data);
    h.data = grown;
  }
  const data = h.data;
  const payload = version * ROW_SPAN + row;
  let i = h.size++;
  while (i > 0) {
    const parent = (i - 1) >> 2;
    const parentKey = data[2 * parent]!;
    if (parentKey >= key) break;
    data[2 * i] = parentKey;
    data[2 * i + 1] = data[2 * parent + 1]!;
    i = parent;
  }
  data[2 * i] = key;
  data[2 * i + 1] = payload;
}

/** The largest key (the heap must not be empty). */
export const topTriggerKey = (h: TriggerHeap): number => h.data[0]!;
/** The row of the top entry. */
export const topTriggerRow = (h: TriggerHeap): number => h.data[1]! % ROW_SPAN;
/** The version of the top entry. */
export const topTriggerVersion = (h: TriggerHeap): number => Math.floor(h.data[1]! / ROW_SPAN);

/** Removes the top entry (the heap must not be empty). */
export function popTrigger(h: TriggerHeap): void {
  const data = h.data;
  const n = --h.size;
  const key = data[2 * n]!;
  const payload = data[2 * n + 1]!;
  let i = 0;
  for (;;) {
    const first = 4 * i + 1;
    if (first >= n) break;
    const end = first + 4 < n ? first + 4 : n;
    let top = first;
    let topKey = data[2 * first]!;
    for (let c = first + 1; c < end; c++) {
      const k = data[2 * c]!;
      if (k > topKey) {
        topKey = k;
        top = c;
      }
    }
    if (!(topKey > key)) break;
    data[2 * i] = topKey;
    data[2 * i + 1] = data[2 * top + 1]!;
    i = top;
  }
  data[2 * i] = key;
  data[2 * i + 1] = payload;
}
