/**
 * GET /api/accounts's table in the form the request thread pages without parsing or sorting
 * anything: each row's figures in columns (typed arrays), and the rows' order on each column
 * computed once per block, by the block worker (lib/server/blockWorker), all over
 * SharedArrayBuffers: the request thread reads the same memory, and the builder keeps using it
 * for the next block (a table is never changed once built). A page is then a walk of one order,
 * skipping the rows its "show" (and search) leave out, and the ≤ 200 rows written out as JSON —
 * the bytes JSON.stringify writes for the page's body (lib/api/wire's AccountsWire).
 *
 * The rows are not written as JSON per block: at 1,000,000 accounts whose prices all moved, a
 * block's JSON of every row was ~1.2 s of the worker (number to text, mostly) and a 250 MB string
 * for the collector, for the few hundred rows any page shows.
 *
 * The order is lib/api/accountsQuery's (compareAccountRows): ascending on the column, rows
 * without a value (null: no positions, no liquidation price) after every other, ties broken by
 * address. Descending reverses the rows with a value and keeps the others last, in address order
 * — so one ascending order per column answers both directions.
 */

import { randomUUID } from "node:crypto";
import { ACCOUNT_SHOWS, ACCOUNT_SORTS, type AccountShow, type AccountsQuery, type AccountSort } from "../api/accountsQuery.ts";
import type { AccountRow, AccountsWire } from "../api/wire.ts";
import { sharedInts } from "./rowArena.ts";
import { columnKey, type ColumnOrderJob } from "./columnOrders.ts";
import { runWithHelper } from "./helperThread.ts";
import { stableOrderBy } from "./stableOrderBy.ts";

export interface AccountTable {
  /** Rows: accounts. */
  count: number;
  /** Each row's figures (lib/api/wire's AccountRow), NaN where the row has null (or a number JSON cannot write). */
  equityUsd: Float64Array;
  notionalUsd: Float64Array;
  health: Float64Array;
  leverage: Float64Array;
  distanceToLiquidation: Float64Array;
  /** Each row's ADL light, −1 for null. */
  adlLight: Int8Array;
  liquidatable: Uint8Array;
  /** Each row's markets: an index into `marketLists`, the JSON of each distinct list of symbols (a handful). */
  markets: Int32Array;
  marketLists: string[];
  /** Every row's address followed by "\n" (ASCII): row i's is `addresses[i ? addressEnds[i - 1] : 0, addressEnds[i] - 1)`. */
  addresses: Uint8Array;
  /**
   * A name of `addresses` no other has: tables share their addresses from block to block while no
   * account is added, and the request thread, which gets new arrays over the same memory each
   * block, keeps what it made of them (the addresses as one string, the searches) by this name.
   */
  addressesName: string;
  addressEnds: Int32Array;
  /** Per column (ACCOUNT_SORTS's order), the rows in ascending order, the `known[c]` with a value first. */
  orders: Int32Array[];
  known: Int32Array;
  /** Bit k of row i: ACCOUNT_SHOWS's k-th "show" keeps row i. */
  shows: Uint8Array;
}

/** The figure columns of a table, in the order AccountRow has them. */
const FIGURES = ["equityUsd", "notionalUsd", "health", "leverage", "distanceToLiquidation"] as const;

const SHOWS = Object.keys(ACCOUNT_SHOWS) as AccountShow[];
const utf8 = new TextEncoder();

/**
 * A table's arrays live in SharedArrayBuffers: posted to the request thread they are shared, not
 * copied or detached, so the builder keeps the last table as it is instead of copies of it (at
 * 1,000,000 accounts the copies were ~350 MB a block, and their allocation alone brought on
 * several full collections of the worker's heap).
 */
const sharedBytes = (length: number) => new Uint8Array(new SharedArrayBuffer(length));
const sharedFloats = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
function sharedCopy<T extends Uint8Array | Int8Array | Int32Array | Float64Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}
/** `text` in UTF-8, in shared memory. */
function sharedUtf8(text: string): Uint8Array {
  const bytes = sharedBytes(Buffer.byteLength(text, "utf8"));
  utf8.encodeInto(text, bytes);
  return bytes;
}

