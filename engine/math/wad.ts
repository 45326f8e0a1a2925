/**
 * Fixed-point integer arithmetic on bigint, rounding exactly as the contract does
 * (OpenZeppelin Math.mulDiv; docs/PROTOCOL.md "Rounding primitives").
 *
 *   mulDivDown(a, b, d) = floor(a·b / d)      a, b ≥ 0, d > 0
 *   mulDivUp(a, b, d)   = ceil(a·b / d)
 *   signedValue(size, price) = floor(size·price / 1e18), toward −∞ for shorts too
 *
 * Example: signedValue(−1.5e18, 3000.000000000000000001e18) = −4500.000000000000000002e18
 * (the exact product −4500.0000000000000000015 rounds down).
 */

import { BackstopError } from "../errors.ts";

export const WAD = 10n ** 18n;
export const MAX_UINT256 = 2n ** 256n - 1n;

export class ArithmeticError extends BackstopError {
  override name = "ArithmeticError";
}

/** floor(a·b/d) for non-negative a, b and positive d. */
export function mulDivDown(a: bigint, b: bigint, d: bigint): bigint {
  if (a < 0n || b < 0n || d <= 0n) throw new ArithmeticError(`mulDivDown(${a}, ${b}, ${d}): operands must be non-negative and d positive`);
  return (a * b) / d;
}

/** ceil(a·b/d) for non-negative a, b and positive d. */
export function mulDivUp(a: bigint, b: bigint, d: bigint): bigint {
  if (a < 0n || b < 0n || d <= 0n) throw new ArithmeticError(`mulDivUp(${a}, ${b}, ${d}): operands must be non-negative and d positive`);
  const p = a * b;
  return p === 0n ? 0n : (p - 1n) / d + 1n;
}

/** floor(size·price / 1e18), rounding toward −∞: the value at `priceWad` of a signed size. */
export function signedValue(size: bigint, priceWad: bigint): bigint {
  return size >= 0n ? mulDivDown(size, priceWad, WAD) : -mulDivUp(-size, priceWad, WAD);
}

export const abs = (x: bigint): bigint => (x < 0n ? -x : x);
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
