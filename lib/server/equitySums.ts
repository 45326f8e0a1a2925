/**
 * Σ equity and Σ weighted collateral of every row of a block (engine sumEquity) as jobs in
 * shared memory (lib/server/helperThread), so that a block whose prices all moved has them summed
 * on the helper thread while the block worker orders the ADL lines: at the bench's 1,000,000
 * accounts on a usual day, ~0.27 s of one thread. Each job reads only the block's columns (engine
 * columnarOf: in shared memory) and its prices (copied with the job), for its stretch of rows; it
 * writes the sums, to the wei, into `out` as limbs (the contract floors each account's products on
 * its own: stretches' sums add up). In parts, whichever thread is free takes the next, so neither
 * waits on the other's last job: at 1,000,000 synthetic accounts the helper's sums (~1.1 s) and
 * the lines' order (1.15–1.35 s) were that close, and whichever ended first waited. Given the
 * unpriced part (Σ cash − Σ open notional: the caller follows it from the last block's through the
 * rows that changed), they do not sum those columns again: four of the venue's nine.
 *
 * Example: a venue's Σ equity of 1.2 × 10³⁰ wei: limbs [0 (sign), its 64-bit digits from the
 * lowest], read back as the same bigint.
 */

import { rowsBetween, sumEquity, type ColumnarSnapshot, type EquitySums, type Prices } from "../../engine/index.ts";

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
  /** The job's rows: from…to − 1. */
  from: number;
  to: number;
  /** The rows' unpricedEquity, when the caller has it. */
  unpricedUsd: bigint | undefined;
  /** Σ equity's words, then Σ weighted collateral's, then the unpriced part's. */
  out: BigUint64Array;
}

/**
 * Jobs summing every row of `columnar` at `prices`, in `parts` stretches of rows. `unpricedUsd`,
 * every row's unpriced part when the caller has it, goes with the first (the others' is 0).
 */
export function equitySumJobs(columnar: ColumnarSnapshot, prices: Prices, unpricedUsd?: bigint, parts = 1): EquitySumJob[] {
  const n = columnar.count;
  return Array.from({ length: parts }, (_, k) => ({
    kind: "equity",
    columnar,
    prices: { markets: prices.markets, collaterals: prices.collaterals },
    from: Math.floor((n * k) / parts),
    to: Math.floor((n * (k + 1)) / parts),
    unpricedUsd: unpricedUsd === undefined || k === 0 ? unpricedUsd : 0n,
    out: new BigUint64Array(new SharedArrayBuffer(8 * 3 * WORDS)),
  }));
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
export function sumEquityJob({ columnar, prices, from, to, unpricedUsd, out }: EquitySumJob): void {
  const sums = sumEquity(columnar, prices, rowsBetween(from, to), unpricedUsd);
  writeSum(out, 0, sums.equityUsd);
  writeSum(out, WORDS, sums.collateralValueUsd);
  writeSum(out, 2 * WORDS, sums.unpricedUsd);
}

/** The sums run jobs wrote, added up. */
export function equitySumsOf(jobs: readonly EquitySumJob[]): EquitySums {
  const sums: EquitySums = { equityUsd: 0n, collateralValueUsd: 0n, unpricedUsd: 0n };
  for (const { out } of jobs) {
    sums.equityUsd += readSum(out, 0);
    sums.collateralValueUsd += readSum(out, WORDS);
    sums.unpricedUsd += readSum(out, 2 * WORDS);
  }
  return sums;
}
