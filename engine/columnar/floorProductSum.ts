/**
 * Σ floor(x_i·P / 10¹⁸) over rows of an exact column (exactColumn.ts), exactly, with no bigint
 * per row: what a venue-wide total of contract values (Σ equity, Σ weighted collateral) needs,
 * since the contract floors every account's product on its own. Per row, in float64 limbs:
 *
 *   r_i = (x_i·P) mod W ∈ [0, W)        (W = 10¹⁸; x_i·P = W·floor(x_i·P/W) + r_i, also for x_i < 0)
 *   Σ floor(x_i·P/W) = (P·Σx_i − Σr_i) / W          (one bigint step per total, not per row)
 *
 * Every float operation below is exact (integers under 2⁵³, fmod, scaling by powers of two):
 *   x ≡ (hi mod W) + lo (mod W), both under 2⁶⁰, split into signed 20-bit limbs v₀ v₁ v₂
 *   P' = P mod W in 20-bit limbs p₀ p₁ p₂; the 9 products v_j·p_k < 2⁴² sum into 5 columns
 *   columns past 2⁶⁰ fold back through 2⁶⁰, 2⁸⁰, 2¹⁰⁰ mod W (limbs again, carries normalised
 *   first so that every product stays under 2⁵³); the rest Y (< 2⁸⁶) ≡ x·P (mod W) loses
 *   q = floor(Y/W) (its float estimate is within 1; the limb comparison with W corrects it).
 * Σx_i adds up in 30-bit digits, Σr_i in 20-bit limbs (each stays under 2⁵³ for 8M rows; the sum carries
 * them back under 2³⁰ and 2²⁰ every 4M rows, so any number of rows adds up exactly). A row whose value is held
 * `wide` or reaches 2¹¹⁰ is refused (addFloorProduct returns false): its caller goes exact.
 *
 * Example: x = −3 wei of size, P = $2,000.5 (2000.5·10¹⁸): x·P/W = −6001.5 → floor −6002,
 * r = 0.5·10¹⁸; two rows −3 and 5: (P·2 − (0.5 + 0.5)·10¹⁸)/W = 4001 − 1 = 4000 = −6002 + 10002.
 */

import type { ExactColumn } from "./exactColumn.ts";

const W = 1e18;
const W_BIG = 10n ** 18n;
const L = 2 ** 20;
const LIMB = 2 ** 30;
const TOO_WIDE = 2 ** 110;

/** A running exact Σ floor(x·P/W) (and Σx) for one multiplier P ≥ 0. */
export interface FloorProductSum {
  multiplier: bigint;
  /** P mod W in 20-bit limbs; all 0 when P is a multiple of W (no residue then). */
  p: Float64Array;
  /** 2⁶⁰, 2⁸⁰, 2¹⁰⁰ mod W in 20-bit limbs (3 each). */
  fold: Float64Array;
  /** Σx in four 30-bit digits (the top one unbounded), Σr in three 20-bit limbs. */
  values: Float64Array;
  residues: Float64Array;
  /** Whether P is not a multiple of W (else every residue is 0). */
  residue: boolean;
  /** Rows added since the digits and limbs were last carried (carryDigits). */
  uncarried: number;
}

/** Rows whose digits (each under 2³⁰) and residue limbs (under 2²¹) may be added before a carry: half of what 2⁵³ allows. */
export const ROWS_BETWEEN_CARRIES = 2 ** 22;

function limbs20(x: bigint): number[] {
  return [Number(x % 2n ** 20n), Number((x >> 20n) % 2n ** 20n), Number(x >> 40n)];
}

/** An empty sum for multiplier `multiplierWad` (≥ 0). */
export function createFloorProductSum(multiplierWad: bigint): FloorProductSum {
  if (multiplierWad < 0n) throw new RangeError(`multiplier ${multiplierWad} is negative`);
  return {
    multiplier: multiplierWad,
    p: new Float64Array(limbs20(multiplierWad % W_BIG)),
    fold: new Float64Array([...limbs20(2n ** 60n % W_BIG), ...limbs20(2n ** 80n % W_BIG), ...limbs20(2n ** 100n % W_BIG)]),
    values: new Float64Array(4),
    residues: new Float64Array(3),
    residue: multiplierWad % W_BIG !== 0n,
    uncarried: 0,
  };
}

const W0 = Number(W_BIG % 2n ** 20n);
const W1 = Number((W_BIG >> 20n) % 2n ** 20n);
const W2 = Number(W_BIG >> 40n);

/**
 * Adds `rows` of `column`: each floor(x·P/W) joins the total. Returns the rows refused (nothing
 * added) because their value is too wide for the limbs: the caller must value those exactly.
 */