/** A figure as a row has it: null where the figure columns hold NaN. */
export const orNull = (x: number) => (Number.isNaN(x) ? null : x);

/** A figure as the table holds it: NaN for null and for what JSON writes as null (±Infinity, NaN). */
const held = (v: number | null) => (v === null || !Number.isFinite(v) ? NaN : v);

/**
 * The JSON of each distinct list of markets and its index, for a builder's tables: append-only
 * (an earlier table's indexes stay good). A list seen before as the same array is found without a
 * string per row (followBlockViews hands out one array per list); otherwise by its symbols.
 */
function createMarketLists() {
  const lists: string[] = [JSON.stringify([])];
  /** Each list's symbols, by the same index. */
  const symbols: string[][] = [[]];
  const index = new Map<string, number>();
  const seen = new WeakMap<readonly string[], number>();
  return {
    lists,
    symbols,
    indexOf(markets: readonly string[]): number {
      if (markets.length === 0) return 0;
      const known = seen.get(markets);
      if (known !== undefined) return known;
      const key = markets.length === 1 ? markets[0]! : markets.join("\u0000");
      let at = index.get(key);
      if (at === undefined) {
        index.set(key, (at = lists.length));
        lists.push(JSON.stringify(markets));
        symbols.push([...markets]);
      }
      seen.set(markets, at);
      return at;
    },
  };
}

/** Column `sort`'s key of row i: Infinity where the row has no value; the distance to liquidation sorts by its size. */
function sortKey(table: Pick<AccountTable, Exclude<AccountSort, "address">>, sort: Exclude<AccountSort, "address">, i: number): number {
  return columnKey(table[sort][i]!, sort === "distanceToLiquidation");
}

/** What a builder keeps of the last table it built: the table itself, each column's keys in its order and each row's place in the address order. */
interface LastTable extends Omit<AccountTable, "count"> {
  addressList: string[];
  addressOrder: Int32Array;
  /** addressRank[row]: the row's place in addressOrder (the tie-break of every column); in shared memory, as the merges read it on the helper thread. */
  addressRank: Int32Array;
  /** Per column (ACCOUNT_SORTS's order; none for the address), the sort keys in the column's order (`sorted[c][i]`: the key of `orders[c][i]`): the builder's own. */
  sorted: (Float64Array | undefined)[];
}

/**
 * The rows a table is built of: an array of them, or rows handed out one at a time (the builder
 * reads each as it gets it, and keeps nothing of it but its address: a caller may hand out the
 * same object refilled each time, and a million rows need not exist at once).
 */
export interface TableRows {
  readonly length: number;
  at(row: number): AccountRow | undefined;
  /**
   * Every row's figures in columns, for a builder to read instead of every row when the accounts
   * are those of the last table it built (a block whose prices moved): then only the rows in
   * `accountsChanged` are read from `at`, for their markets. At 1,000,000 accounts, reading every
   * row's account object (a cache miss each) and its markets was ~0.25 s of such a block.
   */
  columns?: TableColumns;
}

/** Each row's figures in columns, NaN for null: what its row shows but its address, markets and ADL light. */
export interface FigureColumns {
  equityUsd: Float64Array;
  notionalUsd: Float64Array;
  health: Float64Array;
  leverage: Float64Array;
  distanceToLiquidation: Float64Array;
  liquidatable: Uint8Array;
}

/** TableRows' columns: what `at` gives of each row. */
export interface TableColumns extends FigureColumns {
  /** The rows whose account may not be the last table's (ascending): every other row's address and markets are that table's. */
  accountsChanged: readonly number[];
  /** Each row's ADL light, read only for rows with markets: a row without positions has none (null). */
  adlLight: Uint8Array;
}

/**
 * Builds a table of `rows`. `changed`, when given, lists (ascending) the only rows that may differ
 * from the last call's: the others are the same rows, in the same places. `meanwhile`, when given,
 * is run once during the build, while a helper thread orders the table's columns (sorts them, or
 * merges them for an update: lib/server/helperThread): the caller's other work for the block,
 * not waiting for them.
 */
export type AccountTableBuilder = (rows: TableRows, changed?: readonly number[], meanwhile?: () => void) => AccountTable;

