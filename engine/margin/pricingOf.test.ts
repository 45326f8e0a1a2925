import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { changedRowsSince, rememberRowsChanged, rowsChangedSince } from "./pricingOf.ts";

describe("rowsChangedSince", () => {
  const before = syntheticSnapshot(20, { seed: 3 });
  const changedAt = (rows: number[]) => before.accounts.map((a, row) => (rows.includes(row) ? { ...a } : a));

  it("lists the rows whose object is new, ascending, appended rows included; undefined past the cap", () => {
    const accounts = [...changedAt([2, 11]), { ...before.accounts[0]!, address: "0x00000000000000000000000000000000000000ff" as const }];
    expect(rowsChangedSince(accounts, before.accounts, 3)).toEqual([2, 11, 20]);
    expect(rowsChangedSince(accounts, before.accounts, 2)).toBeUndefined();
    expect(rowsChangedSince(accounts, before.accounts, 3)).toEqual([2, 11, 20]);
  });

  it("takes the rows a producer remembered for the pair of arrays rather than diffing them", () => {
    const accounts = changedAt([4, 5]);
    // Told only row 4 (a producer's word is taken as is: no pass over the arrays checks it).
    rememberRowsChanged(accounts, before.accounts, [4]);
    expect(rowsChangedSince(accounts, before.accounts, 10)).toEqual([4]);
    expect(rowsChangedSince(accounts, before.accounts, 0)).toBeUndefined();
    // Against another array, diffed as usual.
    expect(rowsChangedSince(accounts, changedAt([]), 10)).toEqual([4, 5]);
  });

  it("is undefined for a follower once the pricing moved, whatever the rows", () => {
    const accounts = changedAt([1]);
    const repriced = { ...before, markets: before.markets.map((m, i) => (i === 0 ? { ...m, markPriceWad: m.markPriceWad + 1n } : m)), accounts };
    expect(changedRowsSince({ ...before, accounts }, before, before.accounts, 10)).toEqual([1]);
    expect(changedRowsSince(repriced, before, before.accounts, 10)).toBeUndefined();
  });
});
