/**
 * The accounts in negative equity at each of K price vectors, and Σ of their equity to the wei,
 * in one pass over the columns — the loss beyond collateral a set of shocks would leave
 * (computeEngineHealth's runway and exposure), exactly as Σ computeAccountRisk(…).equityUsd over
 * the accounts below zero would give it, without bigint per account.
 *
 * Each row is read once; its price-independent part is taken once, not once per vector:
 *
 *   C = cash − Σ_m ON_m (+ the terms priced alike at every vector)     A = |cash| + Σ_m |ON_m| + Σ_j |x_j|·P̂_j
 *
 * (x_j its non-zero priced values — balances b_c and sizes s_m — in USD at the float prices of
 * marginScreen.ts, b·collateralUsd_c and s·markUsd_m, and P̂_j = max_k |price_kj|). Per vector k,
 * only a dot product over the terms whose price moves:
 *
 *   D̃_k = C + Σ_j x_j·price_kj        ε = 2·γ_K·A + floorWei        (marginScreen.ts at λ = 0)
 *
 * D̃_k holds the same float terms as marginScreen's D̃, summed in another order (each term still
 * meets at most nC + 2·nM additions, within K), and A ≥ its M̃ at every k (rounding is monotone and
 * |x_j·price_kj| ≤ |x_j|·P̂_j), so ε bounds the error at every k: D̃_k < −ε ⇒ equity < 0, D̃_k > ε ⇒
 * equity > 0, and the bigint engine decides the few in between. A row whose terms, each at its
 * worst price over all the vectors, still sum above 2ε is above zero at every vector and skipped.
 *
 * A row below zero at k adds its equity to k's total in exact float digits (floorProductSum: C at
 * 1e18, each size at its mark, each collateral at price/10^dec · weight; the digits split once a
 * row), turned into bigint once per total. Σx of a term does not depend on the price, so a row's
 * digits are added once, to the bucket of the set of vectors it is below zero at (a 16-bit mask
 * per group of 16 vectors), and each bucket to each vector of its set at the end: every partial
 * sum is still one over distinct rows, within the digits' bounds. Only the residue, which depends
 * on the price, is added per (row, vector) — for a price not a whole number of dollars. The bigint engine values a row instead when a value is
 * too wide for the limbs or a balance negative, or when one of its terms has a price the limbs
 * cannot take at k (a collateral price not a whole multiple of 10^decimals, a negative price or
 * weight: the engine then refuses it as the contract does).
 *
 * Example: 100,000 accounts under 13 price vectors (now, the stress library, each market's worst
 * move down and up): 100,000 row reads, 1.3M dot products of 4 terms (USDC's price never moves),
 * and for the ~81,000 rows below zero at some vector (~265,000 pairs) 4 digit additions a term into
 * one of ~170 buckets; bigint only for the 13 totals and the rows the float cannot settle.
 */

