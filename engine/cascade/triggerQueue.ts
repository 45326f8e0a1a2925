/**
 * The cascade's price triggers (cascadeTriggers.ts) for one price and direction: entries (key,
 * row, version), drained a round at a time — every entry whose key is at least the round's probe
 * comes out, the rest stay. A bucket queue on the bits of the key instead of a heap: a round
 * that crosses thousands of triggers walked them down a heap of ~10⁵ entries one cache miss per
 * level (~¼ of the 100k-account cascade's scan); here each comes out of its bucket's list once.
 *
 * Buckets. A double's top 32 bits, sign flipped for keys ≥ 0 and all flipped for keys < 0 (the
 * `order`), never decrease as the key grows — for keys of one sign the IEEE bit pattern orders
 * as the magnitude — and bucket = order >>> 6 keeps the sign, the exponent and 14 bits of
 * mantissa: keys within a factor 1 + 2⁻¹⁴ of each other share one. So a bucket above the
 * probe's holds only keys above the probe (all drained, no comparison), the probe's own bucket
 * is compared key by key, and the buckets below are not looked at: exact for every key, whatever
 * the spread. −0 is stored as 0 (it would sort below it). Buckets sit in two levels, 2¹² groups
 * (one per sign and exponent: a group spans a factor 2 of keys) of 2¹⁴, a group's array made on
 * its first entry, with a count per group so that a drain skips empty groups whole.
 *
 * Example: keys 2,842.0 (row 7) and 2,900.0 (row 3), probe 2,850: 2,900 is in a higher bucket
 * and comes out; 2,842 is in a lower one and stays. Probe 2,842 next round: it comes out.
 */

/** Entries in parallel arrays, linked per bucket (`next`; −1 ends a list), freed slots reused. */
export interface TriggerQueue {
  keys: Float64Array;
  rows: Int32Array;
  versions: Int32Array;
  next: Int32Array;
  /** Slots ever used; slots freed since are linked from `free`. */
  used: number;
  free: number;
  /** Entries present. */
  size: number;
  /** Per group of 2¹⁴ buckets: each bucket's first entry + 1 (0: empty), or undefined before the group's first entry. */
  groups: (Int32Array | undefined)[];
  counts: Int32Array;
  /** No bucket above this one holds an entry (−1: none does). */
  top: number;
}

const GROUP_BITS = 14;
const GROUP_SIZE = 1 << GROUP_BITS;
const BUCKET_MASK = GROUP_SIZE - 1;
const GROUPS = 1 << 12;
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
// The word holding the sign and exponent: the second on little-endian platforms.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The bucket of `key` (not NaN; −0 as 0): order >>> 6, see the header. */
export function bucketOf(key: number): number {
  scratch[0] = key + 0;
  const high = words[HIGH]!;
  const order = key + 0 >= 0 ? (high ^ 0x80000000) >>> 0 : ~high >>> 0;
  return order >>> 6;
}

/** An empty queue with room for `capacity` entries (it grows past it). */
export function createTriggerQueue(capacity = 64): TriggerQueue {
  const n = Math.max(4, capacity);
  return { keys: new Float64Array(n), rows: new Int32Array(n), versions: new Int32Array(n), next: new Int32Array(n), used: 0, free: -1, size: 0, groups: new Array(GROUPS).fill(undefined), counts: new Int32Array(GROUPS), top: -1 };
}

/** Empties `q`, keeping its storage (a cascade's queues are reused by the next). */
export function resetTriggerQueue(q: TriggerQueue): void {
  q.used = 0;
  q.free = -1;
  q.size = 0;
  q.top = -1;
  q.counts.fill(0);
  for (const group of q.groups) group?.fill(0);
}

function grow(q: TriggerQueue) {
  const n = 2 * q.keys.length;
  const keys = new Float64Array(n), rows = new Int32Array(n), versions = new Int32Array(n), next = new Int32Array(n);
  keys.set(q.keys);
  rows.set(q.rows);
  versions.set(q.versions);
  next.set(q.next);
  Object.assign(q, { keys, rows, versions, next });
}

/** Adds (key, row, version); a NaN key, which no probe would ever cross, is refused. */
export function pushTrigger(q: TriggerQueue, key: number, row: number, version: number): void {
  if (key !== key) throw new RangeError(`trigger key of row ${row} is NaN`);
  let slot = q.free;
  if (slot >= 0) q.free = q.next[slot]!;
  else {
    if (q.used === q.keys.length) grow(q);
    slot = q.used++;
  }
  const bucket = bucketOf(key);
  const g = bucket >>> GROUP_BITS;
  const group = (q.groups[g] ??= new Int32Array(GROUP_SIZE));
  const b = bucket & BUCKET_MASK;
  q.keys[slot] = key + 0;
  q.rows[slot] = row;
  q.versions[slot] = version;
  q.next[slot] = group[b]! - 1;
  group[b] = slot + 1;
  q.counts[g]!++;
  q.size++;
  if (bucket > q.top) q.top = bucket;
}

/**
 * Takes every entry whose key is at least `probe` (not NaN) out of the queue, calling `visit(row,
 * version)` for each, in no particular order; `visit` must not push to this queue.
 */
export function drainTriggers(q: TriggerQueue, probe: number, visit: (row: number, version: number) => void): void {
  const floor = bucketOf(probe);
  const { keys, rows, versions, next, counts } = q;
  let bucket = q.top;
  while (bucket >= floor) {
    const g = bucket >>> GROUP_BITS;
    if (counts[g] === 0) {
      bucket = (g << GROUP_BITS) - 1;
      continue;
    }
    const group = q.groups[g]!;
    const b = bucket & BUCKET_MASK;
    let slot = group[b]! - 1;
    let kept = -1;
    while (slot >= 0) {
      const following = next[slot]!;
      if (bucket > floor || keys[slot]! >= probe) {
        visit(rows[slot]!, versions[slot]!);
        next[slot] = q.free;
        q.free = slot;
        counts[g]!--;
        q.size--;
      } else {
        next[slot] = kept;
        kept = slot;
      }
      slot = following;
    }
    group[b] = kept + 1;
    bucket--;
  }
  if (q.top > floor) q.top = q.size === 0 ? -1 : floor;
}
