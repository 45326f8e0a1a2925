/**
 * An account's display figures — equity and notional in cents, health and leverage to 10⁻⁴, the
 * nearest distance to liquidation to 10⁻⁶, whether it is liquidatable, and each position's ADL
 * score — in float64 straight from the columns (marginScreen's sums), each with an error bound,
 * so that a venue whose prices all moved is valued without a bigint per account.
 *
 * The exact figures (lib/server/views' accountRowOf, adlEntriesOf) are floats of the exact
 * integers of computeAccountRisk, rounded:
 *
 *   equity, notional   round(Number(x) / 1e18 · 100) / 100
 *   health             round(Number(E) / Number(MM) · 10⁴) / 10⁴     (null: no position, MM = 0)
 *   leverage           round(Number(N) / Number(E) · 10⁴) / 10⁴      (null: no position, E ≤ 0)
 *   distance           round(d · 10⁶) / 10⁶, d the nearest of computeHealth's liquidationDistances
 *
 * Here every underlying integer (E, N, MM, each position's uPnL and liquidation numerator) is
 * held as an interval [x̃ − ε, x̃ + ε] with marginScreen's bound (γ_K · the sum of |terms|, plus
 * the contract's floors and ceils); each figure is the interval pushed through its formula. When
 * the whole interval, widened by 2⁻⁴⁴ of itself for the exact path's own roundings (≤ 4 ulp),
 * rounds to one value, that value is the exact path's, bit for bit; when it straddles a rounding
 * boundary (or a sign, or a tie between two positions' distances) `screenFigures` says so and the
 * caller values the account exactly. Example: a $10,000 account in 3 markets, 2 collaterals is
 * known to ±$2·10⁻¹⁰: its equity in cents is ambiguous only within that of a half cent, about one
 * account in 10⁸.
 *
 * An ADL score comes with its own bound (scores apart by more than both bounds are ordered by
 * their floats; otherwise the decimals decide: engine/adl, lib/server/followBlockViews).
 */

import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import type { AccountRisk } from "../margin/computeAccountRisk.ts";
import { healthRatio, leverageOf, liquidationDistances } from "../margin/computeHealth.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { signedValue, WAD } from "../math/wad.ts";
import { readExact } from "../columnar/exactColumn.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";
import { prepareMarginScreen, screenBound, screenMargin, type MarginScreen, type Prices } from "./marginScreen.ts";

/** The floats screenFigures needs per price vector, prepared once: marginScreen's for equity (λ = 0), and per market what the margins and distances take. */
export interface FigureScreen extends MarginScreen {
  maintenanceRatio: Float64Array;
  /** Per market, Number(1e18 − mmr) and Number(1e18 + mmr): a long's and a short's liquidation denominator per unit of size. */
  longFactor: Float64Array;
  shortFactor: Float64Array;
  markWad: Float64Array;
  /** Per market, the mark itself: a position's uPnL to the wei where its float cannot tell its sign. */
  mark: bigint[];
}

/** One account's figures, written by screenFigures: NaN where the exact figure is null. Per market m, the position's ADL score and its bound (NaN: no position). */
export interface Figures {
  equityUsd: number;
  notionalUsd: number;
  health: number;
  leverage: number;
  distanceToLiquidation: number;
  liquidatable: boolean;
  adlScore: Float64Array;
  adlBound: Float64Array;
  /**
   * What system risk classifies an account by (engine ScreenedRisk), from the same bounds: the
   * sign of its equity (−1 below 0 for sure, 1 above, 0 the floats cannot tell) and an interval
   * [healthLow, healthHigh] that holds equity / MM, before any rounding (NaN: no position).
   */
  equitySign: number;
  healthLow: number;
  healthHigh: number;
}

const U = 2 ** -53;
/** The slack for the exact path's own roundings of a figure (a handful of ulp) and this one's. */
const SLACK = 2 ** -44;

export function prepareFigureScreen(prices: Prices): FigureScreen {
  return {
    ...prepareMarginScreen(prices, { maintenance: false }),
    maintenanceRatio: new Float64Array(prices.markets.map((m) => Number(m.params.mmrWad) / 1e18)),
    longFactor: new Float64Array(prices.markets.map((m) => Number(WAD - m.params.mmrWad))),
    shortFactor: new Float64Array(prices.markets.map((m) => Number(WAD + m.params.mmrWad))),
    markWad: new Float64Array(prices.markets.map((m) => Number(m.markPriceWad))),
    mark: prices.markets.map((m) => m.markPriceWad),
  };
}

/** Scratch for screenFigures, one per caller. */
export function createFigures(markets: number): Figures {
  return { equityUsd: NaN, notionalUsd: NaN, health: NaN, leverage: NaN, distanceToLiquidation: NaN, liquidatable: false, adlScore: new Float64Array(markets), adlBound: new Float64Array(markets), equitySign: 0, healthLow: NaN, healthHigh: NaN };
}

