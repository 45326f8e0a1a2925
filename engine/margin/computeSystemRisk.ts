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
 * Example: 3 accounts with health 0.9, 1.3, 4 → buckets "< 1": 1, "1.25–1.5": 1, "3–5": 1.
 */

import { fromUnits, fromWad } from "../format.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk } from "./computeAccountRisk.ts";
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

export function computeSystemRisk(snapshot: ProtocolSnapshot, { nearest = 20 }: { nearest?: number } = {}): SystemRisk {
  const tvlUsd = snapshot.collaterals.reduce((sum, c) => sum + mulDivDown(c.totalDepositsNative, c.priceWad, 10n ** BigInt(c.decimals)), 0n);
  let weightedCollateralUsd = 0n;
  let totalEquityUsd = 0n;
  let unrecognisedDeficitUsd = 0n;
  const liquidatable: `0x${string}`[] = [];
  const histogram = HEALTH_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  const ranked: SystemRisk["nearestToLiquidation"] = [];
  const largest = snapshot.markets.map(() => 0n);
  for (const account of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, account);
    weightedCollateralUsd += risk.collateralValueUsd;
    totalEquityUsd += risk.equityUsd;
    if (risk.equityUsd < 0n) unrecognisedDeficitUsd -= risk.equityUsd;
    for (const p of risk.positions) if (p.notionalUsd > largest[p.marketId]!) largest[p.marketId] = p.notionalUsd;
    if (risk.positions.length === 0) continue;
    if (isLiquidatable(risk)) liquidatable.push(account.address);
    const health = risk.maintenanceMarginUsd === 0n ? Infinity : fromWad(risk.equityUsd).div(fromWad(risk.maintenanceMarginUsd)).toNumber();
    histogram[HEALTH_BUCKETS.findIndex((b) => health < b.max)]!.count++;
    ranked.push({ address: account.address, health, equityUsd: risk.equityUsd, maintenanceMarginUsd: risk.maintenanceMarginUsd });
  }
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
    accountsWithPositions: ranked.length,
    liquidatable,
    unrecognisedDeficitUsd,
    markets,
    healthHistogram: histogram,
    nearestToLiquidation: ranked.slice(0, nearest),
  };
}