export function addFloorProducts(sum: FloorProductSum, column: ExactColumn, rows: ArrayLike<number>): number[] {
  const refused: number[] = [];
  const { hi: his, lo: los } = column;
  const residue = sum.residue;
  // Σx in 30-bit digits, kept in locals for the loop (hi < 2¹¹⁰ has four: truncating by powers of two is exact; lo ≤ 2⁵³ two).
  let v0 = 0, v1 = 0, v2 = 0, v3 = 0;
  const values = sum.values;
  // In runs of at most ROWS_BETWEEN_CARRIES rows, each run's digits carried before the next.
  let end = Math.min(rows.length, ROWS_BETWEEN_CARRIES - sum.uncarried);
  sum.uncarried += end;
  for (let k = 0; k < rows.length; k++) {
    if (k === end) {
      values[0]! += v0;
      values[1]! += v1;
      values[2]! += v2;
      values[3]! += v3;
      v0 = v1 = v2 = v3 = 0;
      carryDigits(sum);
      end = Math.min(rows.length, k + ROWS_BETWEEN_CARRIES);
      sum.uncarried = end - k;
    }
    const row = rows[k]!;
    const hi = his[row]!;
    if (hi === 0) continue;
    const lo = los[row]!;
    if (!(lo === lo && Math.abs(hi) < TOO_WIDE)) {
      refused.push(row);
      continue;
    }
    const h1 = Math.trunc(hi / LIMB), h2 = Math.trunc(h1 / LIMB), h3 = Math.trunc(h2 / LIMB);
    const l1 = Math.trunc(lo / LIMB);
    v0 += hi - h1 * LIMB + (lo - l1 * LIMB);
    v1 += h1 - h2 * LIMB + l1;
    v2 += h2 - h3 * LIMB;
    v3 += h3;
    if (residue) addFloorResidue(sum, hi, lo);
  }
  values[0]! += v0;
  values[1]! += v1;
  values[2]! += v2;
  values[3]! += v3;
  return refused;
}

/**
 * Adds floor(x·P/W) for one value given as its column limbs (x = hi + lo, exactColumn.ts), for a
 * caller that has already read them. False (nothing added) when lo is NaN or |hi| ≥ 2¹¹⁰: the
 * caller must value x exactly.
 */
export function addFloorProductOf(sum: FloorProductSum, hi: number, lo: number): boolean {
  if (hi === 0) return true;
  if (!fitsFloorProduct(hi, lo)) return false;
  if (sum.uncarried === ROWS_BETWEEN_CARRIES) carryDigits(sum);
  sum.uncarried++;
  // Σx in 30-bit digits: hi < 2¹¹⁰ has four (truncating by powers of two is exact), lo ≤ 2⁵³ two.
  const h1 = Math.trunc(hi / LIMB), h2 = Math.trunc(h1 / LIMB), h3 = Math.trunc(h2 / LIMB);
  const l1 = Math.trunc(lo / LIMB);
  const values = sum.values;
  values[0]! += hi - h1 * LIMB + (lo - l1 * LIMB);
  values[1]! += h1 - h2 * LIMB + l1;
  values[2]! += h2 - h3 * LIMB;
  values[3]! += h3;
  if (sum.residue) addFloorResidue(sum, hi, lo);
  return true;
}

/** Whether x = hi + lo fits the limbs (lo not NaN, |hi| < 2¹¹⁰): addFloorProductOf takes it. */
export function fitsFloorProduct(hi: number, lo: number): boolean {
  return lo === lo && Math.abs(hi) < TOO_WIDE;
}

/**
 * x = hi + lo (fitting the limbs) as four 30-bit digits, x = Σ d_i·2³⁰ⁱ, written at `into[at…at+3]`:
 * every |d_i| < 2³⁰ (|d₃| < 2²⁰) — the digits addFloorProductOf adds to `values`, so 2²³ (8M) of
 * them add up exactly. Why d₀ and d₁, which take a part of both hi and lo, stay under 2³⁰: with
 * hi = Number(x), |lo| ≤ ulp(hi)/2 = 2^(k−1), and hi is a multiple of 2^k; so hi's low digit is
 * at most 2³⁰ − 2^k with lo's part at most 2^(k−1) beside it, or, for k ≥ 30, hi's low digit is
 * 0 (the same one digit up, with 2³⁰ for 1). Digits of several values may be combined first (normaliseDigits
 * brings the sum back under those bounds).
 */
export function splitDigits(hi: number, lo: number, into: Float64Array, at: number): void {
  const h1 = Math.trunc(hi / LIMB), h2 = Math.trunc(h1 / LIMB), h3 = Math.trunc(h2 / LIMB);
  const l1 = Math.trunc(lo / LIMB);
  into[at] = hi - h1 * LIMB + (lo - l1 * LIMB);
  into[at + 1] = h1 - h2 * LIMB + l1;
  into[at + 2] = h2 - h3 * LIMB;
  into[at + 3] = h3;
}

/** Carries digits at `into[at…at+3]` (any integers under 2⁵²) so that d₀, d₁, d₂ ∈ [0, 2³⁰); the value is unchanged. */
export function normaliseDigits(into: Float64Array, at: number): void {
  let carry = Math.floor(into[at]! / LIMB);
  into[at]! -= carry * LIMB;
  into[at + 1]! += carry;
  carry = Math.floor(into[at + 1]! / LIMB);
  into[at + 1]! -= carry * LIMB;
  into[at + 2]! += carry;
  carry = Math.floor(into[at + 2]! / LIMB);
  into[at + 2]! -= carry * LIMB;
  into[at + 3]! += carry;
}

