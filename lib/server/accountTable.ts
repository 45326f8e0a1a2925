/**
 * GET /api/accounts's table in the form the request thread pages without parsing or sorting
 * anything: the rows' JSON already written, in one buffer with each row's bounds, and the rows'
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
import { stableOrderBy } from "./stableOrderBy.ts";

export interface AccountTable {
  /** Rows: accounts. */
  count: number;
  /** The rows as one JSON array (UTF-8): row i is `json[rowBounds[i] + 1, rowBounds[i + 1])`, between its "[" or "," and the next "," or "]". */
  json: Uint8Array<ArrayBuffer>;
  rowBounds: Int32Array<ArrayBuffer>;
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
function asJsonRow(row: AccountRow, json: Uint8Array): AccountRow {
  const clean = finite(row.equityUsd) && finite(row.notionalUsd) && finite(row.health) && finite(row.leverage) && finite(row.distanceToLiquidation) && finite(row.adlLight);
  return clean ? row : (JSON.parse(new TextDecoder().decode(json)) as AccountRow);
}
const finite = (v: number | null) => v === null || Number.isFinite(v);

/**
 * Where a row starts in the JSON of the rows: `},{"address":` is found nowhere else, for a row's
 * first key is its address and a string's quotes are escaped inside it. One JSON.stringify of the
 * whole array and a byte search cost half of one JSON.stringify per row.
 */
const ROW_START = utf8.encode('},{"address":');

/** The JSON of `rows` and where each row lies in it (AccountTable's `json` and `rowBounds`). */
function rowsJson(rows: readonly AccountRow[]): Pick<AccountTable, "json" | "rowBounds"> {
  const json = utf8.encode(JSON.stringify(rows));
  const bytes = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  const rowBounds = new Int32Array(rows.length + 1);
  for (let i = 1, at = 0; i < rows.length; i++) rowBounds[i] = (at = bytes.indexOf(ROW_START, at + 1)) + 1;
  rowBounds[rows.length] = json.byteLength - 1;
  return { json, rowBounds };
}

/** A column's sort key, Infinity where the row has no value: the distance to liquidation sorts by its size. */
function sortKey(row: AccountRow, sort: Exclude<AccountSort, "address">): number {
  const v = row[sort];
  if (v === null) return Infinity;
  return sort === "distanceToLiquidation" ? Math.abs(v) : v;
}

/** What a builder keeps of the last table it built: its accounts, their addresses and the address order. */
interface LastAccounts {
  addressList: string[];
  addresses: Uint8Array<ArrayBuffer>;
  addressEnds: Int32Array<ArrayBuffer>;
  addressOrder: Int32Array<ArrayBuffer>;
}

export type AccountTableBuilder = (rows: readonly AccountRow[]) => AccountTable;

/**
 * A builder of each block's AccountTable. Each column is ordered by stableOrderBy from the address
 * order, which the builder sorts (by comparison, ~50 ms at 100,000 accounts) only when the
 * accounts differ from the last block's, and otherwise reuses with their addresses' bytes. Its
 * tables are free to be transferred: it keeps copies.
 */
export function createAccountTableBuilder(): AccountTableBuilder {
  let last: LastAccounts | undefined;
  return (input) => {
    const n = input.length;
    const { json, rowBounds } = rowsJson(input);
    const rows = new Array<AccountRow>(n);
    for (let i = 0; i < n; i++) rows[i] = asJsonRow(input[i]!, json.subarray(rowBounds[i]! + 1, rowBounds[i + 1]));
    const addressList = rows.map((r) => r.address);
    const sameAccounts = last !== undefined && last.addressList.length === n && addressList.every((a, i) => a === last!.addressList[i]);
    let addresses: Uint8Array<ArrayBuffer>;
    let addressEnds: Int32Array<ArrayBuffer>;
    let addressOrder: Int32Array<ArrayBuffer>;
    if (sameAccounts) {
      addressOrder = last!.addressOrder;
      [addresses, addressEnds] = [last!.addresses.slice(), last!.addressEnds.slice()];
    } else {
      addresses = utf8.encode(addressList.map((a) => `${a}\n`).join(""));
      addressEnds = new Int32Array(n);
      for (let i = 0, end = 0; i < n; i++) addressEnds[i] = end += addressList[i]!.length + 1;
      addressOrder = Int32Array.from(rows.keys()).sort((i, j) => (rows[i]!.address < rows[j]!.address ? -1 : rows[i]!.address > rows[j]!.address ? 1 : i - j));
    }
    const known = new Int32Array(ACCOUNT_SORTS.length);
    const orders = ACCOUNT_SORTS.map((sort, c) => {
      if (sort === "address") {
        known[c] = n;
        return addressOrder.slice();
      }
      const key = new Float64Array(n);
      for (let i = 0; i < n; i++) if ((key[i] = sortKey(rows[i]!, sort)) !== Infinity) known[c]!++;
      // Stable from the address order: ties (and the rows without a value, all Infinity) by address.
      return stableOrderBy(key, addressOrder);
    });
    const shows = new Uint8Array(n);
    const keeps = SHOWS.map((show) => ACCOUNT_SHOWS[show].keep);
    for (let i = 0; i < n; i++) for (let k = 0; k < keeps.length; k++) if (keeps[k]!(rows[i]!)) shows[i]! |= 1 << k;
    last = { addressList, addresses: addresses.slice(), addressEnds: addressEnds.slice(), addressOrder };
    return { count: n, json, rowBounds, addresses, addressEnds, orders, known, shows };
  };
}

/** The buffers of a table, to transfer it to another thread without a copy. */
export function accountTableBuffers(table: AccountTable): ArrayBuffer[] {
  return [table.json.buffer, table.rowBounds.buffer, table.addresses.buffer, table.addressEnds.buffer, ...table.orders.map((o) => o.buffer), table.known.buffer, table.shows.buffer];
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
    parts.push(table.json.subarray(table.rowBounds[row]! + 1, table.rowBounds[row + 1]));
  });
  parts.push(CLOSE);
  return new Uint8Array(Buffer.concat(parts));
}
const COMMA = utf8.encode(",");
const CLOSE = utf8.encode("]}");

