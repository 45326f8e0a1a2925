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
import { sumEquity, type EquitySums } from "../columnar/sumEquity.ts";
import { fromUnits } from "../format.ts";
import { abs, mulDivDown, WAD } from "../math/wad.ts";
import { prepareMarginScreen, screenBound, screenMargin } from "../screen/marginScreen.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk, type AccountRisk } from "./computeAccountRisk.ts";
import { bucketOfHealth, exactHealth, HEALTH_BUCKETS, healthBucketOf } from "./healthBucketOf.ts";
import { isLiquidatable } from "./isLiquidatable.ts";
import { changedRowsSince } from "./pricingOf.ts";

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
 * What system risk keeps of each row, to follow the next block from (followSystemRisk): its
 * histogram bucket (−1: no position), whether it is liquidatable, its health interval [low, high]
 * (exact rows: low = high = the shown health), −equity for a row in deficit; and what they add up
 * to, with Σ equity and Σ weighted collateral. It describes one accounts array at one pricing.
 */
export interface SystemRiskRows {
  accounts: ProtocolSnapshot["accounts"];
  bucket: Int8Array;
  liquidatable: Uint8Array;
  low: Float64Array;
  high: Float64Array;
  deficits: Map<number, bigint>;
  histogram: number[];
  accountsWithPositions: number;
  totalEquityUsd: bigint;
  weightedCollateralUsd: bigint;
  /** Per market, the largest position's notional at the mark (largestNotional). */
  largestUsd: bigint[];
}

/** Room for `count` rows in `rows`' arrays, what they held kept. */
function reserveRows(rows: SystemRiskRows, count: number): void {
  if (rows.bucket.length >= count) return;
  const capacity = Math.max(count, Math.ceil(rows.bucket.length * 1.25));
  const grow = <T extends Int8Array | Uint8Array | Float64Array>(from: T, to: T): T => (to.set(from), to);
  rows.bucket = grow(rows.bucket, new Int8Array(capacity));
  rows.liquidatable = grow(rows.liquidatable, new Uint8Array(capacity));
  rows.low = grow(rows.low, new Float64Array(capacity));
  rows.high = grow(rows.high, new Float64Array(capacity));
}

/**
 * Every row of a block as a float screen found it (engine screenFigures, lib/server/rowScreen):
 * for each row with `screened[row]` = 1, whether it is liquidatable, its equity's sign
 * (Figures.equitySign) and an interval that holds its health (Figures.healthLow / healthHigh, NaN:
 * no position) — what classifyRows would otherwise screen again. At 1,000,000 accounts whose
 * prices all moved, that second screen was ~90 ms of the block.
 */
export interface ScreenedRisk {
  screened: Uint8Array;
  liquidatable: Uint8Array;
  equitySign: Int8Array;
  healthLow: Float64Array;
  healthHigh: Float64Array;
}

/**
 * Classifies `list`'s rows (every row when null) into `rows`, as one pass of the float screen at
 * λ = 0 and λ = 1 per account, whose proven bounds give equity ∈ D̃₀ ± ε₀ and MM = D₀ − D₁ ∈ D̃₀ −
 * D̃₁ ± (ε₀ + ε₁): an account is liquidatable or in deficit, or in a histogram bucket, by the float
 * wherever its interval decides it, and by the bigint engine (computeAccountRisk, decimal.js at an
 * edge, as always) where it does not. A row `known` screened is read from it instead of screened
 * again (the same bounds: the figure screen's equity and MM). The rows must hold nothing of these
 * accounts (new, or forgotten by forgetRow).
 */
