import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAccountRisk } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { ACCOUNT_SHOWS, ACCOUNT_SORTS, accountsQuery, addressMatches, compareAccountRows, type AccountsQuery } from "../api/accountsQuery.ts";
import type { AccountRow, AccountsWire } from "../api/wire.ts";
import { accountPageJson, accountTableContents, addressSearch, createAccountTableBuilder, pageOfAccountTable, type AccountTable } from "./accountTable.ts";
import { accountPage, accountRows, computeBlockViews } from "./views.ts";

/**
 * The page as GET /api/accounts defined it before the accounts table: the rows read back from
 * their JSON, the selection sorted with compareAccountRows (descending reverses the known values,
 * unknown ones stay last), filtered by addressMatches, sliced, and the body JSON.stringify'd.
 */
function referencePage(rows: readonly AccountRow[], head: Pick<AccountsWire, "blockNumber" | "blockHash" | "stale">, { show, sort, dir, q, offset, limit }: AccountsQuery): string {
  const parsed = JSON.parse(JSON.stringify(rows)) as AccountRow[];
  const compare = compareAccountRows(sort);
  const unknown = (r: AccountRow) => sort !== "address" && r[sort] === null;
  const selected = parsed
    .filter(ACCOUNT_SHOWS[show].keep)
    .sort((a, b) => (dir === "asc" || unknown(a) || unknown(b) ? compare(a, b) : compare(b, a)))
    .filter((r) => addressMatches(r.address, q));
  const body = { ...head, total: parsed.length, matched: selected.length, offset, rows: selected.slice(offset, offset + limit) } satisfies AccountsWire;
  return JSON.stringify(body);
}

const head = { blockNumber: "12", blockHash: "0xab", stale: null } as const;
const tablePage = (table: AccountTable, query: AccountsQuery) => {
  const page = pageOfAccountTable(table, query);
  return new TextDecoder().decode(accountPageJson(table, { ...head, total: table.count, matched: page.matched, offset: query.offset }, page.rows));
};

/** Every show × sort × direction, with and without searches, at the start and further on. */
const queries = (rows: readonly AccountRow[]) => {
  const address = rows[Math.floor(rows.length / 2)]?.address ?? "0x";
  const searches = ["", "0x", address.slice(0, 5), address.slice(7, 10), "0x" + address.slice(7, 10), "f", "00"];
  return Object.keys(ACCOUNT_SHOWS).flatMap((show) =>
    ACCOUNT_SORTS.flatMap((sort) =>
      ["asc", "desc"].flatMap((dir) => searches.flatMap((q) => [["0", "7"], ["5", "200"], ["40", "3"]].map(([offset, limit]) => accountsQuery.parse({ show, sort, dir, q, offset, limit })))),
    ),
  );
};

const hex = fc.constantFrom(..."0123456789abcdef");
const value = <T,>(...values: T[]) => fc.constantFrom(...values);
/** Rows with few distinct values (many ties), unknown values, negative distances, and now and then one JSON cannot write (Infinity: null once read back). */
const rowArb = fc.record({
  address: fc.array(hex, { minLength: 3, maxLength: 3 }).map((d) => `0x${d.join("").padStart(40, "0")}` as `0x${string}`),
  equityUsd: value(-5, 0, 10.5, 10.5, 1e6),
  notionalUsd: value(0, 100, 100, 2.25),
  health: value(null, 0.5, 1.2, 1.2, 3, Infinity),
  leverage: value(null, 2, 2, 10.0001),
  distanceToLiquidation: value(null, -0.03, 0.03, 0.05, -0.5, -Infinity),
  markets: fc.subarray(["ETH-PERP", "BTC-PERP", "ÉTÉ-PERP"]),
  adlLight: value(null, 0, 3, 5),
  liquidatable: fc.boolean(),
});
const uniqueRows = fc.uniqueArray(rowArb, { selector: (r) => r.address, maxLength: 60 });

