/**
 * ADL order: highest rank first; equal ranks by address, lowest first (as numbers). Total and
 * deterministic, so the engine and the contract pick the same counterparties.
 */

export interface Ranked {
  address: `0x${string}`;
  rank: bigint;
}

/** Negative when `a` is deleveraged before `b`. */
export function compareAdlPriority(a: Ranked, b: Ranked): number {
  if (a.rank !== b.rank) return a.rank > b.rank ? -1 : 1;
  const x = BigInt(a.address);
  const y = BigInt(b.address);
  return x === y ? 0 : x < y ? -1 : 1;
}
