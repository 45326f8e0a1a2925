/**
 * The columnar snapshot: every account's cash, balances and positions in typed arrays, one
 * exact column (exactColumn.ts) per collateral asset and two per market (size and open
 * notional), rows in the order of `ProtocolSnapshot.accounts`. It is how the hot loops run
 * (the float screen, the cascade, aggregates over the whole venue); the object snapshot stays
 * the engine's public, readable form and either converts to the other without loss.
 *
 *   row i:  cashUsd[i], balancesNative[c][i] (asset c), sizeBase[m][i], openNotionalUsd[m][i]
 *           (market m; size 0 = no position), address = bytes 20·i … 20·i+19
 *
 * Built once per block (buildColumnarSnapshot) and updated in place as accounts change
 * (setColumnarAccount); the arrays sit on SharedArrayBuffers where the platform has them, so a
 * worker thread reads them without a copy. Addresses are found through an open-addressing hash
 * table in an Int32Array (indexOfAddress). Example: 1,000,000 accounts in 3 markets and 2
 * collaterals take 9 exact columns × 16 bytes + 20 bytes of address + 8 bytes of index
 * ≈ 172 bytes an account, 164 MiB in all.
 */

import type { Account, Position, ProtocolSnapshot } from "../types.ts";
import { copyExactColumn, createExactColumn, growExactColumn, readExact, writeExact, type ExactColumn } from "./exactColumn.ts";

/** Markets, collaterals, reserves and settings: everything of a snapshot but its accounts. */
export type Venue = Omit<ProtocolSnapshot, "accounts">;

export interface ColumnarSnapshot {
  venue: Venue;
  /** Rows in use. */
  count: number;
  addresses: Uint8Array;
  cashUsd: ExactColumn;
  /** Indexed by collateral asset id. */
  balancesNative: ExactColumn[];
  /** Indexed by market id. */
  sizeBase: ExactColumn[];
  openNotionalUsd: ExactColumn[];
  /** Open-addressing table of row + 1 (0 = empty), its length a power of two. */
  addressIndex: Int32Array;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function allocateBytes(length: number): Uint8Array {
  const Shared = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;
  return Shared ? new Uint8Array(new Shared(length)) : new Uint8Array(length);
}

function allocateIndex(capacity: number): Int32Array {
  let size = 16;
  while (size < capacity * 2) size *= 2;
  const Shared = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;
  return Shared ? new Int32Array(new Shared(size * 4)) : new Int32Array(size);
}

function hashAt(bytes: Uint8Array, offset: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < 20; k++) h = Math.imul(h ^ bytes[offset + k]!, 0x01000193);
  return h >>> 0;
}

function parseAddress(address: string, into: Uint8Array, offset: number) {
  for (let k = 0; k < 20; k++) into[offset + k] = parseInt(address.slice(2 + 2 * k, 4 + 2 * k), 16);
}

function insertIndex(columnar: ColumnarSnapshot, row: number) {
  const table = columnar.addressIndex;
  const mask = table.length - 1;
  let slot = hashAt(columnar.addresses, 20 * row) & mask;
  while (table[slot] !== 0) slot = (slot + 1) & mask;
  table[slot] = row + 1;
}

/** An empty columnar snapshot of `venue` with room for `capacity` accounts (it grows past it). */
export function createColumnarSnapshot(venue: Venue, capacity = 1024): ColumnarSnapshot {
  const rows = Math.max(1, capacity);
  return {
    venue,
    count: 0,
    addresses: allocateBytes(20 * rows),
    cashUsd: createExactColumn(rows),
    balancesNative: venue.collaterals.map(() => createExactColumn(rows)),
    sizeBase: venue.markets.map(() => createExactColumn(rows)),
    openNotionalUsd: venue.markets.map(() => createExactColumn(rows)),
    addressIndex: allocateIndex(rows),
  };
}

function grow(columnar: ColumnarSnapshot, capacity: number) {
  const grow = (c: ExactColumn) => growExactColumn(c, capacity);
  columnar.cashUsd = grow(columnar.cashUsd);
  columnar.balancesNative = columnar.balancesNative.map(grow);
  columnar.sizeBase = columnar.sizeBase.map(grow);
  columnar.openNotionalUsd = columnar.openNotionalUsd.map(grow);
  const addresses = allocateBytes(20 * capacity);
  addresses.set(columnar.addresses);
  columnar.addresses = addresses;
  columnar.addressIndex = allocateIndex(capacity);
  for (let row = 0; row < columnar.count; row++) insertIndex(columnar, row);
}

