/**
 * Every row's deficit bounds under Cover's shock (engine boundEveryDeficit: two float screens a
 * row, at the marks shocked down and up) as a job in shared memory (lib/server/helperThread), so
 * that a block whose prices all moved has them bounded on the helper thread while the block worker
 * orders the ADL lines: at 1,000,000 accounts, ~0.13 s of one thread. The job reads only the
 * block's columns (engine columnarOf: in shared memory) and its prices (copied with the job), and
 * writes the bounds into shared arrays that followCover then takes as its rows (`bounded`).
 *
 * Example: a −40 % / +40 % shock on 1,000,000 rows: 2,000,000 screens, low and high written for
 * each row (0 for a row without positions).
 */

import { allocateFloat64, boundEveryDeficit, type ColumnarSnapshot, type Prices } from "../../engine/index.ts";

export interface CoverBoundsJob {
  kind: "cover";
  columnar: ColumnarSnapshot;
  /** The block's markets and collaterals (not its snapshot: the job is copied to the helper). */
  prices: Prices;
  shock: number[];
  low: Float64Array;
  high: Float64Array;
}

/** A job bounding every row of `columnar` under `shock` at `prices`, into `room`'s arrays when they are shared and long enough. */
export function coverBoundsJob(columnar: ColumnarSnapshot, prices: Prices, shock: readonly number[], room?: { low: Float64Array; high: Float64Array }): CoverBoundsJob {
  const fits = (array: Float64Array | undefined) => array && array.buffer instanceof SharedArrayBuffer && array.length >= columnar.count;
  const length = columnar.count + (columnar.count >>> 4);
  const [low, high] = fits(room?.low) && fits(room?.high) ? [room!.low, room!.high] : [allocateFloat64(length), allocateFloat64(length)];
  return { kind: "cover", columnar, prices: { markets: prices.markets, collaterals: prices.collaterals }, shock: [...shock], low, high };
}

/** Runs the job: every row's bounds written into its `low` and `high`. */
export function boundCoverDeficits({ columnar, prices, shock, low, high }: CoverBoundsJob): void {
  boundEveryDeficit(columnar, prices, shock, low, high);
}
