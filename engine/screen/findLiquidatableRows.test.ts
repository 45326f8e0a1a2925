import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { findLiquidatableRows } from "./findLiquidatableRows.ts";

/** The rows the bigint engine calls liquidatable, one account at a time. */
const slowRows = (s: ProtocolSnapshot) => s.accounts.flatMap((a, row) => (isLiquidatable(computeAccountRisk(s, a)) ? [row] : []));

describe("findLiquidatableRows", () => {
  it("at the edge: exactly at maintenance is kept out, one wei below is in, an account without positions never", () => {
    // Long 1 ETH at a $1,000 mark, MMR 5 %: maintenance margin $50, equity = cash.
    const accounts = [
      { ...fakeLong(1, 0, 1), cashUsd: usd(50) },
      { ...fakeLong(2, 0, 1), cashUsd: usd(50) - 1n },
      { ...fakeLong(3, 0, 0), cashUsd: -usd(5) },
      { ...fakeLong(4, 0, 1), cashUsd: -usd(1) },
    ];
    expect([...findLiquidatableRows(fakeSnapshot(accounts))]).toEqual([1, 3]);
  });

  it("an empty book has no rows", () => {
    expect(findLiquidatableRows(fakeSnapshot([]))).toHaveLength(0);
  });

  it("test_fuzz_rows_equal_the_bigint_engine: random books, marks moved up to ±40 %, many rows near maintenance", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 3, maxLength: 3 }), (seed, movesPct) => {
        const s = syntheticSnapshot(300, { seed, nearMaintenance: 0.3 });
        s.markets = s.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(100 + movesPct[i]!)) / 100n }));
        expect([...findLiquidatableRows(s)]).toEqual(slowRows(s));
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it("finds every row when there are more than its first buffer holds (a crash liquidating hundreds)", () => {
    const s = syntheticSnapshot(500, { seed: 3 });
    s.markets = s.markets.map((m) => ({ ...m, markPriceWad: m.markPriceWad / 4n }));
    const rows = [...findLiquidatableRows(s)];
    expect(rows.length).toBeGreaterThan(64);
    expect(rows).toEqual(slowRows(s));
  });
});
