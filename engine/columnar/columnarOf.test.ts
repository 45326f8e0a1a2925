import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { columnarAccount, type ColumnarSnapshot } from "./columnarSnapshot.ts";
import { columnarOf } from "./columnarOf.ts";

/** The columnar snapshot's columns: everything but the venue and the count (objects, compared by identity). */
const columnKeys = (c: ColumnarSnapshot) => {
  const keys = (Object.keys(c) as (keyof ColumnarSnapshot)[]).filter((key) => key !== "venue" && key !== "count");
  expect(keys).toContain("cashUsd");
  return keys;
};

describe("columnarOf", () => {
  it("holds every account of the snapshot, row for row", () => {
    const s = syntheticSnapshot(25, { seed: 5 });
    const columnar = columnarOf(s);
    expect(columnar.count).toBe(s.accounts.length);
    s.accounts.forEach((a, row) => expect(columnarAccount(columnar, row)).toEqual(a));
  });

  it("builds the columns of an accounts array once: the same snapshot gets the very same column arrays back", () => {
    const s = syntheticSnapshot(10, { seed: 6 });
    const [a, b] = [columnarOf(s), columnarOf(s)];
    for (const key of columnKeys(a)) expect(b[key]).toBe(a[key]);
  });

  it("a snapshot sharing the accounts array at other prices shares the columns but reads them at its own venue", () => {
    const before = syntheticSnapshot(10, { seed: 7 });
    const after = { ...before, markets: before.markets.map((m) => ({ ...m, markPriceWad: m.markPriceWad / 2n })) };
    const [a, b] = [columnarOf(before), columnarOf(after)];
    expect(b.venue.markets).toBe(after.markets);
    expect(a.venue.markets).toBe(before.markets);
    // One set of columns behind both: every column array is the same object.
    for (const key of columnKeys(a)) expect(b[key]).toBe(a[key]);
  });

  it("another accounts array, or one that grew since, is built anew", () => {
    const s = syntheticSnapshot(10, { seed: 8 });
    const first = columnarOf(s);
    expect(columnarOf({ ...s, accounts: [...s.accounts] }).cashUsd).not.toBe(first.cashUsd);
    const extra = syntheticSnapshot(1, { seed: 9 }).accounts[0]!;
    s.accounts.push(extra);
    const grown = columnarOf(s);
    expect(grown.count).toBe(11);
    expect(columnarAccount(grown, 10)).toEqual(extra);
  });

  it("follows the last block's columns: rows whose account changed are rewritten, new rows appended, the last block's columns left as they were", () => {
    const before = syntheticSnapshot(30, { seed: 10 });
    const [more] = syntheticSnapshot(31, { seed: 11 }).accounts.slice(30);
    const accounts = [...before.accounts];
    accounts[4] = { ...accounts[4]!, cashUsd: accounts[4]!.cashUsd + 7n, positions: [] };
    accounts[17] = { ...accounts[17]!, balancesNative: [0n, 10n ** 30n] };
    accounts.push(more!);
    const after = { ...before, accounts };
    const old = columnarOf(before);
    const followed = columnarOf(after, before);
    expect(followed.count).toBe(31);
    after.accounts.forEach((a, row) => expect(columnarAccount(followed, row)).toEqual(a));
    before.accounts.forEach((a, row) => expect(columnarAccount(old, row)).toEqual(a));
    expect(followed.cashUsd).not.toBe(old.cashUsd);
  });

  it("without new rows, copies only the columns a changed row's value moved in; the last block's and its siblings' stay as they were", () => {
    const before = syntheticSnapshot(40, { seed: 13 });
    const old = columnarOf(before);
    const traded = before.accounts.findIndex((a) => a.positions.some((p) => p.marketId === 1));
    const position = before.accounts[traded]!.positions.find((p) => p.marketId === 1)!;
    const accounts = [...before.accounts];
    // A trade in market 1: cash and that market's size and notional move; an unchanged copy of another account changes nothing.
    accounts[traded] = { ...accounts[traded]!, cashUsd: accounts[traded]!.cashUsd - 5n, positions: accounts[traded]!.positions.map((p) => (p === position ? { ...p, sizeBase: p.sizeBase + 3n, openNotionalUsd: p.openNotionalUsd + 11n } : p)) };
    accounts[0] = { ...accounts[0]! };
    const after = { ...before, accounts };
    const followed = columnarOf(after, before);
    after.accounts.forEach((a, row) => expect(columnarAccount(followed, row)).toEqual(a));
    expect(followed.cashUsd).not.toBe(old.cashUsd);
    expect(followed.sizeBase[1]).not.toBe(old.sizeBase[1]);
    expect(followed.openNotionalUsd[1]).not.toBe(old.openNotionalUsd[1]);
    expect(followed.sizeBase[0]).toBe(old.sizeBase[0]);
    followed.balancesNative.forEach((column, asset) => expect(column).toBe(old.balancesNative[asset]));
    expect(followed.addresses).toBe(old.addresses);
    // A sibling of `after` from the same block (a reorg's other branch) writes its own copies.
    const sibling = { ...before, accounts: before.accounts.map((a, row) => (row === traded ? { ...a, cashUsd: a.cashUsd + 9n, positions: [] } : a)) };
    const other = columnarOf(sibling, before);
    sibling.accounts.forEach((a, row) => expect(columnarAccount(other, row)).toEqual(a));
    after.accounts.forEach((a, row) => expect(columnarAccount(followed, row)).toEqual(a));
    before.accounts.forEach((a, row) => expect(columnarAccount(old, row)).toEqual(a));
  });

  it("follows a block that changed more than an eighth of the rows (past the shared diff's cap) row by row alike", () => {
    const before = syntheticSnapshot(40, { seed: 14 });
    const old = columnarOf(before);
    const after = { ...before, accounts: before.accounts.map((a, row) => (row % 3 === 0 ? { ...a, cashUsd: a.cashUsd + BigInt(row + 1) } : a)) };
    const followed = columnarOf(after, before);
    after.accounts.forEach((a, row) => expect(columnarAccount(followed, row)).toEqual(a));
    before.accounts.forEach((a, row) => expect(columnarAccount(old, row)).toEqual(a));
    expect(followed.cashUsd).not.toBe(old.cashUsd);
    expect(followed.sizeBase[0]).toBe(old.sizeBase[0]);
  });

  it("builds anew when a row's address moved", () => {
    const before = syntheticSnapshot(5, { seed: 12 });
    columnarOf(before);
    const after = { ...before, accounts: [before.accounts[1]!, before.accounts[0]!, ...before.accounts.slice(2)] };
    const followed = columnarOf(after, before);
    after.accounts.forEach((a, row) => expect(columnarAccount(followed, row)).toEqual(a));
  });
});
