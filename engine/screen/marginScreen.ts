/**
 * The float screen: an account's margin D = equity − λ·MM (λ = 1: maintenance, liquidatable
 * ⇔ positions and D < 0; λ = 0: equity, negative ⇔ D < 0) in float64 straight from the
 * columns, with an error bound ε proven for every input, so that
 *
 *   D̃ < −ε ⇒ D < 0,   D̃ > ε ⇒ D > 0,   otherwise the exact bigint engine decides.
 *
 * In wei (D̃ = Σ terms, in this order per account):
 *   cash                                          hi(cash)
 *   collateral c    b_c · g_c,   g_c = (Number(q_c)/Number(10^dec_c)) · (Number(w_c)/1e18)
 *   position m      s_m·p_m − ON_m − |s_m·p_m|·λ·mmr_m,   p_m = Number(mark_m)/1e18
 * Each column value is hi = Number(x): one rounding (relative error u = 2⁻⁵³); a price or
 * ratio two (Number, then ÷1e18, which is exact as a double); 10^dec one more. Counting every
 * rounding a term meets — at most 8 before the sum (collateral: b 1, g 6, product 1; a margin
 * term: s 1, p 2, ×1, mmr 2, ×1), then one per later addition, at most nC + 3·nM + 2 — each
 * float term is t·Π(1+δ_j) with K = 16 + 2·(nC + 3·nM) factors or fewer, so (Higham, Accuracy
 * and Stability of Numerical Algorithms, lemma 3.1, γ_K = K·u/(1 − K·u)):
 *
 *   |D̃ − D_real| ≤ γ_K · Σ|t_i| ≤ γ_K · M̃ / (1 − γ_K)      M̃ = the same sum of |terms| in float
 *
 * D_real is the real-valued margin; the contract's D differs from it by its floors and ceils,
 * each under 1 wei (a collateral term carries 1 + w of them, a position 2 + mmr):
 *
 *   ε = 2·γ_K·M̃ + floorWei,   floorWei = 1 + Σ_c (1 + max(1, w_c)) + Σ_m (2 + max(1, mmr_m))
 *
 * (the factor 2 covers 1/(1 − γ_K) and the rounding of ε itself). No input can under- or
 * overflow: the smallest non-zero product is 1 wei × 1e-18 × 1e-18 · 10^-77, far above 2^-1022.
 * Example, 3 markets, 2 collaterals: K = 38, γ_K ≈ 4.2·10⁻¹⁵; a $10,000 account has
 * M̃ ≈ 2.1·10²² wei, ε ≈ 1.8·10⁸ wei ($1.8·10⁻¹⁰): only an account within that of maintenance
 * goes to the exact engine.
 */

import type { ColumnarSnapshot, Venue } from "../columnar/columnarSnapshot.ts";
import { columnarAccount } from "../columnar/columnarSnapshot.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";

export type Prices = Pick<Venue, "markets" | "collaterals">;

/** The floats one screen pass needs, prepared once per price vector. */
export interface MarginScreen {
  prices: Prices;
  /** λ = 1 (maintenance) or 0 (equity only). */
  maintenance: boolean;
  markUsd: Float64Array;
  mmr: Float64Array;
  collateralUsd: Float64Array;
  gamma: number;
  floorWei: number;
  /** Scratch written by screenMargin: M̃ and whether the row holds a position; and by screenPackedMargin, D̃ too. */
  margin: number;
  magnitude: number;
  positions: boolean;
}

const U = 2 ** -53;

/** The screen of `prices` (λ = 1 unless `maintenance` is false). */
export function prepareMarginScreen(prices: Prices, { maintenance = true }: { maintenance?: boolean } = {}): MarginScreen {
  const nC = prices.collaterals.length;
  const nM = prices.markets.length;
  const k = 16 + 2 * (nC + 3 * nM);
  const mmr = new Float64Array(prices.markets.map((m) => (maintenance ? Number(m.params.mmrWad) / 1e18 : 0)));
  const weights = prices.collaterals.map((c) => Number(c.params.weightWad) / 1e18);
  let floorWei = 1;
  for (const w of weights) floorWei += 1 + Math.max(1, w);
  for (const r of mmr) floorWei += 2 + Math.max(1, r);
  return {
    prices,
    maintenance,
    markUsd: new Float64Array(prices.markets.map((m) => Number(m.markPriceWad) / 1e18)),
    mmr,
    collateralUsd: new Float64Array(prices.collaterals.map((c, i) => (Number(c.priceWad) / Number(10n ** BigInt(c.decimals))) * weights[i]!)),
    gamma: (k * U) / (1 - k * U),
    floorWei,
    // Doubles from the start (NaN is one), so that their stores write in place and allocate nothing.
    margin: NaN,
    magnitude: NaN,
    positions: false,
  };
}

/** D̃ of `row` in wei; leaves M̃ and whether it holds a position in the screen's scratch. */
export function screenMargin(columnar: ColumnarSnapshot, row: number, screen: MarginScreen): number {
  let d = columnar.cashUsd.hi[row]!;
  let magnitude = Math.abs(d);
  const balances = columnar.balancesNative;
  for (let c = 0; c < balances.length; c++) {
    const b = balances[c]!.hi[row]!;
    if (b === 0) continue;
    const v = b * screen.collateralUsd[c]!;
    d += v;
    magnitude += Math.abs(v);
  }
  let positions = false;
  const sizes = columnar.sizeBase;
  for (let m = 0; m < sizes.length; m++) {
    const s = sizes[m]!.hi[row]!;
    if (s === 0) continue;
    positions = true;
    const on = columnar.openNotionalUsd[m]!.hi[row]!;
    const value = s * screen.markUsd[m]!;
    const mm = Math.abs(value) * screen.mmr[m]!;
    d += value - on - mm;
    magnitude += Math.abs(value) + Math.abs(on) + mm;
  }
  screen.magnitude = magnitude;
  screen.positions = positions;
  return d;
}

