import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { shockMarks } from "../reserves/computeCover.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { Account } from "../types.ts";
import { findNegativeEquity } from "./findNegativeEquity.ts";
import type { Prices } from "./marginScreen.ts";

/** What findNegativeEquity must equal: each account valued by the bigint engine at each vector. */
const accountByAccount = (prices: readonly Prices[], accounts: readonly Account[]) =>
  prices.map((p) => {
    const equities = accounts.map((a) => computeAccountRisk(p, a).equityUsd);
    const rows = equities.flatMap((e, row) => (e < 0n ? [row] : []));
    return { accounts: rows.length, rows, equityUsd: rows.reduce((t, row) => t + equities[row]!, 0n) };
  });

const plain = (found: ReturnType<typeof findNegativeEquity>) => found.map((f) => ({ accounts: f.accounts, rows: [...f.rows], equityUsd: f.equityUsd }));

/** A price vector from the venue's: each mark and collateral price kept, scaled by a factor, or redrawn. */
const arbitraryMove = fc.array(fc.oneof(fc.constant(null), fc.bigInt({ min: 0n, max: 3_000_000n }), fc.bigInt({ min: 1n, max: 10n ** 31n }).map((x) => -x)), { minLength: 5, maxLength: 5 });
const moved = (venue: Prices, move: (bigint | null)[]): Prices => {
  const at = (x: bigint, m: bigint | null | undefined) => (m === null || m === undefined ? x : m >= 0n ? (x * m) / 1_000_000n : -m);
  return {
    markets: venue.markets.map((mk, i) => ({ ...mk, markPriceWad: at(mk.markPriceWad, move[i]) })),
    collaterals: venue.collaterals.map((c, i) => ({ ...c, priceWad: at(c.priceWad, move[3 + i]) })),
  };
};

describe("findNegativeEquity", () => {
  it("test_fuzz_negative_equity_equals_the_account_by_account_engine: adversarial venues, equity at 0 and a wei either side, several price vectors", () => {
    fc.assert(
      fc.property(arbitraryVenue, fc.array(arbitraryAccountShape, { minLength: 1, maxLength: 10 }), fc.array(arbitraryMove, { minLength: 0, maxLength: 4 }), (venue, shapes, moves) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n, false));
        const columnar = buildColumnarSnapshot(venue, accounts);
        const prices = [venue, ...moves.map((move) => moved(venue, move))];
        expect(plain(findNegativeEquity(columnar, prices))).toEqual(accountByAccount(prices, accounts));
      }),
      { numRuns: 1500, seed: 51 },
    );
  });

  it("test_fuzz_negative_equity_under_shocks: synthetic books under the shocks computeEngineHealth uses, some accounts placed at 0 ±1 wei under one of them", () => {
    const shock = fc.array(fc.constantFrom(0, -0.55, -0.3, -0.123457, 0.6, 0.0101), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(shock, { minLength: 1, maxLength: 14 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(-1n, 0n, 1n)), { maxLength: 8 }), (seed, shocks, placed) => {
        const s = syntheticSnapshot(80, { seed });
        const prices = [s, ...shocks.map((moves) => shockMarks(s, moves))];
        for (const [at, offset] of placed) {
          const row = at % s.accounts.length;
          const p = prices[at % prices.length]!;
          const account = s.accounts[row]!;
          s.accounts[row] = { ...account, cashUsd: account.cashUsd + offset - computeAccountRisk(p, account).equityUsd };
        }
        const columnar = buildColumnarSnapshot(s, s.accounts);
        const expected = accountByAccount(prices, s.accounts);
        expect(plain(findNegativeEquity(columnar, prices))).toEqual(expected);
        // Rows listed for the first vector only: the others still count and sum.
        expect(plain(findNegativeEquity(columnar, prices, { listRows: (k) => k === 0 }))).toEqual(expected.map((e, k) => (k === 0 ? e : { ...e, rows: [] })));
      }),
      { numRuns: 150, seed: 52 },
    );
  });

  it("test_fuzz_negative_equity_past_sixteen_vectors: rows below zero at many sets of up to 45 vectors (masks in groups of 16) sum as account by account", () => {
    const shock = fc.array(fc.constantFrom(0, -0.55, -0.3, -0.123457, 0.6, 0.0101, -0.8), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(shock, { minLength: 14, maxLength: 44 }), (seed, shocks) => {
        const s = syntheticSnapshot(60, { seed });
        const prices = [s, ...shocks.map((moves) => shockMarks(s, moves))];
        const columnar = buildColumnarSnapshot(s, s.accounts);
        const expected = accountByAccount(prices, s.accounts);
        expect(plain(findNegativeEquity(columnar, prices, { listRows: (k) => k % 5 === 0 }))).toEqual(expected.map((e, k) => (k % 5 === 0 ? e : { ...e, rows: [] })));
      }),
      { numRuns: 60, seed: 53 },
    );
  });

  it("finds nothing when no price vector is given, and an empty book below nowhere", () => {
    const s = syntheticSnapshot(3, { seed: 1 });
    expect(findNegativeEquity(buildColumnarSnapshot(s, s.accounts), [])).toEqual([]);
    expect(plain(findNegativeEquity(buildColumnarSnapshot(s, []), [s]))).toEqual([{ accounts: 0, rows: [], equityUsd: 0n }]);
  });

  it("refuses, with a clear error, more rows than its digit sums hold exactly (2²³): a fake snapshot claiming 2²³ + 1 rows", () => {
    const { accounts, ...venue } = syntheticSnapshot(1);
    const fakeHuge = { ...buildColumnarSnapshot(venue, accounts), count: 2 ** 23 + 1 };
    expect(() => findNegativeEquity(fakeHuge, [venue])).toThrow(/at most 8388608 rows/);
    expect(() => findNegativeEquity({ ...fakeHuge, count: 1 }, [venue])).not.toThrow();
  });
});
