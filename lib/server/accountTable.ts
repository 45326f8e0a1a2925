/**
 * GET /api/accounts's table in the form the request thread pages without parsing or sorting
 * anything: every row's JSON already written, one after the other in one buffer, and the rows'
 * order on each column computed once per block, by the block worker (lib/server/blockWorker),
 * as typed arrays it transfers to the request thread without a copy. A page is then a walk of
 * one order, skipping the rows its "show" (and search) leave out, and the ≤ 200 rows' bytes
 * concatenated; the bytes are those JSON.stringify writes for the page's body (lib/api/wire's
 * AccountsWire), as when the page was cut from the parsed rows.
 *
 * The order is lib/api/accountsQuery's (compareAccountRows): ascending on the column, rows
 * without a value (null: no positions, no liquidation price) after every other, ties broken by
 * address. Descending reverses the rows with a value and keeps the others last, in address order
 * — so one ascending order per column answers both directions. At 100,000 accounts a page was
 * ~200 ms of the request thread once per block (parsing 24 MB of rows and sorting them) and
 * collecting the parsed rows' garbage afterwards; it is now well under a millisecond.
 */

import { ACCOUNT_SHOWS, ACCOUNT_SORTS, type AccountShow, type AccountsQuery, type AccountSort } from "../api/accountsQuery.ts";
import type { AccountRow, AccountsWire } from "../api/wire.ts";

export interface AccountTable {
  /** Every row's JSON (UTF-8), one after the other: row i is `json[i ? rowEnds[i - 1] : 0, rowEnds[i])`. */
  json: Uint8Array<ArrayBuffer>;
  rowEnds: Int32Array<ArrayBuffer>;
  /** Every row's address followed by "\n" (ASCII): row i's is `addresses[i ? addressEnds[i - 1] : 0, addressEnds[i] - 1)`. */
  addresses: Uint8Array<ArrayBuffer>;
  addressEnds: Int32Array<ArrayBuffer>;
  /** Per column (ACCOUNT_SORTS's order), the rows in ascending order, the `known[c]` with a value first. */
  orders: Int32Array<ArrayBuffer>[];
  known: Int32Array<ArrayBuffer>;
  /** Bit k of row i: ACCOUNT_SHOWS's k-th "show" keeps row i. */
  shows: Uint8Array<ArrayBuffer>;
}

const SHOWS = Object.keys(ACCOUNT_SHOWS) as AccountShow[];
const utf8 = new TextEncoder();

/**
 * A row as the request thread read it back from JSON: a number JSON cannot write (±Infinity,
 * NaN) is null there, so it is null here too for the order and the filters. Real rows have none;
 * the check costs nothing.
 */
function asJsonRow(row: AccountRow, json: string): AccountRow {
  const finite = (v: number | null) => v === null || Number.isFinite(v);
  const clean = finite(row.equityUsd) && finite(row.notionalUsd) && finite(row.health) && finite(row.leverage) && finite(row.distanceToLiquidation) && finite(row.adlLight);
  return clean ? row : (JSON.parse(json) as AccountRow);
}

/** A column's sort key, Infinity where the row has no value: the distance to liquidation sorts by its size. */
function sortKey(row: AccountRow, sort: Exclude<AccountSort, "address">): number {
  const v = row[sort];
  if (v === null) return Infinity;
  return sort === "distanceToLiquidation" ? Math.abs(v) : v;
}

/** What a builder keeps of the last table it built, to sort the next one from (blocks change few rows' order). */
interface LastOrders {
  addresses: Uint8Array;
  addressOrder: Int32Array<ArrayBuffer>;
  addressRank: Int32Array;
  orders: Int32Array<ArrayBuffer>[];
}

export type AccountTableBuilder = (rows: readonly AccountRow[]) => AccountTable;

/**
 * A builder of each block's AccountTable that sorts each column starting from the last block's
 * order, which a block changes little (V8's sort is adaptive to runs), and reuses the address
 * order while the accounts are the same ones. Its tables are free to be transferred: it keeps
 * copies.
 */
