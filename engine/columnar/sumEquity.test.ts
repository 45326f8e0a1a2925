import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { buildColumnarSnapshot } from "./columnarSnapshot.ts";
import { sumEquity } from "./sumEquity.ts";

const exactSums = (prices: Parameters<typeof computeAccountRisk>[0], accounts: Parameters<typeof computeAccountRisk>[1][]) =>
  accounts.reduce((t, a) => {
    const risk = computeAccountRisk(prices, a);
    const unpriced = a.positions.reduce((sum, p) => sum - p.openNotionalUsd, a.cashUsd);
    return { equityUsd: t.equityUsd + risk.equityUsd, collateralValueUsd: t.collateralValueUsd + risk.collateralValueUsd, unpricedUsd: t.unpricedUsd + unpriced };
  }, { equityUsd: 0n, collateralValueUsd: 0n, unpricedUsd: 0n });

describe("sumEquity", () => {
  it("test_fuzz_sum_equity_equals_the_sum_of_account_risks: adversarial venues (wide sizes, any decimals, prices not whole), any subset", () => {
    fc.assert(
      fc.property(arbitraryVenue, fc.array(fc.tuple(arbitraryAccountShape, fc.boolean()), { minLength: 1, maxLength: 12 }), (venue, shapes) => {
        const accounts = shapes.map(([shape], n) => adversarialAccount(venue, shape, n));
        const columnar = buildColumnarSnapshot(venue, accounts);
        const rows = shapes.flatMap(([, chosen], row) => (chosen ? [row] : []));
        expect(sumEquity(columnar, venue, rows)).toEqual(exactSums(venue, rows.map((row) => accounts[row]!)));
      }),
      { numRuns: 1500, seed: 43 },
    );
  });

  it("test_fuzz_sum_equity_at_odd_prices: synthetic books at marks and collateral prices off the whole dollar", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.bigInt({ min: 1n, max: 10n ** 24n }), { minLength: 5, maxLength: 5 }), (seed, prices) => {
        const s = syntheticSnapshot(60, { seed });
        s.markets = s.markets.map((m, i) => ({ ...m, markPriceWad: prices[i]! }));
        s.collaterals = s.collaterals.map((c, i) => ({ ...c, priceWad: i === 0 ? prices[3]! * 10n ** 6n : prices[4]! }));
        const columnar = buildColumnarSnapshot(s, s.accounts);
        expect(sumEquity(columnar, s, s.accounts.map((_, row) => row))).toEqual(exactSums(s, s.accounts));
      }),
      { numRuns: 200, seed: 44 },
    );
  });
});