function classifyRows(rows: SystemRiskRows, snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot, list: ArrayLike<number> | null, known: ScreenedRisk | undefined): void {
  const atEquity = prepareMarginScreen(snapshot, { maintenance: false });
  const atMaintenance = prepareMarginScreen(snapshot);
  const exactRisk = (row: number) => computeAccountRisk(snapshot, snapshot.accounts[row]!);
  const { bucket: buckets, liquidatable, low, high, deficits, histogram } = rows;
  let accountsWithPositions = rows.accountsWithPositions;
  // Local names for the per-row calls: some module loaders read imported bindings through a getter on every use.
  const [margin, bound, bucketOf] = [screenMargin, screenBound, bucketOfHealth];
  const n = list ? list.length : columnar.count;
  for (let i = 0; i < n; i++) {
    const row = list ? list[i]! : i;
    let risk: AccountRisk | undefined;
    // Equity's sign (−1 below 0 for sure, 1 above, 0 the floats cannot tell), whether it holds a position, its health interval.
    let sign: number;
    let positions: boolean;
    let lo = NaN;
    let hi = NaN;
    if (known?.screened[row]) {
      sign = known.equitySign[row]!;
      lo = known.healthLow[row]!;
      hi = known.healthHigh[row]!;
      positions = !Number.isNaN(lo);
      liquidatable[row] = known.liquidatable[row]!;
    } else {
      const d0 = margin(columnar, row, atEquity);
      const e0 = bound(atEquity);
      sign = d0 < -e0 ? -1 : d0 > e0 ? 1 : 0;
      positions = atEquity.positions;
      liquidatable[row] = 0;
      if (positions) {
        const d1 = margin(columnar, row, atMaintenance);
        const e1 = bound(atMaintenance);
        if (d1 < -e1 || (d1 <= e1 && isLiquidatable((risk ??= exactRisk(row))))) liquidatable[row] = 1;
        const slack = e0 + e1 + 2 ** -50 * (Math.abs(d0) + Math.abs(d1));
        const mmLow = d0 - d1 - slack;
        const mmHigh = d0 - d1 + slack;
        const eqLow = d0 - e0 - slack;
        const eqHigh = d0 + e0 + slack;
        // MM may be 0 (or below, to the floats): the bigint engine decides (lo and hi stay NaN).
        if (mmLow > 0) {
          lo = eqLow >= 0 ? eqLow / mmHigh : eqLow / mmLow;
          hi = eqHigh >= 0 ? eqHigh / mmLow : eqHigh / mmHigh;
        }
      }
    }
    if (sign < 0 || (sign === 0 && (risk ??= exactRisk(row)).equityUsd < 0n)) deficits.set(row, -(risk ??= exactRisk(row)).equityUsd);
    if (!positions) {
      buckets[row] = -1;
      continue;
    }
    lo -= CLEAR * Math.abs(lo);
    hi += CLEAR * Math.abs(hi);
    accountsWithPositions++;
    let b: number;
    if (!Number.isNaN(lo) && bucketOf(lo) === bucketOf(hi)) {
      b = bucketOf(lo);
      low[row] = lo;
      high[row] = hi;
    } else {
      risk ??= exactRisk(row);
      b = healthBucketOf(risk);
      low[row] = high[row] = exactHealth(risk);
    }
    buckets[row] = b;
    histogram[b]!++;
  }
  rows.accountsWithPositions = accountsWithPositions;
}

/** Takes `row` out of `rows`' counts and sums but its equity (followSystemRisk takes that out for all of them at once). */
function forgetRow(rows: SystemRiskRows, row: number): void {
  const b = rows.bucket[row]!;
  if (b >= 0) {
    rows.histogram[b]!--;
    rows.accountsWithPositions--;
  }
  rows.deficits.delete(row);
  rows.liquidatable[row] = 0;
  rows.bucket[row] = -1;
}

/**
 * The system's figures from its rows: the liquidatable in row order, the deficit summed, the
 * nearest the exact top of those whose interval reaches below the k-th smallest upper end, the
 * largest position per market the exact maximum of those within float error of the float maximum.
 */
