import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { arbitraryBlockChange, nextBlock } from "../testing/blockChanges.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { computeSystemRisk, followSystemRisk, HEALTH_BUCKETS } from "./computeSystemRisk.ts";

/** The histogram as { label: count } with only the non-empty buckets. */
const counts = (histogram: { label: string; count: number }[]) => Object.fromEntries(histogram.filter((b) => b.count > 0).map((b) => [b.label, b.count]));

describe("computeSystemRisk", () => {
  // ETH-PERP at $1,000, MMR 5 %: a long of 1 ETH opened at $1,000 has no PnL and $50 of maintenance, so health = cash / 50.
  const book = fakeSnapshot(
    [
      fakeLong(1, 45, 1), // health 0.9: liquidatable
      fakeLong(2, 65, 1), // 1.3
      fakeLong(3, 200, 1), // 4
      fakeLong(4, -30, 1), // −0.6: liquidatable, $30 of deficit
      fakeLong(5, 500, 0, 1), // no position; 1 WETH at $1,000 weighted 80 % = $800
      fakeLong(6, 50, 1), // exactly at maintenance: health 1, not liquidatable
    ],
    { longOi: 5 },
  );
  const risk = computeSystemRisk(book, { nearest: 3 });

  it("TVL is every deposit at its price before haircuts: $1M of USDC and 1 WETH at $1,000", () => {
    expect(risk.tvlUsd).toBe(usd(1_001_000));
  });

  it("weighted collateral and total equity are the sums over accounts: $800; 45 + 65 + 200 − 30 + 1,300 + 50 = $1,630", () => {
    expect(risk.weightedCollateralUsd).toBe(usd(800));
    expect(risk.totalEquityUsd).toBe(usd(1630));
  });

  it("counts only accounts with positions, and lists as liquidatable those below maintenance, not the one exactly at it", () => {
    expect(risk.accountsWithPositions).toBe(5);
    expect(risk.liquidatable).toEqual([fakeAddress(1), fakeAddress(4)]);
  });

  it("the unrecognised deficit is the negative equity's absolute value: $30", () => {
    expect(risk.unrecognisedDeficitUsd).toBe(usd(30));
  });

  it("buckets health as the header says: 0.9 and −0.6 under 1, 1 in 1–1.1, 1.3 in 1.25–1.5, 4 in 3–5", () => {
    expect(risk.healthHistogram.map((b) => b.label)).toEqual(HEALTH_BUCKETS.map((b) => b.label));
    expect(counts(risk.healthHistogram)).toEqual({ "< 1": 2, "1–1.1": 1, "1.25–1.5": 1, "3–5": 1 });
  });

  it("the nearest to liquidation come lowest health first, as many as asked for", () => {
    expect(risk.nearestToLiquidation).toEqual([
      { address: fakeAddress(4), health: -0.6, equityUsd: -usd(30), maintenanceMarginUsd: usd(50) },
      { address: fakeAddress(1), health: 0.9, equityUsd: usd(45), maintenanceMarginUsd: usd(50) },
      { address: fakeAddress(6), health: 1, equityUsd: usd(50), maintenanceMarginUsd: usd(50) },
    ]);
  });

  it("per market: 5 ETH long at $1,000 is $5,000 of open interest, 0.05 % of the $10M cap; the largest position $1,000 is a fifth of it", () => {
    expect(risk.markets).toEqual([{ marketId: 0, openInterestUsd: usd(5000), oiCapUsd: usd(10_000_000), utilisation: 0.0005, largestPositionUsd: usd(1000), largestShare: 0.2 }]);
  });

  it("one wei under maintenance is liquidatable and under 1, though its health rounds to 1", () => {
    const edge = computeSystemRisk(fakeSnapshot([{ ...fakeLong(1, 0, 1), cashUsd: usd(50) - 1n }]));
    expect(edge.liquidatable).toEqual([fakeAddress(1)]);
    expect(counts(edge.healthHistogram)).toEqual({ "< 1": 1 });
    expect(edge.unrecognisedDeficitUsd).toBe(0n);
  });

  it("a short's largest position counts by its absolute size", () => {
    const short = { ...fakeLong(1, 1000, 0), positions: [{ marketId: 0, sizeBase: -usd(3), openNotionalUsd: -usd(3000) }] };
    const s = computeSystemRisk(fakeSnapshot([short, fakeLong(2, 100, 1)], { longOi: 1, shortOi: 3 }));
    expect(s.markets[0]!.largestPositionUsd).toBe(usd(3000));
  });

  it("an empty book has zeros everywhere, empty buckets and no nearest accounts", () => {
    const empty = computeSystemRisk(fakeSnapshot([]));
    expect(empty).toMatchObject({ weightedCollateralUsd: 0n, totalEquityUsd: 0n, accountsWithPositions: 0, liquidatable: [], unrecognisedDeficitUsd: 0n, nearestToLiquidation: [] });
    expect(counts(empty.healthHistogram)).toEqual({});
    expect(empty.markets[0]).toMatchObject({ openInterestUsd: 0n, utilisation: 0, largestPositionUsd: 0n, largestShare: 0 });
  });
});