describe("the accounts table's pages (pageOfAccountTable, accountPageJson)", () => {
  it("are byte for byte the pages of the old definition, on rows with ties, unknown values and non-ASCII symbols, block after block", () => {
    fc.assert(
      fc.property(fc.array(uniqueRows, { minLength: 1, maxLength: 3 }), (blocks) => {
        // One builder across the blocks, as the worker keeps it: the same accounts again (sorted from the last orders) or others.
        const build = createAccountTableBuilder();
        for (const rows of [...blocks, blocks[0]!.map((r, i) => ({ ...r, health: blocks.at(-1)![i]?.health ?? null }))]) {
          const table = build(rows);
          for (const query of queries(rows)) expect(tablePage(table, query)).toBe(referencePage(rows, head, query));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("are those of the old definition on a synthetic venue, as GET /api/accounts answers them, before and after every price moves", () => {
    const venue = syntheticSnapshot(500, { seed: 3 });
    const moved: ProtocolSnapshot = { ...venue, markets: venue.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(90 + 7 * i)) / 100n })) };
    const build = createAccountTableBuilder();
    for (const snapshot of [venue, moved]) {
      const views = computeBlockViews(snapshot, build);
      // The rows the old path wrote out whole, each block, as JSON.
      const rows = accountRows(snapshot, snapshot.accounts.map((a) => computeAccountRisk(snapshot, a)));
      const blockHead = { blockNumber: snapshot.blockNumber.toString(), blockHash: snapshot.blockHash, stale: null };
      for (const query of queries(rows)) {
        const body = new TextDecoder().decode(accountPage({ snapshot, views }, undefined, query).identity);
        expect(body).toBe(referencePage(rows, blockHead, query));
      }
    }
  });

  it("keep a search's matches by the addresses' name: found again for the next block's table (new arrays over the same memory), not for a table with an account added", () => {
    const venue = syntheticSnapshot(300, { seed: 8 });
    const build = createAccountTableBuilder();
    const first = computeBlockViews(venue, build).accountTable;
    const q = venue.accounts[150]!.address.slice(0, 5);
    const matches = addressSearch(first, q)!;
    expect([...matches.keys()].filter((row) => matches[row])).toEqual(venue.accounts.flatMap((a, row) => (addressMatches(a.address, q) ? [row] : [])));
    // The next block's table as the request thread gets it: posted, so every array is a new one over the same memory.
    const moved: ProtocolSnapshot = { ...venue, blockNumber: venue.blockNumber + 1n, markets: venue.markets.map((m) => ({ ...m, markPriceWad: (m.markPriceWad * 99n) / 100n })) };
    const next = structuredClone(computeBlockViews(moved, build).accountTable);
    expect(next.addresses).not.toBe(first.addresses);
    expect(next.addressesName).toBe(first.addressesName);
    expect(addressSearch(next, q), "the matches already found").toBe(matches);
    // An account added whose address the search matches: the table's addresses are new, and so is the search.
    const added: ProtocolSnapshot = { ...moved, accounts: [...moved.accounts, { ...moved.accounts[0]!, address: `${q}${"0".repeat(42 - q.length)}` as `0x${string}` }] };
    const grown = computeBlockViews(added, build).accountTable;
    expect(grown.addressesName).not.toBe(first.addressesName);
    expect(addressSearch(grown, q)![300]).toBe(1);
  });

  it("told which rows changed, updates the last table into the very table a fresh builder makes of the same rows, leaving the last one as it was", () => {
    fc.assert(
      fc.property(uniqueRows.filter((rows) => rows.length >= 8), fc.array(fc.tuple(fc.nat(), rowArb), { minLength: 1, maxLength: 6 }), (rows, edits) => {
        const build = createAccountTableBuilder();
        // The request thread may still be reading it: its memory is shared, not copied.
        const first = build(rows);
        // A few rows replaced in place (their address kept): at most an eighth of the table, so the builder updates rather than rebuilds.
        const next = [...rows];
        const changed = [...new Set(edits.slice(0, Math.max(1, Math.floor(rows.length / 8))).map(([at, row]) => ((next[at % rows.length] = { ...row, address: rows[at % rows.length]!.address }), at % rows.length)))].sort((a, b) => a - b);
        const updated = build(next, changed);
        const fresh = createAccountTableBuilder()(next);
        expect(accountTableContents(updated)).toEqual(accountTableContents(fresh));
        expect(accountTableContents(first)).toEqual(accountTableContents(createAccountTableBuilder()(rows)));
        // And the one after it, updated from the updated table.
        build(rows, changed);
        expect(accountTableContents(updated)).toEqual(accountTableContents(fresh));
        for (const query of queries(next)) expect(tablePage(updated, query)).toBe(referencePage(next, head, query));
      }),
      { numRuns: 60 },
    );
  });
});
