/**
 * Big values handed from the block worker to the request thread as bytes, read only when a
 * request reads them. postMessage clones what it sends, and the receiving thread pays for the
 * clone as it gets the message: at 100,000 accounts the snapshot's accounts took ~0.4 s of the
 * request thread each block, and left as much garbage behind when the next block came, though
 * most requests (the overview, /api/block, /api/accounts) never read them. Sent as bytes instead
 * (v8.serialize: the format structured clone uses, bigints and Maps included), they cross without
 * a copy and are deserialised by the first request that reads them — the same value a clone gave.
 *
 * The accounts are serialised one by one into shared memory the request thread reads in place
 * (lib/server/rowArena): followSnapshot keeps the objects of the accounts a block did not touch
 * and replaces the others, never changing one in place, so a block serialises and appends the
 * accounts it changed (none when only prices move), not a copy of every account's bytes.
 */

import { deserialize, serialize } from "node:v8";
import { rowsChangedSince } from "../../engine/index.ts";
import { createRowArena, type PlacedRows } from "./rowArena.ts";

/** Items serialised one by one: item i is `bytes[starts[i], ends[i])`. */
export type SerializedItems = PlacedRows;

/**
 * A serialiser of arrays of objects that are never changed in place: an object at the same row as
 * in the last call is not serialised again, its bytes are where they were.
 */
export function createItemSerializer<T extends object>(): (items: readonly T[]) => SerializedItems {
  const arena = createRowArena();
  let last: readonly T[] = [];
  return (items) => {
    // The block's diff of the arrays, shared with the block's other followers (engine rowsChangedSince; capped at every row, so never undefined).
    const fresh = rowsChangedSince(items, last, items.length)!.map((row) => ({ row, bytes: serialize(items[row]) }));
    last = items;
    return arena.update(items.length, fresh);
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