export function createAccountTableBuilder(): AccountTableBuilder {
  let last: LastOrders | undefined;
  return (input) => {
    const n = input.length;
    const texts = input.map((row) => JSON.stringify(row));
    const rows = input.map((row, i) => asJsonRow(row, texts[i]!));
    const json = utf8.encode(texts.join(""));
    const rowEnds = new Int32Array(n);
    const ascii = json.byteLength === texts.reduce((sum, t) => sum + t.length, 0);
    for (let i = 0, end = 0; i < n; i++) rowEnds[i] = end += ascii ? texts[i]!.length : Buffer.byteLength(texts[i]!);
    const addresses = utf8.encode(rows.map((r) => `${r.address}\n`).join(""));
    const addressEnds = new Int32Array(n);
    for (let i = 0, end = 0; i < n; i++) addressEnds[i] = end += rows[i]!.address.length + 1;

    const sameAccounts = last !== undefined && Buffer.from(last.addresses).equals(Buffer.from(addresses));
    let addressOrder: Int32Array<ArrayBuffer>;
    let addressRank: Int32Array;
    if (sameAccounts) ({ addressOrder, addressRank } = last!);
    else {
      addressOrder = Int32Array.from(rows.keys()).sort((i, j) => (rows[i]!.address < rows[j]!.address ? -1 : rows[i]!.address > rows[j]!.address ? 1 : i - j));
      addressRank = new Int32Array(n);
      addressOrder.forEach((row, rank) => (addressRank[row] = rank));
    }
    const known = new Int32Array(ACCOUNT_SORTS.length);
    const orders = ACCOUNT_SORTS.map((sort, c) => {
      if (sort === "address") {
        known[c] = n;
        return addressOrder.slice();
      }
      const key = Float64Array.from(rows, (r) => sortKey(r, sort));
      known[c] = key.reduce((count, k) => (k === Infinity ? count : count + 1), 0);
      const start = sameAccounts ? last!.orders[c]!.slice() : addressOrder.slice();
      // Infinity − Infinity is NaN, falsy: rows without a value fall to the address too.
      return start.sort((i, j) => key[i]! - key[j]! || addressRank[i]! - addressRank[j]!);
    });
    const shows = new Uint8Array(n);
    rows.forEach((row, i) => SHOWS.forEach((show, k) => void (ACCOUNT_SHOWS[show].keep(row) && (shows[i]! |= 1 << k))));
    last = { addresses: addresses.slice(), addressOrder, addressRank, orders: orders.map((o) => o.slice()) };
    return { json, rowEnds, addresses, addressEnds, orders, known, shows };
  };
}

/** The buffers of a table, to transfer it to another thread without a copy. */
export function accountTableBuffers(table: AccountTable): ArrayBuffer[] {
  return [table.json.buffer, table.rowEnds.buffer, table.addresses.buffer, table.addressEnds.buffer, ...table.orders.map((o) => o.buffer), table.known.buffer, table.shows.buffer];
}

const addressTexts = new WeakMap<AccountTable, string>();

/**
 * Which rows' addresses the search `q` matches (lib/api/accountsQuery's addressMatches: from the
 * start with 0x, anywhere without), as one byte per row; undefined when every row does (no
 * search). The addresses are read as one string, once per table, searched with indexOf.
 */
export function addressSearch(table: AccountTable, q: string): Uint8Array | undefined {
  if (q === "") return undefined;
  let text = addressTexts.get(table);
  if (text === undefined) addressTexts.set(table, (text = Buffer.from(table.addresses.buffer, table.addresses.byteOffset, table.addresses.byteLength).toString("latin1")));
  const ends = table.addressEnds;
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

/**
 * One page of the table: the rows `show` keeps and the search matches, in the query's order, from
 * `offset`, at most `limit` of them (as row indexes), and how many matched in all.
 */
export function pageOfAccountTable(table: AccountTable, { show, sort, dir, q, offset, limit }: AccountsQuery): { matched: number; rows: number[] } {
  const c = ACCOUNT_SORTS.indexOf(sort);
  const order = table.orders[c]!;
  const known = table.known[c]!;
  const bit = 1 << SHOWS.indexOf(show);
  const search = addressSearch(table, q);
  const rows: number[] = [];
  let matched = 0;
  const visit = (row: number) => {
    if ((table.shows[row]! & bit) === 0 || (search && !search[row])) return;
    if (matched >= offset && rows.length < limit) rows.push(row);
    matched++;
  };
  if (dir === "asc") for (let i = 0; i < order.length; i++) visit(order[i]!);
  else {
    for (let i = known - 1; i >= 0; i--) visit(order[i]!);
    for (let i = known; i < order.length; i++) visit(order[i]!);
  }
  return { matched, rows };
}

/** The body of a page (AccountsWire, UTF-8), its rows' JSON copied from the table: the bytes JSON.stringify writes for the same body. */
export function accountPageJson(table: AccountTable, head: Omit<AccountsWire, "rows">, rows: readonly number[]): Uint8Array<ArrayBuffer> {
  // `{…,"rows":[]}` without its last two characters, then the rows, then `]}`.
  const open = utf8.encode(JSON.stringify({ ...head, rows: [] }).slice(0, -2));
  const parts: Uint8Array[] = [open];
  rows.forEach((row, k) => {
    if (k) parts.push(COMMA);
    parts.push(table.json.subarray(row ? table.rowEnds[row - 1] : 0, table.rowEnds[row]));
  });
  parts.push(CLOSE);
  return new Uint8Array(Buffer.concat(parts));
}
const COMMA = utf8.encode(",");
const CLOSE = utf8.encode("]}");

