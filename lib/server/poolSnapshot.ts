/**
 * A block's snapshot as one SharedArrayBuffer, for the engine pool's threads (lib/server/enginePool):
 * made once per block by the first request that needs the pool, posted with every task of that
 * block (a SharedArrayBuffer crosses to a thread without a copy), and deserialised by each thread
 * once per block, which keeps the snapshot until a task of another block comes — and of the next
 * block reads only the accounts whose bytes changed (snapshotFromPool).
 *
 * The accounts are the bulk (≈ 300 bytes an account serialised). The block worker already sends
 * them to the request thread as bytes (lib/server/lazyTransfer), which blockReader keeps beside
 * the snapshot (keepAccountBytes): those bytes are copied into the shared buffer as they are, so
 * the request thread never deserialises a million accounts to hand them on. A snapshot with no
 * kept bytes (a peer's, from the database; a test's) is serialised here, each account once while
 * its object lives.
 *
 * Layout (offsets in bytes, each section 4-aligned):
 *   [0]  Int32 metaLength, Int32 accountCount
 *   [8]  meta: v8.serialize of the snapshot without its accounts
 *   [..] Int32 ends[accountCount]: account i is bytes[ends[i-1] ?? 0, ends[i])
 *   [..] the accounts' bytes
 */

import { deserialize, serialize } from "node:v8";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { createItemSerializer, type SerializedItems } from "./lazyTransfer.ts";

/** A snapshot in shared memory, and the key (block number and hash) a thread keeps it under. */
export interface PoolSnapshot {
  key: string;
  buffer: SharedArrayBuffer;
}

/**
 * Per process, not per module: Next bundles each route with its own copy of this module, and
 * the block reader that keeps the bytes is not the route that asks for them.
 */
const kept = ((globalThis as Record<symbol, unknown>)[Symbol.for("backstop.server.poolSnapshot")] ??= {
  accountBytes: new WeakMap<ProtocolSnapshot, SerializedItems>(),
  shared: new WeakMap<ProtocolSnapshot, PoolSnapshot>(),
  serializeAccounts: createItemSerializer<Account>(),
}) as { accountBytes: WeakMap<ProtocolSnapshot, SerializedItems>; shared: WeakMap<ProtocolSnapshot, PoolSnapshot>; serializeAccounts: (items: readonly Account[]) => SerializedItems };

/** Remembers the bytes `snapshot`'s accounts crossed from the block worker as (lib/server/blockReader), for poolSnapshotOf. */
export function keepAccountBytes(snapshot: ProtocolSnapshot, accounts: SerializedItems): void {
  kept.accountBytes.set(snapshot, accounts);
}

/** The key a thread keeps a snapshot under: the block's number and hash (after a reorg the same number is another block). */
export const snapshotKey = (s: Pick<ProtocolSnapshot, "blockNumber" | "blockHash">) => `${s.blockNumber}:${s.blockHash}`;

const align4 = (n: number) => (n + 3) & ~3;

/**
 * `snapshot` in one SharedArrayBuffer (made on the first call for this snapshot object, then the
 * same buffer). Its accounts are not read when the block worker's bytes are kept for it: reading
 * them would deserialise every account on the request thread.
 */
export function poolSnapshotOf(snapshot: ProtocolSnapshot): PoolSnapshot {
  const made = kept.shared.get(snapshot);
  if (made) return made;
  const rest: Record<string, unknown> = {};
  // Key by key: a spread or destructuring would read `accounts`, a lazy property (lib/server/lazyTransfer).
  for (const key of Object.keys(snapshot)) if (key !== "accounts") rest[key] = snapshot[key as keyof ProtocolSnapshot];
  const meta = serialize(rest);
  const accounts = kept.accountBytes.get(snapshot) ?? kept.serializeAccounts(snapshot.accounts);
  const count = accounts.ends.length;
  const metaAt = 8;
  const endsAt = align4(metaAt + meta.byteLength);
  const bytesAt = endsAt + 4 * count;
  const buffer = new SharedArrayBuffer(bytesAt + accounts.bytes.byteLength);
  new Int32Array(buffer, 0, 2).set([meta.byteLength, count]);
  new Uint8Array(buffer, metaAt, meta.byteLength).set(meta);
  new Int32Array(buffer, endsAt, count).set(accounts.ends);
  new Uint8Array(buffer, bytesAt, accounts.bytes.byteLength).set(accounts.bytes);
  const shared = { key: snapshotKey(snapshot), buffer };
  kept.shared.set(snapshot, shared);
  return shared;
}

interface Layout {
  metaAt: number;
  metaLength: number;
  ends: Int32Array<ArrayBuffer>;
  bytes: Uint8Array<ArrayBuffer>;
}

function layoutOf(buffer: SharedArrayBuffer): Layout {
  const [metaLength, count] = new Int32Array(buffer, 0, 2) as unknown as [number, number];
  const metaAt = 8;
  const endsAt = align4(metaAt + metaLength);
  const bytesAt = endsAt + 4 * count;
  // Views of shared memory; what is read out of them becomes this thread's own objects.
  const ends = new Int32Array(buffer, endsAt, count) as unknown as Int32Array<ArrayBuffer>;
  const bytes = new Uint8Array(buffer, bytesAt, buffer.byteLength - bytesAt) as unknown as Uint8Array<ArrayBuffer>;
  return { metaAt, metaLength, ends, bytes };
}

const itemAt = ({ ends, bytes }: Layout, i: number) => bytes.subarray(i ? ends[i - 1] : 0, ends[i]);

/** A block's snapshot as a thread read it, with the buffer it read it from: what the next block's read starts from. */
export interface ReadPoolSnapshot {
  shared: PoolSnapshot;
  snapshot: ProtocolSnapshot;
}

/**
 * The snapshot poolSnapshotOf wrote: equal, field for field, to the one it was made from. Given
 * the last block's read, an account whose bytes are those of the account at the same place then
 * is that account's object, not deserialised again (equal bytes deserialise to equal accounts):
 * a block that changes a few accounts costs a comparison of bytes, not a million accounts read
 * (~2.6 µs an account). `accountsRead` says how many were deserialised.
 */
export function snapshotFromPool(shared: PoolSnapshot, last?: ReadPoolSnapshot): { snapshot: ProtocolSnapshot; accountsRead: number } {
  const now = layoutOf(shared.buffer);
  const rest = deserialize(new Uint8Array(shared.buffer, now.metaAt, now.metaLength)) as Omit<ProtocolSnapshot, "accounts">;
  const before = last && layoutOf(last.shared.buffer);
  const count = now.ends.length;
  const accounts = new Array<Account>(count);
  let accountsRead = 0;
  for (let i = 0; i < count; i++) {
    const item = itemAt(now, i);
    if (before && i < before.ends.length) {
      const was = itemAt(before, i);
      if (was.byteLength === item.byteLength && Buffer.from(was.buffer, was.byteOffset, was.byteLength).equals(item)) {
        accounts[i] = last!.snapshot.accounts[i]!;
        continue;
      }
    }
    accounts[i] = deserialize(item) as Account;
    accountsRead++;
  }
  return { snapshot: { ...rest, accounts } as ProtocolSnapshot, accountsRead };
}
