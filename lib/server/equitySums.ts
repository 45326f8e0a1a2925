/**
 * Σ equity and Σ weighted collateral of every row of a block (engine sumEquity) as a job in
 * shared memory (lib/server/helperThread), so that a block whose prices all moved has them summed
 * on the helper thread while the block worker orders the ADL lines: at 1,000,000 accounts, ~0.27 s
 * of one thread. The job reads only the block's columns (engine columnarOf: in shared memory) and
 * its prices (copied with the job); it writes the sums, to the wei, into `out` as limbs. Given
 * the unpriced part (Σ cash − Σ open notional: the caller follows it from the last block's through
 * the rows that changed), it does not sum those columns again: four of the venue's nine.
 *
 * Example: a venue's Σ equity of 1.2 × 10³⁰ wei: limbs [0 (sign), its 64-bit digits from the
 * lowest], read back as the same bigint.
 */

import { sumEquity, type ColumnarSnapshot, type EquitySums, type Prices } from "../../engine/index.ts";

/** 64-bit limbs a sum's magnitude may take: up to 2²⁵⁶ wei (a sum of every account's equity is far below). */
const LIMBS = 4;
/** Per sum, a sign word (1: negative) and its limbs. */
const WORDS = 1 + LIMBS;
const MASK = (1n << 64n) - 1n;

export interface EquitySumJob {
  kind: "equity";
  columnar: ColumnarSnapshot;
  /** The block's markets and collaterals (not its snapshot: the job is copied to the helper). */
  prices: Prices;
  /** The rows' unpricedEquity, when the caller has it. */
  unpricedUsd: bigint | undefined;
  /** Σ equity's words, then Σ weighted collateral's, then the unpriced part's. */
  out: BigUint64Array;
}

/** A job summing every row of `columnar` at `prices`. */
export function equitySumJob(columnar: ColumnarSnapshot, prices: Prices, unpricedUsd?: bigint): EquitySumJob {
  return { kind: "equity", columnar, prices: { markets: prices.markets, collaterals: prices.collaterals }, unpricedUsd, out: new BigUint64Array(new SharedArrayBuffer(8 * 3 * WORDS)) };
}

function writeSum(out: BigUint64Array, at: number, value: bigint): void {
  let magnitude = value < 0n ? -value : value;
  out[at] = value < 0n ? 1n : 0n;
  for (let limb = 1; limb <= LIMBS; limb++, magnitude >>= 64n) out[at + limb] = magnitude & MASK;
  if (magnitude !== 0n) throw new Error(`block views: a sum of equity of ${value} wei does not fit ${64 * LIMBS} bits`);
}

function readSum(out: BigUint64Array, at: number): bigint {
  let magnitude = 0n;
  for (let limb = LIMBS; limb >= 1; limb--) magnitude = (magnitude << 64n) | out[at + limb]!;
  return out[at] === 1n ? -magnitude : magnitude;
}

/** Runs the job: the sums written into its `out`. */
export function sumEquityJob({ columnar, prices, unpricedUsd, out }: EquitySumJob): void {
  const sums = sumEquity(columnar, prices, undefined, unpricedUsd);
  writeSum(out, 0, sums.equityUsd);
  writeSum(out, WORDS, sums.collateralValueUsd);
  writeSum(out, 2 * WORDS, sums.unpricedUsd);
}

/** The sums a run job wrote. */
export function equitySumsOf({ out }: EquitySumJob): EquitySums {
  return { equityUsd: readSum(out, 0), collateralValueUsd: readSum(out, WORDS), unpricedUsd: readSum(out, 2 * WORDS) };
}
