/**
 * Big values handed from the block worker to the request thread as bytes, read only when a
 * request reads them. postMessage clones what it sends, and the receiving thread pays for the
 * clone as it gets the message: at 100,000 accounts the snapshot's accounts took ~0.4 s of the
 * request thread each block, and left as much garbage behind when the next block came, though
 * most requests (the overview, /api/block, /api/accounts) never read them. Sent as bytes instead
 * (v8.serialize: the format structured clone uses, bigints and Maps included), they cross without
 * a copy and are deserialised by the first request that reads them — the same value a clone gave.
 *
 * The accounts are serialised one by one (createItemSerializer), each account's bytes kept while
 * its object lives: followSnapshot keeps the objects of the accounts a block did not touch and
 * replaces the others, never changing one in place, so a block costs the serialisation of the
 * accounts it changed (none when only prices move) and a copy, not ~0.3 s for all of them.
 */

import { deserialize, serialize } from "node:v8";

/** Items serialised one by one into one buffer: item i is `bytes[i ? ends[i - 1] : 0, ends[i])`. */
export interface SerializedItems {
  bytes: Uint8Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
}

/**
 * A serialiser of arrays of objects that are never changed in place: each object's bytes are
 * kept (while it lives) for the next call, which copies them instead of serialising it again.
 */
export function createItemSerializer<T extends object>(): (items: readonly T[]) => SerializedItems {
  const kept = new WeakMap<T, Uint8Array>();
  return (items) => {
    const parts = items.map((item) => {
      let part = kept.get(item);
      if (!part) kept.set(item, (part = serialize(item)));
      return part;
    });
    const ends = new Int32Array(parts.length);
    for (let i = 0, end = 0; i < parts.length; i++) ends[i] = end += parts[i]!.byteLength;
    const bytes = new Uint8Array(parts.length ? ends[parts.length - 1]! : 0);
    parts.forEach((part, i) => bytes.set(part, i ? ends[i - 1] : 0));
    return { bytes, ends };
  };
}

/** The items createItemSerializer serialised. */
export function deserializeItems<T>({ bytes, ends }: SerializedItems): T[] {
  const items = new Array<T>(ends.length);
  for (let i = 0; i < ends.length; i++) items[i] = deserialize(bytes.subarray(i ? ends[i - 1] : 0, ends[i])) as T;
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