describe("followSystemRisk", () => {
  it("test_fuzz_followed_system_risk_equals_from_scratch: block after block of edits, new accounts, deficits, price moves", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(arbitraryBlockChange, { minLength: 1, maxLength: 8 }), (seed, changes) => {
        let s = syntheticSnapshot(120, { seed });
        let last = followSystemRisk(s, undefined, { nearest: 10 });
        for (const change of changes) {
          const previous = s;
          s = nextBlock(s, change);
          last = followSystemRisk(s, { snapshot: previous, rows: last.rows }, { nearest: 10 });
          expect(last.risk).toEqual(computeSystemRisk(s, { nearest: 10 }));
        }
      }),
      { numRuns: 120, seed: 81 },
    );
  });

  it("follows each market's largest position as it shrinks, as another grows past it and closes: the figure from scratch each block", () => {
    let s = syntheticSnapshot(200, { seed: 17 });
    const mark = s.markets[0]!.markPriceWad;
    const notional = (row: number) => {
      const size = s.accounts[row]!.positions.find((p) => p.marketId === 0)?.sizeBase ?? 0n;
      return ((size < 0n ? -size : size) * mark) / 10n ** 18n;
    };
    const rowsInMarket = s.accounts.flatMap((a, row) => (a.positions.some((p) => p.marketId === 0) ? [row] : []));
    const [top, other] = rowsInMarket.sort((a, b) => (notional(b) > notional(a) ? 1 : notional(b) < notional(a) ? -1 : 0));
    let last = followSystemRisk(s, undefined);
    const largest = () => last.risk.markets[0]!.largestPositionUsd;
    expect(largest()).toBe(notional(top!));
    const scale = (row: number, by: bigint, per: bigint) => (t: typeof s) => ({ ...t, accounts: t.accounts.map((a, r) => (r === row ? { ...a, positions: a.positions.map((p) => ({ ...p, sizeBase: (p.sizeBase * by) / per, openNotionalUsd: (p.openNotionalUsd * by) / per })) } : a)) });
    const blocks = [scale(top!, 1n, 1000n), scale(other!, 50n, 1n), (t: typeof s) => ({ ...t, accounts: t.accounts.map((a, r) => (r === other ? { ...a, positions: [] } : a)) })];
    const seen: bigint[] = [];
    const [otherWas, otherGrown] = [notional(other!), notional(other!) * 50n];
    for (const next of blocks) {
      const previous = s;
      s = { ...next(s), blockNumber: s.blockNumber + 1n };
      last = followSystemRisk(s, { snapshot: previous, rows: last.rows });
      expect(last.risk).toEqual(computeSystemRisk(s));
      seen.push(largest());
    }
    // The top shrunk: the second one leads; grown 50 times, it leads by far (its notional within 50 wei of 50 times its last); closed, the third leads.
    expect(seen[0]).toBe(otherWas);
    expect(seen[1]! - otherGrown).toBeGreaterThanOrEqual(0n);
    expect(seen[1]! - otherGrown).toBeLessThan(50n);
    expect(seen[2]).toBeLessThan(otherWas);
  });
});