/** The error bound ε of the last screenMargin call (see the header). */
export function screenBound(screen: MarginScreen): number {
  return 2 * screen.gamma * screen.magnitude + screen.floorWei;
}

/**
 * −1 when `row` is below (liquidatable; or, λ = 0, equity negative), +1 when not, 0 when the
 * float cannot tell and the exact engine must.
 */
export function screenVerdict(columnar: ColumnarSnapshot, row: number, screen: MarginScreen): -1 | 0 | 1 {
  const d = screenMargin(columnar, row, screen);
  if (screen.maintenance && !screen.positions) return 1;
  const bound = screenBound(screen);
  return d < -bound ? -1 : d > bound ? 1 : 0;
}

/** The exact verdict (−1 below, +1 not), by the bigint engine on the row's account. */
export function exactVerdict(columnar: ColumnarSnapshot, row: number, screen: MarginScreen): -1 | 1 {
  const risk = computeAccountRisk(screen.prices, columnarAccount(columnar, row));
  const below = screen.maintenance ? isLiquidatable(risk) : risk.equityUsd < 0n;
  return below ? -1 : 1;
}

/** The verdict, exact: the screen's, or the bigint engine's when the screen cannot tell. */
export function marginVerdict(columnar: ColumnarSnapshot, row: number, screen: MarginScreen): -1 | 1 {
  const v = screenVerdict(columnar, row, screen);
  return v === 0 ? exactVerdict(columnar, row, screen) : v;
}

/**
 * The column values screenMargin reads, row by row: per row `stride` = 1 + nC + 2·nM floats —
 * hi(cash), then each collateral's hi(balance), then each market's hi(size) and hi(open
 * notional). A pass that visits rows out of order (the cascade's triggered re-valuations, a few
 * thousand scattered rows a round) reads a row's one or two cache lines instead of one line, and
 * one page-table walk, per column.
 */
export interface PackedMarginRows {
  values: Float64Array;
  stride: number;
}

/** `columnar`'s rows packed (into `reuse` when it has room: a million rows are 72 MB). */
export function packMarginRows(columnar: ColumnarSnapshot, reuse?: PackedMarginRows): PackedMarginRows {
  const nC = columnar.balancesNative.length;
  const nM = columnar.sizeBase.length;
  const stride = 1 + nC + 2 * nM;
  const length = stride * columnar.count;
  const packed = reuse && reuse.stride === stride && reuse.values.length >= length ? reuse : { values: new Float64Array(length), stride };
  const { values } = packed;
  const put = (column: Float64Array, at: number) => {
    for (let row = 0, i = at; row < columnar.count; row++, i += stride) values[i] = column[row]!;
  };
  put(columnar.cashUsd.hi, 0);
  for (let c = 0; c < nC; c++) put(columnar.balancesNative[c]!.hi, 1 + c);
  for (let m = 0; m < nM; m++) {
    put(columnar.sizeBase[m]!.hi, 1 + nC + 2 * m);
    put(columnar.openNotionalUsd[m]!.hi, 2 + nC + 2 * m);
  }
  return packed;
}

/** Packs `row` again from `columnar`, after its columns were rewritten. */
export function repackMarginRow(packed: PackedMarginRows, columnar: ColumnarSnapshot, row: number): void {
  const { values, stride } = packed;
  const nC = columnar.balancesNative.length;
  let i = row * stride;
  values[i++] = columnar.cashUsd.hi[row]!;
  for (let c = 0; c < nC; c++) values[i++] = columnar.balancesNative[c]!.hi[row]!;
  for (let m = 0; m < columnar.sizeBase.length; m++) {
    values[i++] = columnar.sizeBase[m]!.hi[row]!;
    values[i++] = columnar.openNotionalUsd[m]!.hi[row]!;
  }
}

/**
 * screenMargin from the packed row: the same terms summed in the same order, so the same D̃ and
 * M̃ to the bit — D̃ left in `screen.margin` (a double returned from a call the compiler does not
 * inline is a heap allocation: millions of them in a cascade). Its loops are screenMargin's twin
 * rather than a shared helper, which would hand back two sums per term from the scan's hottest
 * loop; marginScreen.test holds the two equal to the bit.
 */
export function screenPackedMargin(packed: PackedMarginRows, row: number, screen: MarginScreen): void {
  const { values } = packed;
  const nC = screen.collateralUsd.length;
  const nM = screen.markUsd.length;
  let i = row * packed.stride;
  let d = values[i++]!;
  let magnitude = Math.abs(d);
  for (let c = 0; c < nC; c++, i++) {
    const b = values[i]!;
    if (b === 0) continue;
    const v = b * screen.collateralUsd[c]!;
    d += v;
    magnitude += Math.abs(v);
  }
  let positions = false;
  for (let m = 0; m < nM; m++, i += 2) {
    const s = values[i]!;
    if (s === 0) continue;
    positions = true;
    const on = values[i + 1]!;
    const value = s * screen.markUsd[m]!;
    const mm = Math.abs(value) * screen.mmr[m]!;
    d += value - on - mm;
    magnitude += Math.abs(value) + Math.abs(on) + mm;
  }
  screen.magnitude = magnitude;
  screen.positions = positions;
  screen.margin = d;
}
