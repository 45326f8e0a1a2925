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

import { columnarOf } from "../columnar/columnarOf.ts";
import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { readExact } from "../columnar/exactColumn.ts";
import { sumEquity } from "../columnar/sumEquity.ts";
import { fromUnits } from "../format.ts";
import { abs, mulDivDown, WAD } from "../math/wad.ts";
import { prepareMarginScreen, screenBound, screenMargin } from "../screen/marginScreen.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk, type AccountRisk } from "./computeAccountRisk.ts";
import { bucketOfHealth, exactHealth, HEALTH_BUCKETS, healthBucketOf } from "./healthBucketOf.ts";
import { isLiquidatable } from "./isLiquidatable.ts";

export { HEALTH_BUCKETS } from "./healthBucketOf.ts";

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

/** How far (relative) a row's health interval must stay from a bucket edge for the float to place it: past CLOSE (healthBucketOf) and the interval's own rounding. */
const CLEAR = 4e-12;


/**
 * System risk on the columnar path: Σ equity and Σ collateral to the wei without bigint per
 * account (sumEquity), and one pass of the float screen (marginScreen.ts) at λ = 0 and λ = 1 per
 * account, whose proven bounds give equity ∈ D̃₀ ± ε₀ and MM = D₀ − D₁ ∈ D̃₀ − D̃₁ ± (ε₀ + ε₁):
 * an account is liquidatable or in deficit, or in a histogram bucket, by the float wherever its
 * interval decides it, and by the bigint engine (computeAccountRisk, decimal.js at an edge, as
 * always) where it does not. The nearest accounts are the exact top of those whose interval
 * reaches below the k-th smallest upper end; the largest position per market the exact maximum
 * of those within float error of the float maximum.
 */
export function computeSystemRisk(snapshot: ProtocolSnapshot, { nearest = 20 }: { nearest?: number } = {}): SystemRisk {
  const tvlUsd = snapshot.collaterals.reduce((sum, c) => sum + mulDivDown(c.totalDepositsNative, c.priceWad, 10n ** BigInt(c.decimals)), 0n);
  const columnar = columnarOf(snapshot);
  const count = columnar.count;
  const all = new Uint32Array(count);
  for (let row = 0; row < count; row++) all[row] = row;
  const { equityUsd: totalEquityUsd, collateralValueUsd: weightedCollateralUsd } = sumEquity(columnar, snapshot, all);
  const atEquity = prepareMarginScreen(snapshot, { maintenance: false });
  const atMaintenance = prepareMarginScreen(snapshot);
  const exactRisk = (row: number) => computeAccountRisk(snapshot, snapshot.accounts[row]!);
  let unrecognisedDeficitUsd = 0n;
  const liquidatable: `0x${string}`[] = [];
  const histogram = HEALTH_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  // Per account with positions: its health interval [low, high] (exact rows: low = high = the shown health).
  const held = new Uint32Array(count);
  const low = new Float64Array(count);
  const high = new Float64Array(count);
  let accountsWithPositions = 0;
  // Local names for the per-row calls: some module loaders read imported bindings through a getter on every use.
  const [margin, bound, bucket] = [screenMargin, screenBound, bucketOfHealth];
  for (let row = 0; row < count; row++) {
    const d0 = margin(columnar, row, atEquity);
    const e0 = bound(atEquity);
    let risk: AccountRisk | undefined;
    if (d0 < -e0 || (d0 <= e0 && (risk = exactRisk(row)).equityUsd < 0n)) unrecognisedDeficitUsd -= (risk ??= exactRisk(row)).equityUsd;
    if (!atEquity.positions) continue;
    const d1 = margin(columnar, row, atMaintenance);
    const e1 = bound(atMaintenance);
    if (d1 < -e1 || (d1 <= e1 && isLiquidatable((risk ??= exactRisk(row))))) liquidatable.push(snapshot.accounts[row]!.address);
    const slack = e0 + e1 + 2 ** -50 * (Math.abs(d0) + Math.abs(d1));
    const mmLow = d0 - d1 - slack;
    const mmHigh = d0 - d1 + slack;
    const eqLow = d0 - e0 - slack;
    const eqHigh = d0 + e0 + slack;
    let lo = eqLow >= 0 ? eqLow / mmHigh : eqLow / mmLow;
    let hi = eqHigh >= 0 ? eqHigh / mmLow : eqHigh / mmHigh;
    lo -= CLEAR * Math.abs(lo);
    hi += CLEAR * Math.abs(hi);
    const k = accountsWithPositions++;
    held[k] = row;
    if (mmLow > 0 && bucket(lo) === bucket(hi)) {
      histogram[bucket(lo)]!.count++;
      low[k] = lo;
      high[k] = hi;
    } else {
      risk ??= exactRisk(row);
      histogram[healthBucketOf(risk)]!.count++;
      low[k] = high[k] = exactHealth(risk);
    }
  }
  // The nearest: every account whose interval starts at or below the k-th smallest upper end, then the exact order.
  const take = Math.min(nearest, accountsWithPositions);
  const uppers = high.slice(0, accountsWithPositions).sort();
  const cut = take > 0 ? uppers[take - 1]! : -Infinity;
  const ranked: SystemRisk["nearestToLiquidation"] = [];
  for (let k = 0; k < accountsWithPositions; k++) {
    if (!(low[k]! <= cut + CLEAR * Math.abs(cut))) continue;
    const account = snapshot.accounts[held[k]!]!;
    const risk = computeAccountRisk(snapshot, account);
    ranked.push({ address: account.address, health: exactHealth(risk), equityUsd: risk.equityUsd, maintenanceMarginUsd: risk.maintenanceMarginUsd });
  }
  ranked.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1));
  const markets = snapshot.markets.map((m): MarketRisk => {
    const openInterestUsd = mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD);
    const oneSideUsd = openInterestUsd === 0n ? 1n : openInterestUsd;
    const largestPositionUsd = largestNotional(columnar, m.id, m.markPriceWad);
    return {
      marketId: m.id,
      openInterestUsd,
      oiCapUsd: m.params.oiCapUsd,
      utilisation: fromUnits(openInterestUsd, 0).div(fromUnits(m.params.oiCapUsd, 0)).toNumber(),
      largestPositionUsd,
      largestShare: fromUnits(largestPositionUsd, 0).div(fromUnits(oneSideUsd, 0)).toNumber(),
    };
  });
  return {
    tvlUsd,
    weightedCollateralUsd,
    totalEquityUsd,
    accountsWithPositions,
    liquidatable,
    unrecognisedDeficitUsd,
    markets,
    healthHistogram: histogram,
    nearestToLiquidation: ranked.slice(0, nearest),
  };
}

/** The largest floor(|s|·mark/1e18) of a market: the float maximum, then bigint on the rows within its error (4u + 1 wei). */
function largestNotional(columnar: ColumnarSnapshot, marketId: number, markWad: bigint): bigint {
  const sizes = columnar.sizeBase[marketId];
  if (!sizes) return 0n;
  const mark = Number(markWad) / 1e18;
  let top = 0;
  for (let row = 0; row < columnar.count; row++) top = Math.max(top, Math.abs(sizes.hi[row]!) * mark);
  let largest = 0n;
  if (top === 0) return largest;
  const floor = top * (1 - 2 ** -40) - 2;
  for (let row = 0; row < columnar.count; row++) {
    if (sizes.hi[row] === 0 || !(Math.abs(sizes.hi[row]!) * mark >= floor)) continue;
    const notional = mulDivDown(abs(readExact(sizes, row)), markWad, WAD);
    if (notional > largest) largest = notional;
  }
  return largest;
}
