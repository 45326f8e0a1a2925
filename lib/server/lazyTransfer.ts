/**
 * Big values handed from the block worker to the request thread as bytes, read only when a
 * request reads them. postMessage clones what it sends, and the receiving thread pays for the
 * clone as it gets the message: at 100,000 accounts the snapshot's accounts took ~0.4 s of the
 * request thread each block, and left as much garbage behind when the next block came, though
 * most requests (the overview, /api/block, /api/accounts) never read them. Sent as bytes instead
 * (v8.serialize: the format structured clone uses, bigints and Maps included), they cross without
 * a copy and are deserialised by the first request that reads them — the same value a clone gave.
 *
 * The accounts are serialised one by one into an arena, a SharedArrayBuffer the request thread
 * reads in place: followSnapshot keeps the objects of the accounts a block did not touch and
 * replaces the others, never changing one in place, so a block appends the bytes of the accounts
 * it changed (none when only prices move) and hands over where each row's bytes lie. Bytes once
 * written are never written again: a reader of an earlier block reads its own rows while later
 * blocks append past them. When the arena is full its live rows are copied into a new one, twice
 * their size; the old one lives while a reader holds it. At 1,000,000 accounts this replaced a
 * copy of every account's bytes into a new ~250 MB buffer each block, and a Buffer per account
 * kept alive for the next block (a million small ArrayBuffers for the collector to trace).
 */

import { deserialize, serialize } from "node:v8";

/** Items serialised one by one: item i is `bytes[starts[i], ends[i])`. */
export interface SerializedItems {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** The smallest arena, in bytes. */
const MIN_ARENA = 1 << 16;
const sharedInts = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));

/**
 * A serialiser of arrays of objects that are never changed in place: an object at the same row as
 * in the last call is not serialised again, its bytes are where they were.
 */
export function createItemSerializer<T extends object>(): (items: readonly T[]) => SerializedItems {
  let arena = new Uint8Array(new SharedArrayBuffer(MIN_ARENA));
  let used = 0;
  let last: { items: readonly T[]; starts: Int32Array; ends: Int32Array } = { items: [], starts: sharedInts(0), ends: sharedInts(0) };
  return (items) => {
    const n = items.length;
    const [starts, ends] = [sharedInts(n), sharedInts(n)];
    const fresh: { row: number; bytes: Uint8Array }[] = [];
    let [keptBytes, freshBytes] = [0, 0];
    for (let row = 0; row < n; row++) {
      if (row < last.items.length && items[row] === last.items[row]) {
        starts[row] = last.starts[row]!;
        ends[row] = last.ends[row]!;
        keptBytes += ends[row]! - starts[row]!;
      } else {
        const bytes = serialize(items[row]);
        fresh.push({ row, bytes });
        freshBytes += bytes.byteLength;
      }
    }
    if (used + freshBytes > arena.byteLength) {
      // Full: the kept rows' bytes copied, in row order, into an arena twice as big as the live ones.
      const next = new Uint8Array(new SharedArrayBuffer(Math.max(MIN_ARENA, 2 * (keptBytes + freshBytes))));
      used = 0;
      for (let row = 0; row < n; row++) {
        // A fresh row's end is still 0 (a serialised item is never empty).
        if (ends[row] === 0) continue;
        next.set(arena.subarray(starts[row], ends[row]), used);
        ends[row] = used + ends[row]! - starts[row]!;
        starts[row] = used;
        used = ends[row]!;
      }
      arena = next;
    }
    for (const { row, bytes } of fresh) {
      arena.set(bytes, used);
      starts[row] = used;
      ends[row] = used += bytes.byteLength;
    }
    last = { items, starts, ends };
    return { bytes: arena, starts, ends };
  };
}

/** The items createItemSerializer serialised. */
export function deserializeItems<T>({ bytes, starts, ends }: SerializedItems): T[] {
  const items = new Array<T>(ends.length);
  for (let i = 0; i < ends.length; i++) items[i] = deserialize(bytes.subarray(starts[i], ends[i])) as T;
  return items;
}

/**
 * `target` with `key` added: the value `load` gives (deserialising what crossed as bytes), loaded
 * the first time it is read and an ordinary property from then on (enumerable, writable), so
 * spreading, serialising and assigning it behave as on a plain object.
 */
export function withLazyProperty<T extends object, K extends keyof T>(target: Omit<T, K>, key: K, load: () => T[K]): T {
  const settle = (value: unknown) => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(load()), set: settle });
  return target as T;
}
