import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { findRowsBelow } from "./findRowsBelow.ts";
import { prepareMarginScreen, type Prices } from "./marginScreen.ts";

const columnsOf = ({ accounts, ...venue }: ProtocolSnapshot) => buildColumnarSnapshot(venue, accounts);
const withMarks = (s: ProtocolSnapshot, pct: readonly number[]): Prices => ({
  collaterals: s.collaterals,
  markets: s.markets.map((m, i) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(100 + pct[i]!)) / 100n })),
});
/** The slow reading: the bigint engine, one account at a time. */
const liquidatableRows = (prices: Prices, s: ProtocolSnapshot) => s.accounts.flatMap((a, row) => (isLiquidatable(computeAccountRisk(prices, a)) ? [row] : []));
const negativeRows = (prices: Prices, s: ProtocolSnapshot) => s.accounts.flatMap((a, row) => (computeAccountRisk(prices, a).equityUsd < 0n ? [row] : []));

describe("findRowsBelow", () => {
  // Long 1 ETH opened at $1,000, mark $1,000, MMR 5 %: maintenance $50, equity = cash.
  const edge = fakeSnapshot([
    { ...fakeLong(1, 0, 1), cashUsd: usd(50) }, // exactly at maintenance: not below
    { ...fakeLong(2, 0, 1), cashUsd: usd(50) - 1n }, // one wei below maintenance
    { ...fakeLong(3, 0, 0), cashUsd: -usd(5) }, // no positions: never liquidatable, but below zero
    { ...fakeLong(4, 0, 1), cashUsd: -1n }, // one wei below zero, with a position
    { ...fakeLong(5, 0, 1), cashUsd: 0n }, // exactly zero equity
  ]);

  it("at maintenance: exactly at it is out, one wei below is in, an account without positions never", () => {
    expect(findRowsBelow(columnsOf(edge), [prepareMarginScreen(edge)]).map((r) => [...r])).toEqual([[1, 3, 4]]);
  });

  it("with the equity screen: one wei below zero is in, exactly zero is out, positions or not", () => {
    expect(findRowsBelow(columnsOf(edge), [prepareMarginScreen(edge, { maintenance: false })]).map((r) => [...r])).toEqual([[2, 3]]);
  });

  it("several screens in one pass answer each as if alone, in the order given; no screen, no answer", () => {
    const crash = { ...edge, markets: edge.markets.map((m) => ({ ...m, markPriceWad: usd(900) })) };
    const screens = [prepareMarginScreen(crash), prepareMarginScreen(edge), prepareMarginScreen(edge, { maintenance: false })];
    // At $900 every long has lost $100: all four with a position are below their $45 maintenance.
    expect(findRowsBelow(columnsOf(edge), screens).map((r) => [...r])).toEqual([[0, 1, 3, 4], [1, 3, 4], [2, 3]]);
    expect(findRowsBelow(columnsOf(edge), [])).toEqual([]);
  });

  it("an empty book has an empty answer per screen", () => {
    const empty = fakeSnapshot([]);
    expect(findRowsBelow(columnsOf(empty), [prepareMarginScreen(empty)]).map((r) => r.length)).toEqual([0]);
  });

  it("returns every row past its first buffer of 64, ascending", () => {
    const s = syntheticSnapshot(400, { seed: 4 });
    const crash = withMarks(s, [-75, -75, -75]);
    const [rows] = findRowsBelow(columnsOf(s), [prepareMarginScreen(crash)]);
    expect(rows!.length).toBeGreaterThan(64);
    expect([...rows!]).toEqual(liquidatableRows(crash, s));
  });

  it("test_fuzz_each_screen_equals_the_bigint_engine: random books near maintenance, three price vectors, both lines", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.array(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
        (seed, moves) => {
          const s = syntheticSnapshot(200, { seed, nearMaintenance: 0.3 });
          const prices = moves.map((pct) => withMarks(s, pct));
          const screens = prices.flatMap((p) => [prepareMarginScreen(p), prepareMarginScreen(p, { maintenance: false })]);
          const expected = prices.flatMap((p) => [liquidatableRows(p, s), negativeRows(p, s)]);
          expect(findRowsBelow(columnsOf(s), screens).map((r) => [...r])).toEqual(expected);
        },
      ),
      { numRuns: 25, seed: 15 },
    );
  });
});
