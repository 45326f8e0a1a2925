/**
 * Big values handed from the block worker to the request thread as bytes, read only when a
 * request reads them. postMessage clones what it sends, and the receiving thread pays for the
 * clone as it gets the message: at 100,000 accounts the snapshot's accounts took ~0.4 s of the
 * request thread each block, and left as much garbage behind when the next block came, though
 * most requests (the overview, /api/block, /api/accounts) never read them. Sent as bytes instead
 * (v8.serialize: the format structured clone uses, bigints and Maps included), they cross without
 * a copy and are deserialised by the first request that reads them — the same value a clone gave.
 */

import { deserialize, serialize } from "node:v8";

/** `value` serialised as structured clone does, in a buffer of its own (to transfer). */
export function serializeToTransfer(value: unknown): Uint8Array<ArrayBuffer> {
  const bytes = serialize(value);
  // A buffer shared with others (Node's pool) must not be transferred: copy it out.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer as ArrayBuffer) : new Uint8Array(bytes);
}

/**
 * `target` with `key` added: the value serialised in `bytes` (serializeToTransfer), deserialised
 * the first time it is read and an ordinary property from then on (enumerable, writable), so
 * spreading, serialising and assigning it behave as on a plain object.
 */
export function withLazyProperty<T extends object, K extends keyof T>(target: Omit<T, K>, key: K, bytes: Uint8Array): T {
  const settle = (value: unknown) => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(deserialize(bytes)), set: settle });
  return target as T;
}