/** Above this share of the rows changed, a table is built whole: its sorts are linear too, and a merge per column gains nothing. */
export const ACCOUNT_TABLE_UPDATE_SHARE = 1 / 8;

const showsOf = (keeps: readonly ((r: AccountRow) => boolean)[], row: AccountRow) => {
  let bits = 0;
  for (let k = 0; k < keeps.length; k++) if (keeps[k]!(row)) bits |= 1 << k;
  return bits;
};

/**
 * A builder of each block's AccountTable. Each column is ordered by stableOrderBy from the address
 * order, which the builder sorts (by comparison, ~50 ms at 100,000 accounts) only when the
 * accounts differ from the last block's, and otherwise reuses with their addresses' bytes. Told
 * which rows changed (a block's trades: a few of many), it updates the last table instead: its
 * columns copied with the changed rows' figures written, each column's order merged from the last
 * one without the changed rows and the changed rows sorted alone, in one pass over the last order
 * and its keys, kept in that order (looking each place's key up by row was a cache miss a place:
 * ~100 ms a column at 1,000,000 accounts; the bench's venue, 10,000 rows changed, a binary search
 * for each changed row: the update ~240 ms, now ~165 ms). The unchanged addresses' bytes are the
 * last table's own, shared from table to table.
 */
export function createAccountTableBuilder(): AccountTableBuilder {
  let last: LastTable | undefined;
  // The changed rows' flags, kept from update to update (cleared after each): not a new buffer a block.
  let changedFlags: Int32Array = new Int32Array(0);
  const marketLists = createMarketLists();
  const keeps = SHOWS.map((show) => ACCOUNT_SHOWS[show].keep);
  // The sorted keys of the table before the last one: the next table's are written into them.
  let spareSorted: LastTable["sorted"] = [];
  // In shared memory: the helper thread writes them (lib/server/helperThread).
  const sortedRoom = (c: number, n: number) => (spareSorted[c]?.length === n ? spareSorted[c]! : sharedFloats(n));
  const remember = (table: AccountTable, kept: Pick<LastTable, "addressList" | "addressOrder" | "addressRank" | "sorted">) => {
    spareSorted = last?.sorted ?? [];
    last = { ...table, ...kept };
    return table;
  };
  /** Row `row` of `input` into the figure columns of `table` at `at`. */
  const write = (table: AccountTable, at: number, row: AccountRow) => {
    table.equityUsd[at] = held(row.equityUsd);
    table.notionalUsd[at] = held(row.notionalUsd);
    table.health[at] = held(row.health);
    table.leverage[at] = held(row.leverage);
    table.distanceToLiquidation[at] = held(row.distanceToLiquidation);
    table.adlLight[at] = row.adlLight === null || !Number.isFinite(row.adlLight) ? -1 : row.adlLight;
    table.liquidatable[at] = row.liquidatable ? 1 : 0;
    table.markets[at] = marketLists.indexOf(row.markets);
  };

  /**
   * Every row of `table` from `columns`, its accounts those of `was` but for the rows in
   * `columns.accountsChanged`: what `write` and `showsOf` write of each row, without reading it.
   */
  const writeColumns = (table: AccountTable, input: TableRows, columns: TableColumns, was: LastTable) => {
    const n = table.count;
    for (const figure of FIGURES) {
      const [from, to] = [columns[figure], table[figure]];
      for (let i = 0; i < n; i++) to[i] = held(from[i]!);
    }
    table.liquidatable.set(columns.liquidatable);
    table.markets.set(was.markets);
    for (const row of columns.accountsChanged) table.markets[row] = marketLists.indexOf(input.at(row)!.markets);
    // The shows read a row refilled from the columns.
    const row: AccountRow = { address: "0x", equityUsd: 0, notionalUsd: 0, health: null, leverage: null, distanceToLiquidation: null, markets: [], adlLight: null, liquidatable: false };
    for (let i = 0; i < n; i++) {
      const markets = table.markets[i]!;
      table.adlLight[i] = markets === 0 ? -1 : columns.adlLight[i]!;
      row.equityUsd = columns.equityUsd[i]!;
      row.notionalUsd = columns.notionalUsd[i]!;
      row.health = orNull(columns.health[i]!);
      row.leverage = orNull(columns.leverage[i]!);
      row.distanceToLiquidation = orNull(columns.distanceToLiquidation[i]!);
      row.markets = marketLists.symbols[markets]!;
      row.adlLight = markets === 0 ? null : columns.adlLight[i]!;
      row.liquidatable = columns.liquidatable[i] === 1;
      table.shows[i] = showsOf(keeps, row);
    }
  };

  const whole = (input: TableRows, meanwhile?: () => void): AccountTable => {
    const n = input.length;
    const table: AccountTable = {
      count: n,
      equityUsd: sharedFloats(n),
      notionalUsd: sharedFloats(n),
      health: sharedFloats(n),
      leverage: sharedFloats(n),
      distanceToLiquidation: sharedFloats(n),
      adlLight: new Int8Array(new SharedArrayBuffer(n)),
      liquidatable: sharedBytes(n),
      markets: sharedInts(n),
      marketLists: marketLists.lists,
      addresses: sharedBytes(0),
      addressesName: "",
      addressEnds: sharedInts(0),
      orders: [],
      known: sharedInts(ACCOUNT_SORTS.length),
      shows: sharedBytes(n),
    };
    // The rows written, and whether they are the last table's accounts in the same places (a block whose prices moved: their addresses are kept).
    let sameAccounts = last !== undefined && last.addressList.length === n;
    // A block whose prices moved, its rows given as columns: the columns are sorted from those
    // (the same keys) on the helper thread while the table's are written here.
    const columns = sameAccounts && input.columns && input.columns.accountsChanged.every((row) => input.at(row)!.address === last!.addressList[row]) ? input.columns : undefined;
    if (!columns) {
      for (let i = 0; i < n; i++) {
        const row = input.at(i)!;
        if (sameAccounts && row.address !== last!.addressList[i]) sameAccounts = false;
        write(table, i, row);
        table.shows[i] = showsOf(keeps, row);
      }
    }
    let addressList: string[];
    let addressOrder: Int32Array;
    let addressRank: Int32Array;
    if (sameAccounts) ({ addressList, addresses: table.addresses, addressesName: table.addressesName, addressEnds: table.addressEnds, addressOrder, addressRank } = last!);
    else {
      addressList = Array.from({ length: n }, (_, i) => input.at(i)!.address);
      table.addresses = sharedUtf8(addressList.map((a) => `${a}\n`).join(""));
      table.addressesName = randomUUID();
      table.addressEnds = sharedInts(n);
      for (let i = 0, end = 0; i < n; i++) table.addressEnds[i] = end += addressList[i]!.length + 1;
      addressOrder = sharedCopy(Int32Array.from(addressList.keys()).sort((i, j) => (addressList[i]! < addressList[j]! ? -1 : addressList[i]! > addressList[j]! ? 1 : i - j)));
      addressRank = sharedInts(n);
      for (let k = 0; k < n; k++) addressRank[addressOrder[k]!] = k;
    }
    const sorted: LastTable["sorted"] = [];
    const jobs: ColumnOrderJob[] = [];
    table.orders = ACCOUNT_SORTS.map((sort, c) => {
      if (sort === "address") {
        table.known[c] = n;
        return addressOrder;
      }
      // Stable from the address order: ties (and the rows without a value, all Infinity) by address.
      const into = sharedInts(n);
      jobs.push({ kind: "sort", column: (columns ?? table)[sort], bySize: sort === "distanceToLiquidation", start: addressOrder, into, sortedKeys: (sorted[c] = sortedRoom(c, n)), known: table.known, at: c });
      return into;
    });
    runWithHelper(jobs, () => {
      if (columns) writeColumns(table, input, columns, last!);
      meanwhile?.();
    });
    return remember(table, { addressList, addressOrder, addressRank, sorted });
  };

  const update = (input: TableRows, changed: readonly number[], was: LastTable, meanwhile?: () => void): AccountTable => {
    const n = input.length;
    // The last table's columns copied (it stays as it was for whoever reads it), the changed rows written.
    const table: AccountTable = {
      count: n,
      equityUsd: sharedCopy(was.equityUsd),
      notionalUsd: sharedCopy(was.notionalUsd),
      health: sharedCopy(was.health),
      leverage: sharedCopy(was.leverage),
      distanceToLiquidation: sharedCopy(was.distanceToLiquidation),
      adlLight: sharedCopy(was.adlLight),
      liquidatable: sharedCopy(was.liquidatable),
      markets: sharedCopy(was.markets),
      marketLists: marketLists.lists,
      addresses: was.addresses,
      addressesName: was.addressesName,
      addressEnds: was.addressEnds,
      orders: [],
      known: sharedCopy(was.known),
      shows: sharedCopy(was.shows),
    };
    for (const row of changed) {
      const written = input.at(row)!;
      write(table, row, written);
      table.shows[row] = showsOf(keeps, written);
    }
    // Taken: an update that throws before clearing them leaves none set for the next.
    // One bit a row (125 kB at 1,000,000 rows: it stays in the cache while the merges read it in the orders' random row order).
    // In shared memory, as the rank and orders the merges read: the helper thread merges columns too (lib/server/helperThread).
    const isChanged = changedFlags.length >= (n + 31) >>> 5 ? changedFlags : sharedInts((n + 31) >>> 5);
    changedFlags = new Int32Array(0);
    for (const row of changed) isChanged[row >>> 5] = isChanged[row >>> 5]! | (1 << (row & 31));
    const rank = was.addressRank;
    // The changed rows in address order, once: each column orders them by key from it, stably (ties by address).
    const byAddress = Int32Array.from(changed).sort((i, j) => rank[i]! - rank[j]!);
    const m = byAddress.length;
    const changedKeys = new Float64Array(m);
    const [places, byKeyScratch] = [Int32Array.from(byAddress.keys()), new Int32Array(m)];
    const sorted: LastTable["sorted"] = [];
    const jobs: ColumnOrderJob[] = [];
    table.orders = ACCOUNT_SORTS.map((sort, c) => {
      if (sort === "address") return was.addressOrder;
      // The changed rows' keys, before and after (the counts of known values), and the rows in key order.
      for (let t = 0; t < m; t++) {
        const row = byAddress[t]!;
        if (sortKey(was, sort, row) !== Infinity) table.known[c]!--;
        if ((changedKeys[t] = sortKey(table, sort, row)) !== Infinity) table.known[c]!++;
      }
      const [inserted, insertedKeys] = [sharedInts(m), sharedFloats(m)];
      const byKey = stableOrderBy(changedKeys, places, byKeyScratch, insertedKeys);
      for (let t = 0; t < m; t++) inserted[t] = byAddress[byKey[t]!]!;
      const into = sharedInts(n);
      jobs.push({ kind: "merge", kept: was.orders[c]!, keptKeys: was.sorted[c]!, isChanged, rank, inserted, insertedKeys, into, intoKeys: (sorted[c] = sortedRoom(c, n)) });
      return into;
    });
    runWithHelper(jobs, meanwhile);
    for (const row of changed) isChanged[row >>> 5] = 0;
    changedFlags = isChanged;
    return remember(table, { addressList: was.addressList, addressOrder: was.addressOrder, addressRank: was.addressRank, sorted });
  };

  return (input, changed, meanwhile) => {
    const was = last;
    const n = input.length;
    const updatable = was !== undefined && changed !== undefined && n > 0 && was.addressList.length === n && changed.length <= n * ACCOUNT_TABLE_UPDATE_SHARE && changed.every((row) => input.at(row)!.address === was.addressList[row]);
    return updatable ? update(input, changed, was, meanwhile) : whole(input, meanwhile);
  };
}

