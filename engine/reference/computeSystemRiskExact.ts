/**
 * The account-by-account figures of computeSystemRisk, every account valued in bigint
 * (computeAccountRisk) and every health bucketed by healthBucketOf: the reference the columnar
 * path (sumEquity, the screen's health intervals) is tested against. Not for production callers:
 * ~2 µs an account where the columnar path spends a few dozen nanoseconds.
 */

import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { SystemRisk } from "../margin/computeSystemRisk.ts";
import { exactHealth, HEALTH_BUCKETS, healthBucketOf } from "../margin/healthBucketOf.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import type { ProtocolSnapshot } from "../types.ts";

export type SystemRiskExact = Omit<SystemRisk, "tvlUsd" | "markets"> & { largestPositionUsd: bigint[] };

/** computeSystemRisk's per-account figures (and each market's largest position), by the bigint engine alone. */
export function computeSystemRiskExact(snapshot: ProtocolSnapshot, { nearest = 20 }: { nearest?: number } = {}): SystemRiskExact {
  const result: SystemRiskExact = { weightedCollateralUsd: 0n, totalEquityUsd: 0n, accountsWithPositions: 0, liquidatable: [], unrecognisedDeficitUsd: 0n, healthHistogram: HEALTH_BUCKETS.map((b) => ({ label: b.label, count: 0 })), nearestToLiquidation: [], largestPositionUsd: snapshot.markets.map(() => 0n) };
  for (const account of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, account);
    result.weightedCollateralUsd += risk.collateralValueUsd;
    result.totalEquityUsd += risk.equityUsd;
    if (risk.equityUsd < 0n) result.unrecognisedDeficitUsd -= risk.equityUsd;
    for (const p of risk.positions) if (p.notionalUsd > result.largestPositionUsd[p.marketId]!) result.largestPositionUsd[p.marketId] = p.notionalUsd;
    if (risk.positions.length === 0) continue;
    result.accountsWithPositions++;
    if (isLiquidatable(risk)) result.liquidatable.push(account.address);
    result.healthHistogram[healthBucketOf(risk)]!.count++;
    result.nearestToLiquidation.push({ address: account.address, health: exactHealth(risk), equityUsd: risk.equityUsd, maintenanceMarginUsd: risk.maintenanceMarginUsd });
  }
  result.nearestToLiquidation = result.nearestToLiquidation.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1)).slice(0, nearest);
  return result;
}
