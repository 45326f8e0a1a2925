/**
 * What a proposal does across the moves plausible before it executes, not only at today's prices.
 * The proposal executes after the voting delay, the voting period and the timelock delay; prices
 * move meanwhile, and an account a margin change leaves just safe today may not be at execution.
 *
 *   newly(P) = accounts liquidatable at prices P under the proposed parameters and not under the
 *              current ones (both exact: the engine's screen with bigint re-check)
 *
 * - sensitivity strip: newly(P), its notional and its liquidation cost with one market's mark
 *   moved −R % … +R % in steps, every other price fixed (a collateral priced by that market's
 *   feed, as WETH by ETH's, moves with it). The cost of liquidating each of those accounts at P,
 *   as LiquidationLogic charges it: the penalty it pays (min(Σ notional·penalty, max(equity, 0)),
 *   to the keeper and the insurance fund) and its deficit beyond collateral (max(−equity, 0),
 *   drawn from the insurance fund, then the default fund, then ADL);
 * - band: newly(P_k) over K simulated terminal prices P_k = mark · exp(σ√T·z − σ²T/2), z
 *   correlated normals (Cholesky of the measured correlation), T the time left to execution —
 *   its mean and its 5th, 50th and 95th percentiles (nearest rank);
 * - cliffs: adjacent strip points (one step apart) whose counts differ by more than `cliffFactor`
 *   times (and by at least 5 accounts): a small move flips many accounts at once.
 *
 * Example: ETH-PERP MMR 5 % → 10 % on the demo: 6 accounts newly liquidatable at today's prices;
 * with σ ≈ 5.8·10⁻⁴/√s over a day the band is about 2–40: the description carries that band,
 * not the 6 alone.
 */

import { columnarAccount } from "../columnar/columnarSnapshot.ts";
import { columnarOf } from "../columnar/columnarOf.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { seededRandom } from "../math/random.ts";
import { findLiquidatableAcross, pricesOf, type PriceScenario } from "../screen/findLiquidatableAcross.ts";
import { marginVerdict, prepareMarginScreen } from "../screen/marginScreen.ts";
import type { PriceProcess } from "../scenarios/estimatePriceProcess.ts";
import type { ProtocolSnapshot } from "../types.ts";

export interface PreviewBandOptions {
  process: Pick<PriceProcess, "volPerSqrtSec" | "correlation">;
  /** Seconds from the snapshot to execution. */
  horizonSec: number;
  paths?: number;
  seed?: number;
  stripRangePct?: number;
  stripStepPct?: number;
  cliffFactor?: number;
}

export interface StripPoint {
  movePct: number;
  newlyLiquidatable: number;
  /** Σ notional of those accounts at the moved price, USD WAD. */
  notionalUsd: bigint;
  /** Σ liquidation penalties those accounts would pay, USD WAD. */
  penaltiesUsd: bigint;
  /**
   * Σ of their deficits beyond collateral: what liquidating them draws from the reserves, USD WAD.
   * 0 for a margin change (an account newly liquidatable is above the current maintenance, so
   * solvent); a collateral's weight lowered can leave one below zero.
   */
  reserveDrawUsd: bigint;
}

export interface PreviewBand {
  horizonSec: number;
  /** newly liquidatable at the snapshot's prices. */
  point: number;
  expected: number;
  p5: number;
  p50: number;
  p95: number;
  paths: number;
  strip: { marketId: number; symbol: string; points: StripPoint[] }[];
  cliffs: { marketId: number; symbol: string; fromPct: number; toPct: number; from: number; to: number }[];
}

/** Lower-triangular L with L·Lᵀ = c; a matrix that is not positive definite is shrunk toward the identity until it is. */
function cholesky(c: readonly (readonly number[])[]): number[][] {
  for (let shrink = 0; shrink <= 1; shrink += 0.1) {
    const n = c.length;
    const l = c.map(() => new Array<number>(n).fill(0));
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = i === j ? 1 : (1 - shrink) * c[i]![j]!;
        for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
        if (i === j) {
          if (sum <= 0) ok = false;
          else l[i]![i] = Math.sqrt(sum);
        } else l[i]![j] = sum / l[j]![j]!;
      }
    }
    if (ok) return l;
  }
  return c.map((_, i) => c.map((__, j) => (i === j ? 1 : 0)));
}

const SCALE = 10n ** 12n;
const scaled = (wad: bigint, factor: number) => (wad * BigInt(Math.round(factor * 1e12))) / SCALE;

const rank = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;

