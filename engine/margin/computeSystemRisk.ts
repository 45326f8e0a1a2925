/**
 * System-wide figures for the overview, all from the same snapshot:
 *
 *   TVL               = Σ deposits × price (before haircuts)
 *   open interest     = long size × mark, per market, against its cap (utilisation)
 *   liquidatable      = accounts with positions and equity < MM
 *   unrecognised deficit = Σ −equity over accounts with negative equity (losses no reserve
 *                       has absorbed yet: who withdraws first escapes them)
 *   health histogram  = counts of accounts with positions by equity / MM bucket
 *
 * Health is a decimal.js ratio where it is shown (the nearest accounts) or where a float could
 * fall on the other side of a bucket edge; elsewhere the float ratio, within 5·2⁻⁵³ of it.
 * Example: 3 accounts with health 0.9, 1.3, 4 → buckets "< 1": 1, "1.25–1.5": 1, "3–5": 1.
 */

import { fromUnits, fromWad } from "../format.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk, type AccountRisk } from "./computeAccountRisk.ts";
import { isLiquidatable } from "./isLiquidatable.ts";

export const HEALTH_BUCKETS = [
  { label: "< 1", max: 1 },
  { label: "1–1.1", max: 1.1 },
  { label: "1.1–1.25", max: 1.25 },
  { label: "1.25–1.5", max: 1.5 },
  { label: "1.5–2", max: 2 },
  { label: "2–3", max: 3 },
  { label: "3–5", max: 5 },
  { label: "≥ 5", max: Infinity },
] as const;

export interface MarketRisk {
  marketId: number;
  openInterestUsd: bigint;
  oiCapUsd: bigint;
  utilisation: number;
  largestPositionUsd: bigint;
  /** Largest position's share of the market's long or short open interest. */
  largestShare: number;
}

export interface SystemRisk {
  tvlUsd: bigint;
  weightedCollateralUsd: bigint;
  totalEquityUsd: bigint;
  accountsWithPositions: number;
  liquidatable: `0x${string}`[];
  unrecognisedDeficitUsd: bigint;
  markets: MarketRisk[];
  healthHistogram: { label: string; count: number }[];
  /** Accounts with positions, nearest to liquidation first (health ascending). */
  nearestToLiquidation: { address: `0x${string}`; health: number; equityUsd: bigint; maintenanceMarginUsd: bigint }[];
}

/** Relative distance under which a float health might sit on the other side of a value than the exact one. */
const CLOSE = 1e-12;

/** equity / MM as decimal.js gives it (the figure shown); Infinity with no maintenance margin. */
function exactHealth(risk: AccountRisk): number {
  return risk.maintenanceMarginUsd === 0n ? Infinity : fromWad(risk.equityUsd).div(fromWad(risk.maintenanceMarginUsd)).toNumber();
}

export function computeSystemRisk(snapshot: ProtocolSnapshot, { nearest = 20 }: { nearest?: number } = {}): SystemRisk {
  const tvlUsd = snapshot.collaterals.reduce((sum, c) => sum + mulDivDown(c.totalDepositsNative, c.priceWad, 10n ** BigInt(c.decimals)), 0n);
  let weightedCollateralUsd = 0n;
  let totalEquityUsd = 0n;
  let unrecognisedDeficitUsd = 0n;
  const liquidatable: `0x${string}`[] = [];
  const histogram = HEALTH_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  const approximate: { row: number; health: number }[] = [];
  const largest = snapshot.markets.map(() => 0n);
  snapshot.accounts.forEach((account, row) => {
    const risk = computeAccountRisk(snapshot, account);
    weightedCollateralUsd += risk.collateralValueUsd;
    totalEquityUsd += risk.equityUsd;
    if (risk.equityUsd < 0n) unrecognisedDeficitUsd -= risk.equityUsd;
    for (const p of risk.positions) if (p.notionalUsd > largest[p.marketId]!) largest[p.marketId] = p.notionalUsd;
    if (risk.positions.length === 0) return;
    if (isLiquidatable(risk)) liquidatable.push(account.address);
    // Float health is within 5·2⁻⁵³ (relative) of the exact ratio; decimal.js only where that could cross a bucket edge.
    const estimate = risk.maintenanceMarginUsd === 0n ? Infinity : Number(risk.equityUsd) / Number(risk.maintenanceMarginUsd);
    const near = HEALTH_BUCKETS.some((b) => Number.isFinite(b.max) && Math.abs(estimate - b.max) <= CLOSE * b.max);
    const health = near ? exactHealth(risk) : estimate;
    histogram[HEALTH_BUCKETS.findIndex((b) => health < b.max)]!.count++;
    approximate.push({ row, health: estimate });
  });
  // The nearest by float health, widened by its error, then ordered by the exact ratio.
  approximate.sort((a, b) => a.health - b.health);
  const cut = approximate[Math.min(nearest, approximate.length) - 1]?.health ?? -Infinity;
  const ranked = approximate
    .filter((a, i) => i < nearest || a.health <= cut + CLOSE * Math.abs(cut))
    .map(({ row }) => {
      const account = snapshot.accounts[row]!;
      const risk = computeAccountRisk(snapshot, account);
      return { address: account.address, health: exactHealth(risk), equityUsd: risk.equityUsd, maintenanceMarginUsd: risk.maintenanceMarginUsd };
    });
  ranked.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1));
  const markets = snapshot.markets.map((m): MarketRisk => {
    const openInterestUsd = mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD);
    const oneSideUsd = openInterestUsd === 0n ? 1n : openInterestUsd;
    return {
      marketId: m.id,
      openInterestUsd,
      oiCapUsd: m.params.oiCapUsd,
      utilisation: fromUnits(openInterestUsd, 0).div(fromUnits(m.params.oiCapUsd, 0)).toNumber(),
      largestPositionUsd: largest[m.id]!,
      largestShare: fromUnits(largest[m.id]!, 0).div(fromUnits(oneSideUsd, 0)).toNumber(),
    };
  });
  return {
    tvlUsd,
    weightedCollateralUsd,
    totalEquityUsd,
    accountsWithPositions: approximate.length,
    liquidatable,
    unrecognisedDeficitUsd,
    markets,
    healthHistogram: histogram,
    nearestToLiquidation: ranked.slice(0, nearest),
  };
}
