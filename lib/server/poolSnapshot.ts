/**
 * A block's snapshot in shared memory, for the engine pool's threads (lib/server/enginePool):
 * made once per block by the first request that needs the pool, posted with every task of that
 * block (shared memory crosses to a thread without a copy), and deserialised by each thread once
 * per block, which keeps the snapshot until a task of another block comes — and of the next block
 * reads only the accounts whose bytes changed (snapshotFromPool).
 *
 * The accounts are the bulk (≈ 300 bytes an account serialised). The block worker already sends
 * them to the request thread as bytes in shared memory (lib/server/lazyTransfer, rowArena), which
 * blockReader keeps beside the snapshot (keepAccountBytes): the threads read those very bytes, so
 * the request thread neither deserialises nor copies a million accounts to hand them on. A
 * snapshot with no kept bytes (a peer's, from the database; a test's) is serialised here, each
 * account once while it stays at its row. The rest of the snapshot is serialised into shared
 * memory of its own (`meta`).
 */

import { deserialize, serialize } from "node:v8";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { createItemSerializer, type SerializedItems } from "./lazyTransfer.ts";

/** A snapshot in shared memory, and the key (block number and hash) a thread keeps it under. */
export interface PoolSnapshot {
  key: string;
  /** v8.serialize of the snapshot without its accounts. */
  meta: Uint8Array;
  accounts: SerializedItems;
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

/**
 * `snapshot` in shared memory (made on the first call for this snapshot object, then the same).
 * Its accounts are not read when the block worker's bytes are kept for it: reading them would
 * deserialise every account on the request thread.
 */
export function poolSnapshotOf(snapshot: ProtocolSnapshot): PoolSnapshot {
  const made = kept.shared.get(snapshot);
  if (made) return made;
  const rest: Record<string, unknown> = {};
  // Key by key: a spread or destructuring would read `accounts`, a lazy property (lib/server/lazyTransfer).
  for (const key of Object.keys(snapshot)) if (key !== "accounts") rest[key] = snapshot[key as keyof ProtocolSnapshot];
  const bytes = serialize(rest);
  const meta = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  meta.set(bytes);
  const shared = { key: snapshotKey(snapshot), meta, accounts: kept.accountBytes.get(snapshot) ?? kept.serializeAccounts(snapshot.accounts) };
  kept.shared.set(snapshot, shared);
  return shared;
}

/** A block's snapshot as a thread read it, with what it read it from: where the next block's read starts. */
export interface ReadPoolSnapshot {
  shared: PoolSnapshot;
  snapshot: ProtocolSnapshot;
}

/**
 * The snapshot poolSnapshotOf wrote: equal, field for field, to the one it was made from. Given
 * the last block's read, an account whose bytes are those of the account at the same place then
 * is that account's object, not deserialised again (equal bytes deserialise to equal accounts):
 * a block that changes a few accounts costs a look at each row's place, not a million accounts
 * read (~2.6 µs an account). Rows at the same place in the same arena (lib/server/rowArena) hold
 * the same bytes; others are compared. At 1,000,000 accounts comparing every row's bytes, each
 * through a new Buffer, was ~0.4 s of every block's read (and of a first preview waiting for it).
 * `accountsRead` says how many were deserialised.
 */
export function snapshotFromPool(shared: PoolSnapshot, last?: ReadPoolSnapshot): { snapshot: ProtocolSnapshot; accountsRead: number } {
  const rest = deserialize(shared.meta) as Omit<ProtocolSnapshot, "accounts">;
  const now = shared.accounts;
  const before = last?.shared.accounts;
  const sameArena = before?.arena === now.arena;
  const nowBytes = Buffer.from(now.bytes.buffer, now.bytes.byteOffset, now.bytes.byteLength);
  const beforeBytes = before && Buffer.from(before.bytes.buffer, before.bytes.byteOffset, before.bytes.byteLength);
  const count = now.ends.length;
  const accounts = new Array<Account>(count);
  let accountsRead = 0;
  for (let i = 0; i < count; i++) {
    const start = now.starts[i]!;
    const end = now.ends[i]!;
    if (before && i < before.ends.length) {
      const wasStart = before.starts[i]!;
      const wasEnd = before.ends[i]!;
      const same = sameArena && start === wasStart && end === wasEnd;
      if (same || (end - start === wasEnd - wasStart && nowBytes.compare(beforeBytes!, wasStart, wasEnd, start, end) === 0)) {
        accounts[i] = last!.snapshot.accounts[i]!;
        continue;
      }
    }
    accounts[i] = deserialize(now.bytes.subarray(start, end)) as Account;
    accountsRead++;
  }
  return { snapshot: { ...rest, accounts } as ProtocolSnapshot, accountsRead };
}