/** The strip, the band and the cliffs of a proposal (`after` = applyChanges(before, changes)). */
export function previewBand(before: ProtocolSnapshot, after: ProtocolSnapshot, { process, horizonSec, paths = 400, seed = 1, stripRangePct = 10, stripStepPct = 1, cliffFactor = 3 }: PreviewBandOptions): PreviewBand {
  const columnar = columnarOf(before);
  const afterVenue = { markets: after.markets, collaterals: after.collaterals };
  const marks = before.markets.map((m) => m.markPriceWad);
  // A collateral priced by a market's feed (WETH by ETH's) moves with that market.
  const follows = before.collaterals.map((c) => before.markets.findIndex((m) => m.feedId === c.feedId));
  const scenarioAt = (factors: readonly number[]): PriceScenario => ({
    markPricesWad: marks.map((mark, i) => scaled(mark, factors[i]!)),
    collateralPricesWad: before.collaterals.map((c, j) => (follows[j]! >= 0 ? scaled(c.priceWad, factors[follows[j]!]!) : c.priceWad)),
  });
  // Newly liquidatable ⊆ liquidatable under the proposal: screen every row under it, then ask the
  // current parameters only about those few rows (each verdict exact: screen, else bigint).
  const beforeVenue = { markets: before.markets, collaterals: before.collaterals };
  const newlyAt = (scenarios: PriceScenario[]) =>
    findLiquidatableAcross(columnar, scenarios, { venue: afterVenue }).map((rows, k) => {
      const screen = prepareMarginScreen(pricesOf(beforeVenue, scenarios[k]!));
      return Array.from(rows).filter((row) => marginVerdict(columnar, row, screen) === 1);
    });

  // Sensitivity strip: one market moved at a time.
  const moves: number[] = [];
  for (let pct = -stripRangePct; pct <= stripRangePct + 1e-9; pct += stripStepPct) moves.push(Math.round(pct * 100) / 100);
  const stripScenarios = before.markets.flatMap((_, m) => moves.map((pct) => scenarioAt(marks.map((__, i) => (i === m ? 1 + pct / 100 : 1)))));
  const stripRows = newlyAt(stripScenarios);
  const strip = before.markets.map((market, m) => ({
    marketId: market.id,
    symbol: market.symbol,
    points: moves.map((movePct, j): StripPoint => {
      const k = m * moves.length + j;
      const prices = pricesOf(afterVenue, stripScenarios[k]!);
      const point: StripPoint = { movePct, newlyLiquidatable: stripRows[k]!.length, notionalUsd: 0n, penaltiesUsd: 0n, reserveDrawUsd: 0n };
      for (const row of stripRows[k]!) {
        const risk = computeAccountRisk(prices, columnarAccount(columnar, row));
        point.notionalUsd += risk.notionalUsd;
        point.penaltiesUsd += keeperReward(prices, risk).penaltyUsd;
        if (risk.equityUsd < 0n) point.reserveDrawUsd -= risk.equityUsd;
      }
      return point;
    }),
  }));
  const cliffs = strip.flatMap((s) =>
    s.points.slice(1).flatMap((p, j) => {
      const q = s.points[j]!;
      const [lo, hi] = [Math.min(p.newlyLiquidatable, q.newlyLiquidatable), Math.max(p.newlyLiquidatable, q.newlyLiquidatable)];
      return hi - lo >= 5 && hi > cliffFactor * Math.max(1, lo) ? [{ marketId: s.marketId, symbol: s.symbol, fromPct: q.movePct, toPct: p.movePct, from: q.newlyLiquidatable, to: p.newlyLiquidatable }] : [];
    }),
  );

  // Band: correlated terminal prices over the horizon.
  const rng = seededRandom(seed);
  const l = cholesky(process.correlation);
  const sd = process.volPerSqrtSec.map((v) => v * Math.sqrt(Math.max(0, horizonSec)));
  const mcScenarios: PriceScenario[] = Array.from({ length: paths }, () => {
    const eps = marks.map(() => rng.normal());
    return scenarioAt(marks.map((_, i) => Math.exp((sd[i] ?? 0) * l[i]!.reduce((z, lij, j) => z + lij * eps[j]!, 0) - (sd[i] ?? 0) ** 2 / 2)));
  });
  const counts = newlyAt(mcScenarios).map((rows) => rows.length).sort((a, b) => a - b);
  const point = newlyAt([scenarioAt(marks.map(() => 1))])[0]!.length;
  return {
    horizonSec,
    point,
    expected: counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length),
    p5: rank(counts, 0.05),
    p50: rank(counts, 0.5),
    p95: rank(counts, 0.95),
    paths,
    strip,
    cliffs,
  };
}