/** The bytes of a table's arrays (shared memory): at most what dropping it frees, as tables share the columns a block did not change (the addresses, their order). */
export function tableBytes(table: AccountTable): number {
  let bytes = 0;
  for (const value of Object.values(table)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  for (const order of table.orders) bytes += order.byteLength;
  return bytes;
}

/** Row `row`'s JSON, as JSON.stringify writes its AccountRow (the figures' NaN as null). */
export function accountRowJson(table: AccountTable, row: number): string {
  const address = Buffer.from(table.addresses.buffer, table.addresses.byteOffset + (row ? table.addressEnds[row - 1]! : 0), table.addressEnds[row]! - (row ? table.addressEnds[row - 1]! : 0) - 1).toString("latin1");
  const [equity, notional, health, leverage, distance] = FIGURES.map((f) => jsonNumber(table[f][row]!));
  const light = table.adlLight[row]!;
  return `{"address":${JSON.stringify(address)},"equityUsd":${equity},"notionalUsd":${notional},"health":${health},"leverage":${leverage},"distanceToLiquidation":${distance},"markets":${table.marketLists[table.markets[row]!]},"adlLight":${light < 0 ? "null" : light},"liquidatable":${table.liquidatable[row] ? "true" : "false"}}`;
}
const jsonNumber = (x: number) => (Number.isNaN(x) ? "null" : String(x));

/** What `table` holds, in plain arrays: each row's JSON, the orders, counts and shows; to compare two tables' contents (their market indexes may differ). */
export function accountTableContents(table: AccountTable) {
  return {
    rows: Array.from({ length: table.count }, (_, row) => accountRowJson(table, row)),
    orders: table.orders.map((order) => [...order]),
    known: [...table.known],
    shows: [...table.shows],
  };
}

/**
 * Per addresses (by name: tables share them from block to block while no account is added), the
 * addresses as one string and the searches asked of them, the newest kept. At 1,000,000 accounts
 * the string is ~43 MB and a search ~20–40 ms, which the first request of each search paid again
 * every block (kept by the arrays, new on the request thread each block, they were never found).
 */
const addressesKept = new Map<string, { text: string; searches: Map<string, Uint8Array> }>();
/** Addresses kept (the current ones and the last, while a request of the block before goes on). */
const ADDRESSES_KEPT = 2;
/** Searches kept per addresses: one byte a row each (1 MB at 1,000,000 accounts). */
const SEARCHES_KEPT = 32;

/** `map` with `key` most recently used (re-inserted: a Map keeps insertion order), its oldest entries dropped past `most`. */
function keepNewest<V>(map: Map<string, V>, key: string, value: V, most: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > most) map.delete(map.keys().next().value!);
  return value;
}

