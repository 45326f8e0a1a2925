/**
 * An exact running sum of integers held as doubles (an exact column's hi and lo parts) with no
 * bigint per addition: each addend is split into four base-2³² digits, each digit summed in a
 * double of its own, and the digits turned into one bigint only when the sum is read.
 *
 * An integer-valued double x with |x| < 2¹²⁸ splits exactly: d₃ = trunc(x / 2⁹⁶) (a division
 * by a power of two and a truncation, both exact), x − d₃·2⁹⁶ exact (an integer below 2⁹⁶ whose
 * bits lie inside x's 53: representable, so the subtraction does not round), and so on down; every
 * digit has |d| < 2³² and the sign of x. 2²⁰ of them sum below 2⁵² in each double — exact —
 * after which the digits are carried into the bigint `rest` (as is an addend of 2¹²⁸ or more).
 *
 * Example: 2⁵³ + 2 (hi 2⁵³, lo 2) → hi's digits (0, 2²¹, 0, 0)·(2⁰, 2³², 2⁶⁴, 2⁹⁶), lo's (2, …):
 * the value reads 9,007,199,254,740,994.
 */

export interface ExactSum {
  /** Σ of the digits of weight 2⁰, 2³², 2⁶⁴, 2⁹⁶ since the last carry. */
  digits: Float64Array;
  /** Additions since the last carry. */
  count: number;
  rest: bigint;
}

const T32 = 2 ** 32;
const T64 = 2 ** 64;
const T96 = 2 ** 96;
const T128 = 2 ** 128;
const CARRY_AFTER = 2 ** 20;

export function createExactSum(): ExactSum {
  return { digits: new Float64Array(4), count: 0, rest: 0n };
}

/** Adds the integer-valued double `x` (a RangeError for any other number: the sum would not be exact). */
export function addExactDouble(sum: ExactSum, x: number): void {
  single[0] = x;
  addExactAt(sum, single, 0);
}

const single = new Float64Array(1);

/**
 * addExactDouble of `values[index]`: the hot form, read where it lies (a double passed to a call
 * the compiler does not inline is a heap allocation, and a cascade adds hundreds of thousands).
 */
export function addExactAt(sum: ExactSum, values: Float64Array, index: number): void {
  let x = values[index]!;
  if (x === 0) return;
  if (!Number.isInteger(x)) throw new RangeError(`exact sum: ${x} is not an integer`);
  if (Math.abs(x) >= T128) {
    sum.rest += BigInt(x);
    return;
  }
  const d = sum.digits;
  const d3 = Math.trunc(x / T96);
  x -= d3 * T96;
  const d2 = Math.trunc(x / T64);
  x -= d2 * T64;
  const d1 = Math.trunc(x / T32);
  x -= d1 * T32;
  d[3] = d[3]! + d3;
  d[2] = d[2]! + d2;
  d[1] = d[1]! + d1;
  d[0] = d[0]! + x;
  if (++sum.count === CARRY_AFTER) carry(sum);
}

function carry(sum: ExactSum) {
  const [d0, d1, d2, d3] = sum.digits;
  sum.rest += BigInt(d0!) + (BigInt(d1!) << 32n) + (BigInt(d2!) << 64n) + (BigInt(d3!) << 96n);
  sum.digits.fill(0);
  sum.count = 0;
}

/** The sum, exactly. */
export function exactSumValue(sum: ExactSum): bigint {
  carry(sum);
  return sum.rest;
}

export function resetExactSum(sum: ExactSum): void {
  sum.digits.fill(0);
  sum.count = 0;
  sum.rest = 0n;
}