/** round(x · per) / per for every x in [lo, hi] (widened by SLACK), or NaN when they do not all round alike. −0 is 0. */
function roundedWithin(lo: number, hi: number, per: number): number {
  const a = lo * per;
  const b = hi * per;
  const slack = SLACK * Math.max(Math.abs(a), Math.abs(b));
  const k = Math.round(a - slack);
  return k === Math.round(b + slack) ? k / per + 0 : NaN;
}

/** The same rounding as the exact path applies it to a float: round(x · per) / per, −0 made 0. */
function roundFigure(x: number, per: number): number {
  return Math.round(x * per) / per + 0;
}

/** Per market, the row's position terms (scratch: a row's pass allocates nothing). */
const terms = { value: new Float64Array(8), open: new Float64Array(8), margin: new Float64Array(8) };

/**
 * `row`'s figures into `out`; false when one of them cannot be told from the floats (the caller
 * values the account exactly then; `out` is then partly written).
 */
export function screenFigures(columnar: ColumnarSnapshot, row: number, screen: FigureScreen, out: Figures): boolean {
  const nM = columnar.sizeBase.length;
  if (terms.value.length < nM) for (const key of ["value", "open", "margin"] as const) terms[key] = new Float64Array(nM);
  const { value, open, margin } = terms;
  const g2 = 2 * screen.gamma;
  // Equity and its bound: marginScreen's at λ = 0 (the same sum of |terms|, the same floors).
  const equity = screenMargin(columnar, row, screen);
  const magnitude = screen.magnitude;
  const errE = screenBound(screen);
  let notional = 0;
  let mm = 0;
  let positions = 0;
  for (let m = 0; m < nM; m++) {
    const s = columnar.sizeBase[m]!.hi[row]!;
    out.adlScore[m] = NaN;
    out.adlBound[m] = NaN;
    if (s === 0) continue;
    positions++;
    const v = s * screen.markUsd[m]!;
    const a = Math.abs(v);
    value[m] = v;
    open[m] = columnar.openNotionalUsd[m]!.hi[row]!;
    margin[m] = a * screen.maintenanceRatio[m]!;
    notional += a;
    mm += margin[m]!;
  }
  const errN = g2 * notional + nM + 1;
  const errM = g2 * mm + 2 * nM + 1;
  const eLo = equity - errE;
  const eHi = equity + errE;
  out.equitySign = eHi < 0 ? -1 : eLo > 0 ? 1 : 0;
  out.healthLow = out.healthHigh = NaN;
  out.equityUsd = roundedWithin(eLo / 1e18, eHi / 1e18, 100);
  out.notionalUsd = roundedWithin(Math.max(0, notional - errN) / 1e18, (notional + errN) / 1e18, 100);
  if (Number.isNaN(out.equityUsd) || Number.isNaN(out.notionalUsd)) return false;
  if (positions === 0) {
    out.health = out.leverage = out.distanceToLiquidation = NaN;
    out.liquidatable = false;
    return true;
  }
  // Liquidatable ⇔ E < MM; health E / MM (MM > 0 known, or the exact path decides).
  const margined = equity - mm;
  const errD = g2 * (magnitude + mm) + errE + errM;
  if (Math.abs(margined) <= errD || mm - errM <= 0) return false;
  out.liquidatable = margined < 0;
  const mLo = mm - errM;
  const mHi = mm + errM;
  out.healthLow = eLo >= 0 ? eLo / mHi : eLo / mLo;
  out.healthHigh = eHi >= 0 ? eHi / mLo : eHi / mHi;
  out.health = roundedWithin(out.healthLow, out.healthHigh, 1e4);
  if (Number.isNaN(out.health)) return false;
  // Leverage: N / E when E > 0 (E an integer: Ẽ + ε < 1 means E ≤ 0).
  const positive = eLo >= 1;
  if (positive) out.leverage = roundedWithin(Math.max(0, notional - errN) / eHi, (notional + errN) / eLo, 1e4);
  else if (eHi < 1) out.leverage = NaN;
  else return false;
  if (positive && Number.isNaN(out.leverage)) return false;
  // Per position: the liquidation distance n·10³⁶ / (d·mark) − 1 (computeHealth) and the ADL score.
  let nearestLo = Infinity;
  let nearestHi = Infinity;
  let secondLo = Infinity;
  // The nearest distance's interval (NaN: no position has one).
  let nearestFrom = NaN;
  let nearestTo = NaN;
  if (positive && notional - errN <= 0) return false; // N may be 0: the exact scores divide by it
  for (let m = 0; m < nM; m++) {
    const s = columnar.sizeBase[m]!.hi[row]!;
    if (s === 0) continue;
    const v = value[m]!;
    const on = open[m]!;
    const upnl = v - on;
    const errU = g2 * (Math.abs(v) + Math.abs(on)) + 1;
    // n = MM − MM_p − (E − uPnL_p) + ON_p; d = s·(1e18 ∓ mmr), exact to 3 ulp.
    const n = mm - margin[m]! - (equity - upnl) + on;
    const errNum = errM + errE + errU + g2 * (mm + magnitude + 2 * (Math.abs(v) + Math.abs(on))) + 4;
    const d = s * (s > 0 ? screen.longFactor[m]! : screen.shortFactor[m]!);
    if (d !== 0) {
      if (Math.abs(n) <= errNum) return false;
      if (n > 0 === d > 0) {
        const dm = d * screen.markWad[m]!;
        const qa = ((n - errNum) * 1e36) / dm;
        const qb = ((n + errNum) * 1e36) / dm;
        // The exact path's quotient is a few roundings off the real one, as this one is: 16 ulp of q, before the − 1.
        const widen = 16 * U * Math.max(Math.abs(qa), Math.abs(qb));
        const lo = Math.min(qa, qb) - widen - 1;
        const hi = Math.max(qa, qb) + widen - 1;
        const absLo = lo > 0 ? lo : hi < 0 ? -hi : 0;
        const absHi = Math.max(Math.abs(lo), Math.abs(hi));
        if (absLo < nearestLo) {
          secondLo = nearestLo;
          nearestLo = absLo;
          nearestHi = absHi;
          nearestFrom = lo;
          nearestTo = hi;
        } else secondLo = Math.min(secondLo, absLo);
      }
    }
    // ADL score (adlEntriesOf): uPnL > 0 and ON ≠ 0: (uPnL/|ON|)·(N/E); otherwise (uPnL/|ON|)/(N/E) when E > 0, else 0.
    const uLo = upnl - errU;
    const uHi = upnl + errU;
    const onAbs = Math.abs(on);
    // The score's interval [scoreLo, scoreHi]: 0 exactly unless a branch says otherwise.
    let scoreLo = 0;
    let scoreHi = 0;
    if (on !== 0 && uLo >= 1) {
      // E ≤ 0: the exact score is uPnL·∞, ordered by its decimals: left to the exact path.
      if (!positive) return false;
      scoreLo = (uLo / (onAbs * (1 + 2 * U))) * (Math.max(0, notional - errN) / eHi);
      scoreHi = (uHi / (onAbs * (1 - 2 * U))) * ((notional + errN) / eLo);
    } else if (on === 0 || uHi < 1) {
      // uPnL ≤ 0 (an integer below 1), or no open notional (pnl% 0): with E > 0 and ON ≠ 0 the most negative end is uLo/|ON|·E_hi/N_lo; else 0.
      if (positive && on !== 0) {
        scoreLo = (uLo / (onAbs * (1 - 2 * U))) * (eHi / Math.max(0, notional - errN));
        scoreHi = (Math.min(uHi, 0) / (onAbs * (1 + 2 * U))) * (eLo / (notional + errN));
      }
    } else if (signedValue(readExact(columnar.sizeBase[m]!, row), screen.mark[m]!) !== readExact(columnar.openNotionalUsd[m]!, row)) return false;
    // (Else uPnL's sign unknown to the floats, and uPnL exactly 0 — a position opened at the mark, which has not moved since: score 0, exact.)
    // Its midpoint and half-width, each end a few roundings off: widened by 8 ulp. (Written here, not by a
    // function: doubles passed to a call that is not inlined are boxed, an allocation each — at
    // 1,000,000 accounts ~40 MB a block for the collector.)
    out.adlScore[m] = (scoreLo + scoreHi) / 2;
    out.adlBound[m] = (scoreHi - scoreLo) / 2 + 8 * U * Math.max(Math.abs(scoreLo), Math.abs(scoreHi));
  }
  if (Number.isNaN(nearestFrom)) out.distanceToLiquidation = NaN;
  else {
    // The nearest must be nearer than every other for sure, then rounded alike over its interval.
    if (nearestHi >= secondLo) return false;
    out.distanceToLiquidation = roundedWithin(nearestFrom, nearestTo, 1e6);
    if (Number.isNaN(out.distanceToLiquidation)) return false;
  }
  return true;
}

/**
 * The same figures from the account's exact risk (computeAccountRisk): healthRatio, leverageOf and
 * the nearest of liquidationDistances, rounded as the header says. What screenFigures agrees with,
 * and what an account it cannot tell is shown with. (No ADL scores: adlEntriesOf has them.)
 */
export function exactFigures(prices: Pick<ProtocolSnapshot, "markets">, account: Account, risk: AccountRisk, out: Figures): Figures {
  const health = healthRatio(risk);
  const leverage = leverageOf(risk);
  let nearest: number | null = null;
  for (const d of liquidationDistances(prices, account, risk)) if (d !== null && (nearest === null || Math.abs(d) < Math.abs(nearest))) nearest = d;
  out.equityUsd = roundFigure(Number(risk.equityUsd) / 1e18, 100);
  out.notionalUsd = roundFigure(Number(risk.notionalUsd) / 1e18, 100);
  out.health = health === null ? NaN : roundFigure(health, 1e4);
  out.leverage = leverage === null ? NaN : roundFigure(leverage, 1e4);
  out.distanceToLiquidation = nearest === null ? NaN : roundFigure(nearest, 1e6);
  out.liquidatable = isLiquidatable(risk);
  return out;
}