/**
 * Which rows' addresses the search `q` matches (lib/api/accountsQuery's addressMatches: from the
 * start with 0x, anywhere without), as one byte per row; undefined when every row does (no
 * search). The addresses are read as one string, searched with indexOf; both kept by the
 * addresses' name (addressesKept).
 */
export function addressSearch(table: AccountTable, q: string): Uint8Array | undefined {
  if (q === "") return undefined;
  const kept = keepNewest(addressesKept, table.addressesName, addressesKept.get(table.addressesName) ?? { text: Buffer.from(table.addresses.buffer, table.addresses.byteOffset, table.addresses.byteLength).toString("latin1"), searches: new Map() }, ADDRESSES_KEPT);
  return keepNewest(kept.searches, q, kept.searches.get(q) ?? searchAddresses(kept.text, table.addressEnds, q), SEARCHES_KEPT);
}

/** The rows of `text` (the addresses, each ending at `ends[row]`) that `q` matches, one byte a row. */
function searchAddresses(text: string, ends: Int32Array, q: string): Uint8Array {
  const matches = new Uint8Array(ends.length);
  if (q.startsWith("0x")) {
    // q never holds "\n": a prefix that runs past an address fails on its "\n".
    for (let i = 0; i < ends.length; i++) matches[i] = text.startsWith(q, i ? ends[i - 1] : 0) ? 1 : 0;
    return matches;
  }
  // q is hexadecimal digits, never "\n": a match lies within one address. Find its row, mark it, go on from the next.
  for (let at = text.indexOf(q); at !== -1; ) {
    let [lo, hi] = [0, ends.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    matches[lo] = 1;
    at = text.indexOf(q, ends[lo]);
  }
  return matches;
}

/** Per table, the searches and counts its last requests asked for: a few, the newest kept (many clients ask for the same page). */
const asked = new WeakMap<AccountTable, Map<string, Selection>>();
const ASKED_KEPT = 32;

/** The rows a show and a search keep: as addressSearch's bytes, how many, and — when they are few — which. */
interface Selection {
  search: Uint8Array | undefined;
  matched: number;
  /** The rows kept, in row order, when there are at most LISTED_MOST of them and fewer than an eighth of the table. */
  listed: Int32Array | undefined;
}

/**
 * A selection this small is paged from its own rows, ordered by their places in the column's
 * order, rather than by walking that order until the page is full: a search that matches a few
 * rows of 1,000,000 never fills its page, and the walk went through every row for each request
 * (~10 ms each; at 50 clients, most of the request thread's time).
 */
const LISTED_MOST = 4096;

/** The rows `show` keeps and the search `q` matches: found once per table, show and search. */
function selectionOf(table: AccountTable, show: AccountShow, q: string): Selection {
  let kept = asked.get(table);
  if (!kept) asked.set(table, (kept = new Map()));
  const key = `${show}\n${q}`;
  let selection = kept.get(key);
  if (!selection) {
    const bit = 1 << SHOWS.indexOf(show);
    const search = addressSearch(table, q);
    const listMost = Math.min(LISTED_MOST, (table.count - 1) >>> 3);
    const rows: number[] = [];
    let matched = 0;
    for (let row = 0; row < table.count; row++) {
      if ((table.shows[row]! & bit) === 0 || (search && !search[row])) continue;
      if (matched++ < listMost) rows.push(row);
    }
    selection = { search, matched, listed: matched <= listMost ? Int32Array.from(rows) : undefined };
    if (kept.size >= ASKED_KEPT) kept.delete(kept.keys().next().value!);
  }
  // Newest last: re-inserted.
  kept.delete(key);
  kept.set(key, selection);
  return selection;
}

/** Per order, each row's place in it (its inverse), made when a listed selection is first paged in that order. */
const places = new WeakMap<Int32Array, Int32Array>();
function placesIn(order: Int32Array): Int32Array {
  let place = places.get(order);
  if (!place) {
    places.set(order, (place = new Int32Array(order.length)));
    for (let k = 0; k < order.length; k++) place[order[k]!] = k;
  }
  return place;
}

/**
 * One page of the table: the rows `show` keeps and the search matches, in the query's order, from
 * `offset`, at most `limit` of them (as row indexes), and how many matched in all. The walk of
 * the order stops once the page is full; a selection of a few rows is ordered by their places in
 * it instead (LISTED_MOST). What matched is found once per table, show and search (selectionOf), not per page.
 */
export function pageOfAccountTable(table: AccountTable, { show, sort, dir, q, offset, limit }: AccountsQuery): { matched: number; rows: number[] } {
  const c = ACCOUNT_SORTS.indexOf(sort);
  const order = table.orders[c]!;
  const known = table.known[c]!;
  const bit = 1 << SHOWS.indexOf(show);
  const { search, matched, listed } = selectionOf(table, show, q);
  if (listed) {
    // Descending, as the walk below goes: the known values' places reversed, the unknown ones after them as they are.
    const place = placesIn(order);
    const at = (row: number) => (dir === "asc" || place[row]! >= known ? place[row]! : known - 1 - place[row]!);
    return { matched, rows: Array.from(listed).sort((a, b) => at(a) - at(b)).slice(offset, offset + limit) };
  }
  const rows: number[] = [];
  let seen = 0;
  // Whether the page is full after `row`.
  const visit = (row: number) => {
    if ((table.shows[row]! & bit) === 0 || (search && !search[row])) return false;
    if (seen++ >= offset) rows.push(row);
    return rows.length >= limit;
  };
  if (limit > 0) {
    if (dir === "asc") {
      for (let i = 0; i < order.length; i++) if (visit(order[i]!)) break;
    } else {
      let full = false;
      for (let i = known - 1; i >= 0 && !full; i--) full = visit(order[i]!);
      for (let i = known; i < order.length && !full; i++) full = visit(order[i]!);
    }
  }
  return { matched, rows };
}

/** The body of a page (AccountsWire, UTF-8), its rows written from the table's columns: the bytes JSON.stringify writes for the same body. */
export function accountPageJson(table: AccountTable, head: Omit<AccountsWire, "rows">, rows: readonly number[]): Uint8Array<ArrayBuffer> {
  // `{…,"rows":[]}` without its last two characters, then the rows, then `]}`.
  const open = JSON.stringify({ ...head, rows: [] }).slice(0, -2);
  return utf8.encode(`${open}${rows.map((row) => accountRowJson(table, row)).join(",")}]}`);
}
