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
});