import { columnarAccount, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { addFloorResidue, createFloorProductSum, fitsFloorProduct, floorProductTotal, normaliseDigits, ROWS_BETWEEN_CARRIES, splitDigits, type FloorProductSum } from "../columnar/floorProductSum.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { WAD } from "../math/wad.ts";
import { prepareMarginScreen, type Prices } from "./marginScreen.ts";

export interface NegativeEquity {
  /** How many accounts are below zero. */
  accounts: number;
  /** Ascending rows whose equity is below zero (empty for a vector whose rows were not asked for). */
  rows: Uint32Array;
  /** Σ of their equity (≤ 0), USD WAD, to the wei. */
  equityUsd: bigint;
}

/** Adds the row's equity at `prices` to rest[k] when it is below zero, valued by the bigint engine; whether it was. */
function addExactly(columnar: ColumnarSnapshot, row: number, prices: Prices, rest: bigint[], k: number): boolean {
  const equityUsd = computeAccountRisk(prices, columnarAccount(columnar, row)).equityUsd;
  if (equityUsd >= 0n) return false;
  rest[k] = rest[k]! + equityUsd;
  return true;
}

/**
 * Counts `row` below zero at vector k (and lists it, where `listed`). A function of its own, not a
 * closure: optimised code calling a closure made afresh each call would be thrown away each call.
 */
function countRow(found: Uint32Array[], counts: Uint32Array, listed: Uint8Array, k: number, row: number): void {
  const n = counts[k]!;
  counts[k] = n + 1;
  if (!listed[k]) return;
  let rows = found[k]!;
  if (n === rows.length) {
    rows = new Uint32Array(2 * n);
    rows.set(found[k]!);
    found[k] = rows;
  }
  rows[n] = row;
}

/** Vectors a mask covers: a row's set of vectors below zero is one 16-bit mask per group of 16. */
const GROUP_BITS = 4;
const GROUP_MASK = (1 << GROUP_BITS) - 1;

/**
 * Σ digits of the rows below zero at the same set of vectors: bucket b holds the vectors'
 * group·masksPerGroup + mask in masks[b] and, per term j (j = nJ: C), four digits at
 * digits[4·(b·slots + j)]. A row's digits are added once, not once per vector it is below at.
 * Array slots rather than fields: sumRowsBelow replaces the arrays as they grow.
 */
type BucketArrays = [masks: Int32Array, digits: Float64Array];

/**
 * Σ digits per (vector, term) slot, at digits[4·(k·slots + j)]: each bucket's digits added to each
 * vector of its mask. Every slot's Σ is still a sum over distinct rows, each partial sum one over a
 * subset of them, so the digit bounds hold as when rows are added one by one.
 */
function spreadBuckets(count: number, [masks, digits]: BucketArrays, vectors: number, slots: number, masksPerGroup: number): Float64Array {
  const digitSums = new Float64Array(4 * vectors * slots);
  for (let b = 0; b < count; b++) {
    const group = Math.floor(masks[b]! / masksPerGroup);
    const mask = masks[b]! % masksPerGroup;
    for (let bit = 0; bit <= GROUP_MASK; bit++) {
      if (!(mask & (1 << bit))) continue;
      const k = (group << GROUP_BITS) + bit;
      for (let i = 0; i < 4 * slots; i++) digitSums[4 * k * slots + i]! += digits[4 * b * slots + i]!;
    }
  }
  return digitSums;
}

/** What findNegativeEquity's row loop reads: prepared once per call (see its body). */
interface RowPlan {
  prices: readonly Prices[];
  nC: number;
  nM: number;
  nJ: number;
  slots: number;
  columns: ColumnarSnapshot["sizeBase"];
  priceF: Float64Array;
  maxAbsPrice: Float64Array;
  minPrice: Float64Array;
  maxPrice: Float64Array;
  gamma: number;
  floorWei: number;
  movingAt: Int32Array;
  nMoving: number;
  priceM: Float64Array;
  exactTerm: Uint8Array;
  exactVector: Uint8Array;
  residue: Uint8Array;
  sums: (FloorProductSum | null)[];
  vectorResidue: Uint8Array;
  groups: number;
  masksPerGroup: number;
  bucketOf: Int32Array;
  exactRest: bigint[];
  listed: Uint8Array;
  found: Uint32Array[];
  counts: Uint32Array;
}

/**
 * findNegativeEquity's pass over the rows, in a function of its own: the engine optimises it
 * whole, so code around it that runs once a call (and may be thrown away) does not take the
 * optimised loop with it.
 */
function sumRowsBelow(columnar: ColumnarSnapshot, plan: RowPlan, bucketArrays: BucketArrays): number {
  const { prices, nC, nM, nJ, slots, columns, priceF, maxAbsPrice, minPrice, maxPrice, gamma, floorWei, movingAt, nMoving, priceM, exactTerm, exactVector, residue, sums, vectorResidue, groups, masksPerGroup, bucketOf, exactRest, listed, found, counts } = plan;
  const vectors = prices.length;
  // Local names for the per-row calls: some module loaders read imported bindings through a getter on every use.
  const [fits, split, normalise, addResidue, count] = [fitsFloorProduct, splitDigits, normaliseDigits, addFloorResidue, countRow];
  // The row's non-zero priced terms (which, and their limbs), D̃ at each vector, and the digits of
  // each term and of C.
  const termJ = new Int32Array(nJ);
  const termHi = new Float64Array(nJ);
  const termLo = new Float64Array(nJ);
  // The row's moving values, zeros included: a dot product of fixed length runs without a branch
  // to mispredict (0·p adds nothing).
  const values = new Float64Array(nMoving);
  const margins = new Float64Array(vectors + 3);
  const digits = new Float64Array(4 * (nJ + 2));
  const masks = new Int32Array(groups);
  // The buckets, grown by doubling: kept in locals, handed back through the slots of
  // `bucketArrays` and the count returned. Not as fields of an object (a field that changes under
  // optimised code costs it a recompilation), nor as a new object at the end (the loop is optimised
  // before the end has run once, so leaving it would deoptimise, every call).
  const perBucket = 4 * slots;
  let bucketCount = 0;
  let [bucketMasks, bucketDigits] = bucketArrays;
  const constantAt = 4 * nJ;
  const scratch = 4 * (nJ + 1);
  const cash = columnar.cashUsd;
  const openNotional = columnar.openNotionalUsd;
  for (let row = 0; row < columnar.count; row++) {
    const cashHi = cash.hi[row]!;
    let constant = cashHi;
    let magnitude = Math.abs(cashHi);
    for (let m = 0; m < nM; m++) {
      const on = openNotional[m]!.hi[row]!;
      if (on === 0) continue;
      constant -= on;
      magnitude += Math.abs(on);
    }
    let terms = 0;
    let lowest = constant;
    for (let j = 0; j < nJ; j++) {
      const x = columns[j]!.hi[row]!;
      const i = movingAt[j]!;
      if (i >= 0) values[i] = x;
      if (x === 0) continue;
      if (i < 0) constant += x * priceF[j]!;
      termJ[terms] = j;
      termHi[terms] = x;
      terms++;
      magnitude += Math.abs(x) * maxAbsPrice[j]!;
      lowest += x * (x > 0 ? minPrice[j]! : maxPrice[j]!);
    }
    const bound = 2 * gamma * magnitude + floorWei;
    // Each term at its worst price of all the vectors: when even that sum is clear of zero (twice
    // the bound covers its own rounding and a tie between two float prices), no vector is below.
    if (lowest > 2 * bound) continue;
    // D̃ at four vectors at a time: four independent chains of additions.
    for (let k = 0; k < vectors; k += 4) {
      let d0 = constant;
      let d1 = constant;
      let d2 = constant;
      let d3 = constant;
      for (let i = 0, at = k * nMoving; i < nMoving; i++, at++) {
        const x = values[i]!;
        d0 += x * priceM[at]!;
        d1 += x * priceM[at + nMoving]!;
        d2 += x * priceM[at + 2 * nMoving]!;
        d3 += x * priceM[at + 3 * nMoving]!;
      }
      margins[k] = d0;
      margins[k + 1] = d1;
      margins[k + 2] = d2;
      margins[k + 3] = d3;
    }
    // 0: not read yet; 1: digits split; 2: too wide for the limbs (or a negative balance): bigint.
    let state = 0;
    for (let k = 0; k < vectors; k++) {
      const d = margins[k]!;
      if (d > bound) continue;
      if (state === 0 && d < -bound) {
        let wide = !fits(cashHi, cash.lo[row]!);
        for (let m = 0; m < nM; m++) if (!fits(openNotional[m]!.hi[row]!, openNotional[m]!.lo[row]!)) wide = true;
        for (let t = 0; t < terms; t++) {
          const j = termJ[t]!;
          termLo[t] = columns[j]!.lo[row]!;
          if (!fits(termHi[t]!, termLo[t]!) || (j < nC && termHi[t]! < 0)) wide = true;
        }
        state = wide ? 2 : 1;
        if (!wide) {
          // Each term's digits, and C = cash − Σ ON as one set (normalised: it adds up like one value).
          for (let t = 0; t < terms; t++) split(termHi[t]!, termLo[t]!, digits, 4 * t);
          split(cashHi, cash.lo[row]!, digits, constantAt);
          for (let m = 0; m < nM; m++) {
            const on = openNotional[m]!.hi[row]!;
            if (on === 0) continue;
            split(on, openNotional[m]!.lo[row]!, digits, scratch);
            for (let i = 0; i < 4; i++) digits[constantAt + i]! -= digits[scratch + i]!;
          }
          normalise(digits, constantAt);
        }
      }
      const base = k * slots;
      let exact = state !== 1 || d >= -bound;
      if (exactVector[k]) for (let t = 0; t < terms && !exact; t++) if (exactTerm[base + termJ[t]!]) exact = true;
      if (exact) {
        if (addExactly(columnar, row, prices[k]!, exactRest, k)) count(found, counts, listed, k, row);
        continue;
      }
      count(found, counts, listed, k, row);
      const group = k >>> GROUP_BITS;
      masks[group] = masks[group]! | (1 << (k & GROUP_MASK));
      if (vectorResidue[k]) for (let t = 0; t < terms; t++) if (residue[base + termJ[t]!]) addResidue(sums[base + termJ[t]!]!, termHi[t]!, termLo[t]!);
    }
    if (state !== 1) continue;
    // The row's digits join, once, the bucket of the vectors it is below zero at (per group).
    for (let group = 0; group < groups; group++) {
      const mask = masks[group]!;
      if (mask === 0) continue;
      masks[group] = 0;
      const index = group * masksPerGroup + mask;
      let b = bucketOf[index]! - 1;
      if (b < 0) {
        b = bucketCount++;
        bucketOf[index] = b + 1;
        if (bucketCount > bucketMasks.length) {
          const grownMasks = new Int32Array(2 * bucketMasks.length);
          grownMasks.set(bucketMasks);
          bucketMasks = grownMasks;
          const grownDigits = new Float64Array(grownMasks.length * perBucket);
          grownDigits.set(bucketDigits);
          bucketDigits = grownDigits;
          bucketArrays[0] = bucketMasks;
          bucketArrays[1] = bucketDigits;
        }
        bucketMasks[b] = index;
      }
      const digitsOf = bucketDigits;
      let at = 4 * (b * slots + nJ);
      digitsOf[at]! += digits[constantAt]!;
      digitsOf[at + 1]! += digits[constantAt + 1]!;
      digitsOf[at + 2]! += digits[constantAt + 2]!;
      digitsOf[at + 3]! += digits[constantAt + 3]!;
      for (let t = 0; t < terms; t++) {
        at = 4 * (b * slots + termJ[t]!);
        const from = 4 * t;
        digitsOf[at]! += digits[from]!;
        digitsOf[at + 1]! += digits[from + 1]!;
        digitsOf[at + 2]! += digits[from + 2]!;
        digitsOf[at + 3]! += digits[from + 3]!;
      }
    }
  }
  return bucketCount;
}

/** Rows whose digits (each under 2³⁰) add up under 2⁵³ in a bucket's sums, uncarried: 2²³. */
const MAX_ROWS = 2 * ROWS_BETWEEN_CARRIES;

/**
 * For each price vector, the accounts in negative equity and Σ of their equity, exactly; their
 * rows too, for the vectors `listRows` names (all by default: listing costs a write per row).
 */
export function findNegativeEquity(columnar: ColumnarSnapshot, prices: readonly Prices[], { listRows = () => true }: { listRows?: (vector: number) => boolean } = {}): NegativeEquity[] {
  if (columnar.count > MAX_ROWS) throw new RangeError(`findNegativeEquity adds the digits of at most ${MAX_ROWS} rows exactly (each under 2³⁰, their sums under 2⁵³); the snapshot has ${columnar.count}`);
  const vectors = prices.length;
  const nC = columnar.balancesNative.length;
  const nM = columnar.sizeBase.length;
  const nJ = nC + nM;
  // Priced terms j: collaterals first, then markets.
  const columns = [...columnar.balancesNative, ...columnar.sizeBase];
  // Float prices by vector, then term (priceF[k·nJ + j]), and each term's extremes over the vectors.
  const priceF = new Float64Array(vectors * nJ);
  const maxAbsPrice = new Float64Array(nJ);
  const minPrice = new Float64Array(nJ).fill(Infinity);
  const maxPrice = new Float64Array(nJ).fill(-Infinity);
  // Per (vector, term) slot k·(nJ + 1) + j (j = nJ: the constant C): the exact sum, or null where
  // the bigint engine must value the term; Σx in four digits per slot, kept flat here.
  const slots = nJ + 1;
  const sums: (FloorProductSum | null)[] = [];
  const exactTerm = new Uint8Array(vectors * slots);
  const exactVector = new Uint8Array(vectors);
  const residue = new Uint8Array(vectors * slots);
  const vectorResidue = new Uint8Array(vectors);
  let gamma = 0;
  let floorWei = 0;
  prices.forEach((p, k) => {
    const screen = prepareMarginScreen(p, { maintenance: false });
    gamma = Math.max(gamma, screen.gamma);
    floorWei = Math.max(floorWei, screen.floorWei);
    for (let j = 0; j < nJ; j++) {
      const price = j < nC ? screen.collateralUsd[j]! : screen.markUsd[j - nC]!;
      priceF[k * nJ + j] = price;
      maxAbsPrice[j] = Math.max(maxAbsPrice[j]!, Math.abs(price));
      minPrice[j] = Math.min(minPrice[j]!, price);
      maxPrice[j] = Math.max(maxPrice[j]!, price);
    }
    p.collaterals.forEach((asset, c) => {
      const scale = 10n ** BigInt(asset.decimals);
      const whole = asset.priceWad >= 0n && asset.params.weightWad >= 0n && asset.priceWad % scale === 0n;
      sums[k * slots + c] = whole ? createFloorProductSum((asset.priceWad / scale) * asset.params.weightWad) : null;
    });
    p.markets.forEach((market, m) => {
      sums[k * slots + nC + m] = market.markPriceWad >= 0n ? createFloorProductSum(market.markPriceWad) : null;
    });
    sums[k * slots + nJ] = createFloorProductSum(WAD);
    for (let j = 0; j < slots; j++) {
      exactTerm[k * slots + j] = sums[k * slots + j] ? 0 : 1;
      exactVector[k] = exactVector[k]! | exactTerm[k * slots + j]!;
      residue[k * slots + j] = sums[k * slots + j]?.residue ? 1 : 0;
      vectorResidue[k] = vectorResidue[k]! | residue[k * slots + j]!;
    }
  });
  // Terms priced the same at every vector (a stablecoin, a market no shock moves) join C: the dot
  // products run over the others, `moving` (their prices in priceM[k·nMoving + i], three vectors
  // of zeros past the end for the products taken four at a time).
  const moving = Array.from({ length: nJ }, (_, j) => j).filter((j) => minPrice[j] !== maxPrice[j]);
  const nMoving = moving.length;
  const movingAt = new Int32Array(nJ).fill(-1);
  moving.forEach((j, i) => (movingAt[j] = i));
  const priceM = new Float64Array((vectors + 3) * nMoving);
  for (let k = 0; k < vectors; k++) moving.forEach((j, i) => (priceM[k * nMoving + i] = priceF[k * nJ + j]!));
  const exactRest = prices.map(() => 0n);
  const listed = Uint8Array.from(prices, (_, k) => (listRows(k) ? 1 : 0));
  const found = prices.map(() => new Uint32Array(64));
  const counts = new Uint32Array(vectors);

  const groups = Math.ceil(vectors / (GROUP_MASK + 1));
  const masksPerGroup = 1 << Math.min(vectors, GROUP_MASK + 1);
  const bucketOf = new Int32Array(groups * masksPerGroup);

  const bucketArrays: BucketArrays = [new Int32Array(16), new Float64Array(16 * 4 * slots)];
  const bucketCount = sumRowsBelow(columnar, { prices, nC, nM, nJ, slots, columns, priceF, maxAbsPrice, minPrice, maxPrice, gamma, floorWei, movingAt, nMoving, priceM, exactTerm, exactVector, residue, sums, vectorResidue, groups, masksPerGroup, bucketOf, exactRest, listed, found, counts }, bucketArrays);

  const digitSums = spreadBuckets(bucketCount, bucketArrays, vectors, slots, masksPerGroup);
  return prices.map((_, k) => {
    let equityUsd = exactRest[k]!;
    for (let slot = k * slots; slot < (k + 1) * slots; slot++) {
      const sum = sums[slot];
      if (!sum) continue;
      sum.values.set(digitSums.subarray(4 * slot, 4 * slot + 4));
      equityUsd += floorProductTotal(sum);
    }
    return { accounts: counts[k]!, rows: listed[k] ? found[k]!.slice(0, counts[k]) : new Uint32Array(0), equityUsd };
  });
}