function systemRiskOf(snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot, rows: SystemRiskRows, nearest: number): SystemRisk {
  const tvlUsd = snapshot.collaterals.reduce((sum, c) => sum + mulDivDown(c.totalDepositsNative, c.priceWad, 10n ** BigInt(c.decimals)), 0n);
  const count = columnar.count;
  const { bucket, low, high } = rows;
  const liquidatable: `0x${string}`[] = [];
  let unrecognisedDeficitUsd = 0n;
  for (const deficit of rows.deficits.values()) unrecognisedDeficitUsd += deficit;
  // In one pass over the rows: the liquidatable ones, and the k smallest upper ends, ascending (k is small: an insertion into k places).
  const take = Math.min(nearest, rows.accountsWithPositions);
  const smallest = new Float64Array(take).fill(Infinity);
  for (let row = 0; row < count; row++) {
    if (rows.liquidatable[row]) liquidatable.push(snapshot.accounts[row]!.address);
    if (take === 0 || bucket[row]! < 0 || !(high[row]! < smallest[take - 1]!)) continue;
    let at = take - 1;
    for (; at > 0 && smallest[at - 1]! > high[row]!; at--) smallest[at] = smallest[at - 1]!;
    smallest[at] = high[row]!;
  }
  const cut = take > 0 ? smallest[take - 1]! : -Infinity;
  const ranked: SystemRisk["nearestToLiquidation"] = [];
  for (let row = 0; row < count; row++) {
    if (bucket[row]! < 0 || !(low[row]! <= cut + CLEAR * Math.abs(cut))) continue;
    const account = snapshot.accounts[row]!;
    const risk = computeAccountRisk(snapshot, account);
    ranked.push({ address: account.address, health: exactHealth(risk), equityUsd: risk.equityUsd, maintenanceMarginUsd: risk.maintenanceMarginUsd });
  }
  ranked.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1));
  const markets = snapshot.markets.map((m): MarketRisk => {
    const openInterestUsd = mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD);
    const oneSideUsd = openInterestUsd === 0n ? 1n : openInterestUsd;
    const largestPositionUsd = rows.largestUsd[m.id]!;
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
    weightedCollateralUsd: rows.weightedCollateralUsd,
    totalEquityUsd: rows.totalEquityUsd,
    accountsWithPositions: rows.accountsWithPositions,
    liquidatable,
    unrecognisedDeficitUsd,
    markets,
    healthHistogram: HEALTH_BUCKETS.map((b, i) => ({ label: b.label, count: rows.histogram[i]! })),
    nearestToLiquidation: ranked.slice(0, nearest),
  };
}

/**
 * The rows of `snapshot` classified from scratch: into `room`'s arrays when they are long enough
 * (the last block's rows, not read after it: new arrays a block were ~20 MB at 1,000,000 accounts).
 * `sums`: sumEquity of every row, when the caller has it.
 */
function systemRiskRowsOf(snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot, room: SystemRiskRows | undefined, sums: EquitySums | undefined, known: ScreenedRisk | undefined): SystemRiskRows {
  const count = columnar.count;
  const { equityUsd, collateralValueUsd } = sums ?? sumEquity(columnar, snapshot);
  const reuse = room && room.bucket.length >= count ? room : undefined;
  const rows: SystemRiskRows = {
    accounts: snapshot.accounts,
    bucket: reuse?.bucket ?? new Int8Array(count),
    liquidatable: reuse?.liquidatable ?? new Uint8Array(count),
    low: reuse?.low ?? new Float64Array(count),
    high: reuse?.high ?? new Float64Array(count),
    deficits: new Map(),
    histogram: HEALTH_BUCKETS.map(() => 0),
    accountsWithPositions: 0,
    totalEquityUsd: equityUsd,
    weightedCollateralUsd: collateralValueUsd,
    largestUsd: snapshot.markets.map((m) => largestNotional(columnar, m.id, m.markPriceWad)),
  };
  classifyRows(rows, snapshot, columnar, null, known);
  return rows;
}

/**
 * System risk on the columnar path: Σ equity and Σ collateral to the wei without bigint per
 * account (sumEquity), and each account classified by the float screen with bigint where its
 * bounds do not decide (classifyRows).
 */
export function computeSystemRisk(snapshot: ProtocolSnapshot, { nearest = 20 }: { nearest?: number } = {}): SystemRisk {
  return followSystemRisk(snapshot, undefined, { nearest }).risk;
}

