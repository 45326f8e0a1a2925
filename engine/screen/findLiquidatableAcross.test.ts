import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { findLiquidatableAcross, pricesOf, type PriceScenario } from "./findLiquidatableAcross.ts";

/** The bigint engine, account by account, at one scenario's prices. */
function slowRows(s: ProtocolSnapshot, scenario: PriceScenario, maintenance = true): number[] {
  const prices = pricesOf(s, scenario);
  return s.accounts.flatMap((a, row) => {
    const risk = computeAccountRisk(prices, a);
    return (maintenance ? isLiquidatable(risk) : risk.equityUsd < 0n) ? [row] : [];
  });
}

const scaled = (prices: readonly bigint[], pcts: readonly number[]) => prices.map((p, i) => (p * BigInt(100 + (pcts[i] ?? 0))) / 100n);

describe("findLiquidatableAcross", () => {
  it("test_fuzz_each_scenario_equals_the_bigint_engine: marks and collateral prices moved up to ±60 %, below maintenance or below zero", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 4 }), fc.boolean(), (seed, moves, maintenance) => {
        const s = syntheticSnapshot(120, { seed, nearMaintenance: 0.3 });
        const scenarios = moves.map((pcts) => ({ markPricesWad: scaled(s.markets.map((m) => m.markPriceWad), pcts), collateralPricesWad: scaled(s.collaterals.map((c) => c.priceWad), pcts.slice(3)) }));
        const found = findLiquidatableAcross(buildColumnarSnapshot(s, s.accounts), scenarios, { maintenance });
        expect(found.map((rows) => [...rows])).toEqual(scenarios.map((sc) => slowRows(s, sc, maintenance)));
      }),
      { numRuns: 30, seed: 1414 },
    );
  });

  it("a scenario that names no price for a market or asset keeps the venue's", () => {
    const s = syntheticSnapshot(80, { seed: 2 });
    const found = findLiquidatableAcross(buildColumnarSnapshot(s, s.accounts), [{ markPricesWad: [] }]);
    expect([...found[0]!]).toEqual(slowRows(s, { markPricesWad: [] }));
  });

  it("prices a proposal's parameters when given its venue: doubling every MMR finds at least as many, exactly the engine's", () => {
    const s = syntheticSnapshot(150, { seed: 4, nearMaintenance: 0.5 });
    const proposed = { ...s, markets: s.markets.map((m) => ({ ...m, params: { ...m.params, mmrWad: m.params.mmrWad * 2n } })) };
    const columnar = buildColumnarSnapshot(s, s.accounts);
    const now = { markPricesWad: s.markets.map((m) => m.markPriceWad) };
    const [today] = findLiquidatableAcross(columnar, [now]);
    const [after] = findLiquidatableAcross(columnar, [now], { venue: proposed });
    expect([...after!]).toEqual(slowRows(proposed, now));
    expect(after!.length).toBeGreaterThan(today!.length);
    for (const row of today!) expect(after!.includes(row)).toBe(true);
  });

  it("no scenarios, no answers", () => {
    const s = syntheticSnapshot(5, { seed: 5 });
    expect(findLiquidatableAcross(buildColumnarSnapshot(s, s.accounts), [])).toEqual([]);
  });
});