/**
 * Writes `account` at `row` in place: an existing row is overwritten (its address must not
 * change), `row === count` appends one. Positions in markets the venue lacks are refused.
 */
export function setColumnarAccount(columnar: ColumnarSnapshot, row: number, account: Account): void {
  if (row > columnar.count) throw new RangeError(`row ${row} is past the end (${columnar.count})`);
  if (row === columnar.count) {
    if (row === columnar.cashUsd.hi.length) grow(columnar, 2 * row);
    parseAddress(account.address, columnar.addresses, 20 * row);
    columnar.count++;
    insertIndex(columnar, row);
  }
  writeExact(columnar.cashUsd, row, account.cashUsd);
  columnar.balancesNative.forEach((column, assetId) => writeExact(column, row, account.balancesNative[assetId] ?? 0n));
  for (let m = 0; m < columnar.sizeBase.length; m++) {
    writeExact(columnar.sizeBase[m]!, row, 0n);
    writeExact(columnar.openNotionalUsd[m]!, row, 0n);
  }
  for (const p of account.positions) {
    if (!columnar.sizeBase[p.marketId]) throw new RangeError(`market ${p.marketId} is not in the venue`);
    writeExact(columnar.sizeBase[p.marketId]!, row, p.sizeBase);
    writeExact(columnar.openNotionalUsd[p.marketId]!, row, p.openNotionalUsd);
  }
}

/** The columnar form of `accounts` (any iterable: a generator need never hold them all) at `venue`. */
export function buildColumnarSnapshot(venue: Venue, accounts: Iterable<Account>, capacity?: number): ColumnarSnapshot {
  const columnar = createColumnarSnapshot(venue, capacity ?? (Array.isArray(accounts) ? accounts.length : 1024));
  for (const account of accounts) setColumnarAccount(columnar, columnar.count, account);
  return columnar;
}

/** The lower-case hex address of `row`. */
export function columnarAddress(columnar: ColumnarSnapshot, row: number): `0x${string}` {
  let text = "0x";
  for (let k = 20 * row; k < 20 * row + 20; k++) text += HEX[columnar.addresses[k]!];
  return text as `0x${string}`;
}

/** The row of `address` (any case), or −1. */
export function indexOfAddress(columnar: ColumnarSnapshot, address: string): number {
  const probe = new Uint8Array(20);
  parseAddress(address.toLowerCase(), probe, 0);
  const table = columnar.addressIndex;
  const mask = table.length - 1;
  for (let slot = hashAt(probe, 0) & mask; table[slot] !== 0; slot = (slot + 1) & mask) {
    const row = table[slot]! - 1;
    let k = 0;
    while (k < 20 && columnar.addresses[20 * row + k] === probe[k]) k++;
    if (k === 20) return row;
  }
  return -1;
}

/** The account at `row` as the engine's object form (positions ascending by market, as always). */
export function columnarAccount(columnar: ColumnarSnapshot, row: number): Account {
  const positions: Position[] = [];
  columnar.sizeBase.forEach((column, marketId) => {
    if (column.hi[row] !== 0) positions.push({ marketId, sizeBase: readExact(column, row), openNotionalUsd: readExact(columnar.openNotionalUsd[marketId]!, row) });
  });
  return {
    address: columnarAddress(columnar, row),
    cashUsd: readExact(columnar.cashUsd, row),
    balancesNative: columnar.balancesNative.map((column) => readExact(column, row)),
    positions,
  };
}

/** An independent copy of `columnar` (its typed arrays copied), to change without touching the original. */
export function copyColumnarSnapshot(columnar: ColumnarSnapshot): ColumnarSnapshot {
  const { count } = columnar;
  const rows = Math.max(1, count);
  const column = (c: ExactColumn) => copyExactColumn(c, count, rows);
  const addresses = allocateBytes(20 * rows);
  addresses.set(columnar.addresses.subarray(0, 20 * count));
  return {
    venue: columnar.venue,
    count,
    addresses,
    cashUsd: column(columnar.cashUsd),
    balancesNative: columnar.balancesNative.map(column),
    sizeBase: columnar.sizeBase.map(column),
    openNotionalUsd: columnar.openNotionalUsd.map(column),
    addressIndex: columnar.addressIndex.slice(),
  };
}