/**
 * computeSystemRisk of `snapshot`, and its rows to follow the next block from. From `last` (the
 * rows of the previous block's snapshot, `last.snapshot`) at the same pricing (pricingOf: the same
 * marks, prices and parameters) only the rows whose account object changed, and the new ones, are
 * classified again, and their equity taken out of the sums and put back: the same figures, to the
 * wei and the row, as from scratch. `last.rows` is reused in place (the previous block's figures,
 * already returned, are not touched). From scratch without `last`, when the pricing moved, or when
 * the accounts were not followed (fewer rows, or more than `maxChanged` changed: a quarter), into
 * `last.rows`' arrays when they have the room; there `everyRowSums`, when given, stands for
 * sumEquity over every row of `snapshot` (a caller that had it summed on another thread).
 * `screened`, when given, is a float screen of `snapshot`'s rows at its pricing (ScreenedRisk):
 * the rows it screened are classified from it, not screened again.
 *
 * Example: 100,000 accounts, 1,000 of them trading in a block: 1,000 rows screened and their
 * equity summed twice, then float passes over the rows' arrays for the list, the nearest and the
 * largest positions — not 100,000 rows screened twice.
 */
export function followSystemRisk(
  snapshot: ProtocolSnapshot,
  last: { snapshot: ProtocolSnapshot; rows: SystemRiskRows } | undefined,
  { nearest = 20, maxChanged = Math.floor(snapshot.accounts.length / 4), everyRowSums, screened }: { nearest?: number; maxChanged?: number; everyRowSums?: EquitySums; screened?: ScreenedRisk } = {},
): { risk: SystemRisk; rows: SystemRiskRows } {
  const columnar = columnarOf(snapshot, last?.snapshot);
  const changed = last && changedRowsSince(snapshot, last.snapshot, last.rows.accounts, maxChanged);
  if (!last || !changed) {
    const rows = systemRiskRowsOf(snapshot, columnar, last?.rows, everyRowSums, screened);
    return { risk: systemRiskOf(snapshot, columnar, rows, nearest), rows };
  }
  const rows = last.rows;
  const known = changed.filter((row) => row < last.snapshot.accounts.length);
  for (const row of known) forgetRow(rows, row);
  const before = columnarOf(last.snapshot);
  const was = sumEquity(before, last.snapshot, known);
  const now = sumEquity(columnar, snapshot, changed);
  rows.totalEquityUsd += now.equityUsd - was.equityUsd;
  rows.weightedCollateralUsd += now.collateralValueUsd - was.collateralValueUsd;
  rows.largestUsd = snapshot.markets.map((m) => followLargestNotional(rows.largestUsd[m.id]!, before, columnar, known, changed, m.id, m.markPriceWad));
  reserveRows(rows, snapshot.accounts.length);
  rows.accounts = snapshot.accounts;
  classifyRows(rows, snapshot, columnar, changed, screened);
  return { risk: systemRiskOf(snapshot, columnar, rows, nearest), rows };
}

/**
 * largestNotional at the same mark after `changed` rows changed (`known`: those that were rows
 * before), from the last block's `largest`: the larger of it and the changed rows' notionals —
 * unless a row that changed may have been the largest (its old size's notional within float error
 * of it), when every row is looked at again. At 1,000,000 accounts a block of trades reads ~1 % of
 * the rows, not every row of every market (~30 ms a block).
 */
function followLargestNotional(largest: bigint, before: ColumnarSnapshot, columnar: ColumnarSnapshot, known: readonly number[], changed: readonly number[], marketId: number, markWad: bigint): bigint {
  const [was, sizes] = [before.sizeBase[marketId], columnar.sizeBase[marketId]];
  if (!was || !sizes) return largestNotional(columnar, marketId, markWad);
  const mark = Number(markWad) / 1e18;
  const floor = Number(largest) * (1 - 2 ** -40) - 2;
  for (const row of known) if (was.hi[row] !== 0 && Math.abs(was.hi[row]!) * mark >= floor) return largestNotional(columnar, marketId, markWad);
  for (const row of changed) {
    if (sizes.hi[row] === 0) continue;
    const notional = mulDivDown(abs(readExact(sizes, row)), markWad, WAD);
    if (notional > largest) largest = notional;
  }
  return largest;
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
