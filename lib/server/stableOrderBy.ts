/** The passes' arrays, kept from call to call (grown as needed): at 1,000,000 rows ~24 MB a call outside V8's heap, whose collector runs a full collection after so much. */
let scratch = { lo: new Uint32Array(0), hi: new Uint32Array(0), lo2: new Uint32Array(0), hi2: new Uint32Array(0), at: new Int32Array(0), at2: new Int32Array(0) };
const RADIX = 2048;
const MASK = RADIX - 1;
/** 3 × 11 bits ≥ 32: the radix passes sort by the keys' high words only. */
const PASSES = 3;
const counts = new Int32Array(PASSES * RADIX);
const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);
/** A run of equal high words longer than this is ordered by a comparison sort, not by insertion. */
const INSERTION_RUN = 48;

/**
 * `start` reordered by `keys[row]` ascending, stably: rows with equal keys keep their order in
 * `start`. So with `start` in address order, the result is in (key, address) order — the accounts
 * table's order on a column (lib/server/accountTable) — without a comparison sort: an LSD radix
 * sort on the keys' high 32 bits, three passes of 11 bits (2,048 counters: they stay in the
 * cache), each a scatter of the keys' words with their rows, read in order (not looked up by row:
 * at 1,000,000 rows a lookup per row and pass was a cache miss each), the counts made in one first
 * pass; then each run of equal high words (keys within ~2⁻²⁰ of each other, or equal) ordered by
 * the low words, stably: by insertion (the runs are short: equal keys, already in order, move
 * nothing), a comparison sort past INSERTION_RUN. Written into `into` when given (else a new
 * array), and the keys in that order into `sortedKeys` when given (read off the sorted words: no
 * lookup by row); the passes' arrays are kept from call to call. ~40–50 ms for 1,000,000 rows (six passes
 * over all 64 bits: ~60–75 ms; a comparator sort, seconds).
 *
 * The bits are made to order as the numbers do: a positive double's bits order as it does once
 * its sign bit is set; a negative one's, once they are all flipped. −0 sorts as +0 (they are
 * equal); NaN is not a key (callers map unknown values to Infinity, after every number).
 *
 * Example: keys [2, −1, 2, Infinity] by row, start [3, 2, 1, 0] → [1, 2, 0, 3]: −1 first, then
 * the two 2s in start's order (row 2 before row 0), Infinity last.
 */
export function stableOrderBy(keys: Float64Array, start: Int32Array, into?: Int32Array, sortedKeys?: Float64Array): Int32Array {
  const n = start.length;
  const out = into ?? new Int32Array(n);
  if (n === 0) return out;
  if (scratch.lo.length < n) {
    const room = n + (n >>> 4);
    scratch = { lo: new Uint32Array(room), hi: new Uint32Array(room), lo2: new Uint32Array(room), hi2: new Uint32Array(room), at: new Int32Array(room), at2: new Int32Array(room) };
  }
  let { lo, hi, lo2, hi2, at, at2 } = scratch;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const row = start[i]!;
    f64[0] = keys[row]! + 0; // −0 + 0 is +0
    let l = words[0]!;
    let h = words[1]!;
    if (h & 0x8000_0000) {
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else h = (h | 0x8000_0000) >>> 0;
    lo[i] = l;
    hi[i] = h;
    at[i] = row;
    counts[h & MASK]!++;
    counts[RADIX + ((h >>> 11) & MASK)]!++;
    counts[2 * RADIX + (h >>> 22)]!++;
  }
  for (let d = 0; d < PASSES; d++) {
    const base = d * RADIX;
    // Every row has the same digit (the first digit counted holds them all): the order stands.
    let first = base;
    while (counts[first] === 0) first++;
    if (counts[first] === n) continue;
    for (let v = 0, sum = 0; v < RADIX; v++) {
      const c = counts[base + v]!;
      counts[base + v] = sum;
      sum += c;
    }
    const shift = 11 * d;
    for (let i = 0; i < n; i++) {
      const h = hi[i]!;
      const to = counts[base + ((h >>> shift) & MASK)]!++;
      lo2[to] = lo[i]!;
      hi2[to] = h;
      at2[to] = at[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [at, at2] = [at2, at];
  }
  for (let i = 0; i < n; ) {
    const h = hi[i]!;
    let j = i + 1;
    let ordered = true;
    for (; j < n && hi[j] === h; j++) if (lo[j]! < lo[j - 1]!) ordered = false;
    if (!ordered) orderRunByLow(lo, at, i, j);
    i = j;
  }
  out.set(at.subarray(0, n));
  if (sortedKeys) {
    // The keys back from their words, in order (−0 comes back +0).
    for (let i = 0; i < n; i++) {
      const h = hi[i]!;
      if (h & 0x8000_0000) {
        words[0] = lo[i]!;
        words[1] = h & 0x7fff_ffff;
      } else {
        words[0] = ~lo[i]!;
        words[1] = ~h;
      }
      sortedKeys[i] = f64[0]!;
    }
  }
  return out;
}

/** Places [from, to) of `lo` and `at` (one high word, in start's order) ordered by `lo`, stably. */
function orderRunByLow(lo: Uint32Array, at: Int32Array, from: number, to: number): void {
  if (to - from > INSERTION_RUN) {
    const places = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => lo[a]! - lo[b]! || a - b);
    const [low, rows] = [places.map((p) => lo[p]!), places.map((p) => at[p]!)];
    lo.set(low, from);
    at.set(rows, from);
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const l = lo[k]!;
    const row = at[k]!;
    let m = k;
    for (; m > from && lo[m - 1]! > l; m--) {
      lo[m] = lo[m - 1]!;
      at[m] = at[m - 1]!;
    }
    lo[m] = l;
    at[m] = row;
  }
}