/**
 * Carries Σx's digits back under 2³⁰ (normaliseDigits) and Σr's limbs under 2²⁰, the totals
 * unchanged: after it another ROWS_BETWEEN_CARRIES rows add up exactly.
 */
export function carryDigits(sum: FloorProductSum): void {
  normaliseDigits(sum.values, 0);
  const r = sum.residues;
  let carry = Math.floor(r[0]! / L);
  r[0]! -= carry * L;
  r[1]! += carry;
  carry = Math.floor(r[1]! / L);
  r[1]! -= carry * L;
  r[2]! += carry;
  sum.uncarried = 0;
}

/**
 * Adds r = (x·P) mod W of x = hi + lo (fitting the limbs) to Σr alone: the part of the sum that
 * depends on P, for a caller that keeps Σx itself in digits (splitDigits) and stores their totals
 * in `values` before floorProductTotal. Nothing to add when `residue` is false.
 */
export function addFloorResidue(sum: FloorProductSum, hi: number, lo: number): void {
  const p = sum.p;
  const p0 = p[0]!, p1 = p[1]!, p2 = p[2]!;
  // v = (hi mod W) + lo in signed 20-bit limbs (|v| < 2⁶¹).
  const a = hi % W;
  const a12 = Math.floor(a / L);
  const a2 = Math.floor(a12 / L);
  const a0 = a - a12 * L, a1 = a12 - a2 * L;
  const b12 = Math.floor(lo / L);
  const b2 = Math.floor(b12 / L);
  const b0 = lo - b12 * L, b1 = b12 - b2 * L;
  const v0 = a0 + b0, v1 = a1 + b1, v2 = a2 + b2;
  // v·P' in 5 columns, carries normalised so that c0…c3 ∈ [0, 2²⁰).
  let c0 = v0 * p0;
  let c1 = v0 * p1 + v1 * p0;
  let c2 = v0 * p2 + v1 * p1 + v2 * p0;
  let c3 = v1 * p2 + v2 * p1;
  let c4 = v2 * p2;
  let carry = Math.floor(c0 / L); c0 -= carry * L; c1 += carry;
  carry = Math.floor(c1 / L); c1 -= carry * L; c2 += carry;
  carry = Math.floor(c2 / L); c2 -= carry * L; c3 += carry;
  carry = Math.floor(c3 / L); c3 -= carry * L; c4 += carry;
  const c5 = Math.floor(c4 / L);
  c4 -= c5 * L;
  // Fold 2⁶⁰, 2⁸⁰, 2¹⁰⁰ back below W (each product < 2⁴⁴).
  const f = sum.fold;
  let d0 = c0 + c3 * f[0]! + c4 * f[3]! + c5 * f[6]!;
  let d1 = c1 + c3 * f[1]! + c4 * f[4]! + c5 * f[7]!;
  let d2 = c2 + c3 * f[2]! + c4 * f[5]! + c5 * f[8]!;
  carry = Math.floor(d0 / L); d0 -= carry * L; d1 += carry;
  carry = Math.floor(d1 / L); d1 -= carry * L; d2 += carry;
  // Y = d0 + d1·2²⁰ + d2·2⁴⁰ ≡ x·P (mod W); take off q·W with q within 1 of floor(Y/W).
  const q = Math.floor((d2 * L * L + d1 * L + d0) / W);
  let e0 = d0 - q * W0;
  let e1 = d1 - q * W1;
  let e2 = d2 - q * W2;
  carry = Math.floor(e0 / L); e0 -= carry * L; e1 += carry;
  carry = Math.floor(e1 / L); e1 -= carry * L; e2 += carry;
  if (e2 < 0) {
    e0 += W0; e1 += W1; e2 += W2;
  } else if (e2 > W2 || (e2 === W2 && (e1 > W1 || (e1 === W1 && e0 >= W0)))) {
    e0 -= W0; e1 -= W1; e2 -= W2;
  }
  // e0 + e1·2²⁰ + e2·2⁴⁰ ∈ [0, W) (limbs within 2²¹ of 0 after the correction: the sum is what counts).
  const residues = sum.residues;
  residues[0]! += e0;
  residues[1]! += e1;
  residues[2]! += e2;
}

function total(digits: Float64Array, bits: bigint): bigint {
  let x = 0n;
  for (let k = digits.length - 1; k >= 0; k--) x = (x << bits) + BigInt(digits[k]!);
  return x;
}

/** Σ floor(x·P/W) of the rows added so far, exactly. */
export function floorProductTotal(sum: FloorProductSum): bigint {
  return (sum.multiplier * total(sum.values, 30n) - total(sum.residues, 20n)) / W_BIG;
}
