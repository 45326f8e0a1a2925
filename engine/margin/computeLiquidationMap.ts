/**
 * Liquidation map of one market: how much notional would be liquidated if its mark moved to
 * each price level, all other prices held. Longs are liquidated below the mark, shorts above.
 * Each position falls in the bucket of its liquidation price (computeHealth, others fixed);
 * `cumulative…` adds up every bucket between the mark and that level.
 *
 * Buckets are `stepPct` wide out to ±`rangePct` of the mark. Example with step 5 %: a long
 * whose liquidation price is 7 % under the mark falls in the −10 %…−5 % bucket, and counts in the
 * cumulative figure of every level from −5 % down.
 */

import type { ProtocolSnapshot } from "../types.ts";
import { computeHealth } from "./computeHealth.ts";

export interface LiquidationMapBucket {
  /** Lower and upper bound of the bucket, as a fraction of the mark (−0.1 = 10 % below). */
  from: number;
  to: number;
  longNotionalUsd: bigint;
  shortNotionalUsd: bigint;
  longAccounts: number;
  shortAccounts: number;
  /** Notional liquidated by a move from the mark to the far edge of this bucket. */
  cumulativeNotionalUsd: bigint;
}

export function computeLiquidationMap(snapshot: ProtocolSnapshot, marketId: number, { stepPct = 2.5, rangePct = 50 } = {}): LiquidationMapBucket[] {
  const steps = Math.round(rangePct / stepPct);
  const buckets: LiquidationMapBucket[] = [];
  for (let i = -steps; i < steps; i++) {
    buckets.push({ from: (i * stepPct) / 100, to: ((i + 1) * stepPct) / 100, longNotionalUsd: 0n, shortNotionalUsd: 0n, longAccounts: 0, shortAccounts: 0, cumulativeNotionalUsd: 0n });
  }
  const mark = Number(snapshot.markets[marketId]!.markPriceWad) / 1e18;
  for (const account of snapshot.accounts) {
    const position = account.positions.find((p) => p.marketId === marketId);
    if (!position) continue;
    const health = computeHealth(snapshot, account).positions.find((p) => p.marketId === marketId)!;
    if (health.liquidationPriceWad === null) continue;
    const move = Number(health.liquidationPriceWad) / 1e18 / mark - 1;
    // Already past it: it belongs at the mark (the first bucket on its side).
    const clamped = position.sizeBase > 0n ? Math.min(move, -1e-12) : Math.max(move, 0);
    const index = Math.floor((clamped * 100) / stepPct) + steps;
    const bucket = buckets[index];
    if (!bucket) continue;
    if (position.sizeBase > 0n) {
      bucket.longNotionalUsd += health.notionalUsd;
      bucket.longAccounts++;
    } else {
      bucket.shortNotionalUsd += health.notionalUsd;
      bucket.shortAccounts++;
    }
  }
  let down = 0n;
  for (let i = steps - 1; i >= 0; i--) buckets[i]!.cumulativeNotionalUsd = down += buckets[i]!.longNotionalUsd;
  let up = 0n;
  for (let i = steps; i < buckets.length; i++) buckets[i]!.cumulativeNotionalUsd = up += buckets[i]!.shortNotionalUsd;
  return buckets;
}
