/**
 * The reference pinned by hand on the fake venue (ETH-PERP at $1,000, MMR 5 %, penalty 2 %,
 * keeper share 50 %): the fast path is fuzzed against it in screen/aggregates.test.ts, so it must be right on its own.
 */
import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { computeSystemRiskExact } from "./computeSystemRiskExact.ts";

// Long 1 ETH from $1,000 at a $1,000 mark: no PnL, $50 of maintenance, health = cash / 50.
const book = fakeSnapshot([
  fakeLong(1, 45, 1), // 0.9
  fakeLong(2, 50, 1), // exactly 1
  fakeLong(3, -30, 1), // −0.6
  fakeLong(4, 500, 0, 1), // no position; 1 WETH weighted $800
  { ...fakeLong(5, 1000, 0), positions: [{ marketId: 0, sizeBase: -usd(3), openNotionalUsd: -usd(3000) }] }, // short 3: health 1000 / 150
]);

describe("computeSystemRiskExact", () => {
  const risk = computeSystemRiskExact(book, { nearest: 2 });

  it("sums collateral and equity over every account, and the negative equity apart", () => {
    expect(risk.weightedCollateralUsd).toBe(usd(800));
    expect(risk.totalEquityUsd).toBe(usd(45 + 50 - 30 + 1300 + 1000));
    expect(risk.unrecognisedDeficitUsd).toBe(usd(30));
  });

  it("counts, lists and buckets only accounts with positions; nearest first, as many as asked for", () => {
    expect(risk.accountsWithPositions).toBe(4);
    expect(risk.liquidatable).toEqual([fakeAddress(1), fakeAddress(3)]);
    expect(Object.fromEntries(risk.healthHistogram.filter((b) => b.count).map((b) => [b.label, b.count]))).toEqual({ "< 1": 2, "1–1.1": 1, "≥ 5": 1 });
    expect(risk.nearestToLiquidation.map((n) => [n.address, n.health])).toEqual([[fakeAddress(3), -0.6], [fakeAddress(1), 0.9]]);
  });

  it("each market's largest position by absolute notional: the $3,000 short", () => {
    expect(risk.largestPositionUsd).toEqual([usd(3000)]);
  });
});
