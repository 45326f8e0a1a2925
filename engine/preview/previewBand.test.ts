import { describe, expect, it } from "vitest";
import { accountOf, begin, rollback, workingCopy } from "../liquidation/applyTrade.ts";
import { liquidateInPlace } from "../liquidation/simulateLiquidation.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { seededRandom } from "../math/random.ts";
import { estimatePriceProcess, type PricePost } from "../scenarios/estimatePriceProcess.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { applyChanges } from "./applyChanges.ts";
import { previewBand } from "./previewBand.ts";

/** Fake venue (engine/testing): 2,000 accounts, 5 % near maintenance; ETH-PERP's MMR doubled. */
const before = syntheticSnapshot(2_000, { seed: 3, nearMaintenance: 0.05 });
const eth = before.markets[0]!;
const after = applyChanges(before, [{ kind: "setMarketParams", marketId: 0, params: { ...eth.params, mmrWad: eth.params.mmrWad * 2n, imrWad: eth.params.imrWad * 2n } }]).snapshot;
const calm = { volPerSqrtSec: [0, 0, 0], correlation: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
const day = { volPerSqrtSec: [6e-4, 5e-4, 8e-4], correlation: [[1, 0.8, 0.7], [0.8, 1, 0.6], [0.7, 0.6, 1]] };

/** A snapshot at given marks (a collateral on a market's feed follows it). */
const at = (s: ProtocolSnapshot, marks: bigint[]): ProtocolSnapshot => ({
  ...s,
  markets: s.markets.map((m, i) => ({ ...m, markPriceWad: marks[i]! })),
  collaterals: s.collaterals.map((c) => {
    const m = s.markets.findIndex((x) => x.feedId === c.feedId);
    return m < 0 ? c : { ...c, priceWad: (c.priceWad * ((marks[m]! * 10n ** 12n) / s.markets[m]!.markPriceWad)) / 10n ** 12n };
  }),
});

/** The reference: newly liquidatable by the exact engine, account by account, at given marks. */
function newlyByTheEngine(marks: bigint[]) {
  return before.accounts.filter((a) => isLiquidatable(computeAccountRisk(at(after, marks), a)) && !isLiquidatable(computeAccountRisk(at(before, marks), a)));
}

/** What liquidating each of them costs, by the contract-exact liquidation (each alone, from the same state, by a keeper with ample margin). */
function costByTheEngine(marks: bigint[], accounts: readonly { address: `0x${string}` }[]) {
  const keeper = "0x00000000000000000000000000000000000000ee" as const;
  const state = workingCopy(at(after, marks));
  accountOf(state, keeper).cashUsd = 10n ** 40n;
  let penaltiesUsd = 0n;
  let reserveDrawUsd = 0n;
  for (const { address } of accounts) {
    begin(state);
    const ledger = liquidateInPlace(state, address, keeper);
    rollback(state);
    penaltiesUsd += ledger.penaltyUsd;
    reserveDrawUsd += ledger.deficitUsd;
  }
  return { penaltiesUsd, reserveDrawUsd };
}

describe("previewBand", () => {
  it("the point figure and every strip point equal the exact engine's count, and the strip's cost its liquidations' penalties and deficits, at those prices", () => {
    const band = previewBand(before, after, { process: calm, horizonSec: 86_400, paths: 10 });
    expect(band.point).toBe(newlyByTheEngine(before.markets.map((m) => m.markPriceWad)).length);
    expect(band.point).toBeGreaterThan(0);
    for (const s of band.strip) {
      for (const p of s.points.filter((_, j) => j % 5 === 0)) {
        const marks = before.markets.map((m) => (m.id === s.marketId ? (m.markPriceWad * BigInt(Math.round((1 + p.movePct / 100) * 1e12))) / 10n ** 12n : m.markPriceWad));
        const newly = newlyByTheEngine(marks);
        expect(p.newlyLiquidatable, `${s.symbol} ${p.movePct}%`).toBe(newly.length);
        const cost = costByTheEngine(marks, newly);
        expect({ penaltiesUsd: p.penaltiesUsd, reserveDrawUsd: p.reserveDrawUsd }, `${s.symbol} ${p.movePct}%`).toEqual(cost);
        if (p.newlyLiquidatable) expect(p.penaltiesUsd, `${s.symbol} ${p.movePct}%: accounts liquidated pay penalties`).toBeGreaterThan(0n);
      }
    }
  });

  it("with no volatility the band is the point figure", () => {
    const band = previewBand(before, after, { process: calm, horizonSec: 86_400, paths: 50 });
    expect([band.p5, band.p50, band.p95, band.expected]).toEqual([band.point, band.point, band.point, band.point]);
  });

  it("with volatility the band widens around the point, in order, and the same seed gives the same band", () => {
    const band = previewBand(before, after, { process: day, horizonSec: 86_400, paths: 300, seed: 7 });
    expect(band.p5).toBeLessThanOrEqual(band.p50);
    expect(band.p50).toBeLessThanOrEqual(band.p95);
    expect(band.p95 - band.p5).toBeGreaterThan(0);
    expect(previewBand(before, after, { process: day, horizonSec: 86_400, paths: 300, seed: 7 })).toEqual(band);
    const soon = previewBand(before, after, { process: day, horizonSec: 600, paths: 300, seed: 7 });
    expect(soon.p95 - soon.p5).toBeLessThan(band.p95 - band.p5); // ten minutes: a narrower band than a day
  });

  it("a cliff is named where one step of the strip flips many accounts at once", () => {
    const band = previewBand(before, after, { process: calm, horizonSec: 0, paths: 1, cliffFactor: 1.5 });
    for (const c of band.cliffs) {
      expect(Math.max(c.from, c.to)).toBeGreaterThan(1.5 * Math.max(1, Math.min(c.from, c.to)));
      expect(Math.abs(c.from - c.to)).toBeGreaterThanOrEqual(5);
    }
  });
});

describe("estimatePriceProcess", () => {
  /** Fake history (a test fixture, not data): a random walk with known σ and a perfect twin. */
  function walk(vol: number, steps: number, dt: number, seed: number): PricePost[] {
    const rng = seededRandom(seed);
    let price = 1000;
    return Array.from({ length: steps }, (_, i) => {
      if (i) price *= Math.exp(vol * Math.sqrt(dt) * rng.normal());
      return { timestampSec: i * dt, price };
    });
  }

  it("recovers a random walk's volatility and correlation, and falls back with too little history", () => {
    const eth = walk(6e-4, 2_000, 12, 1);
    const twin = eth.map((p) => ({ ...p, price: p.price * 2 }));
    const process = estimatePriceProcess([eth, twin, eth.slice(0, 3)]);
    expect(process.volPerSqrtSec[0]! / 6e-4).toBeGreaterThan(0.93);
    expect(process.volPerSqrtSec[0]! / 6e-4).toBeLessThan(1.07);
    expect(process.correlation[0]![1]).toBeCloseTo(1, 9);
    expect(process.fallback).toEqual([false, false, true]);
  });
});
