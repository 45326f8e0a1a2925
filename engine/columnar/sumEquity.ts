/**
 * Σ equity and Σ weighted collateral over rows of a columnar snapshot, to the wei, as the sum of
 * every account's computeAccountRisk would give — but with no bigint per account:
 *
 *   Σ equity     = Σ cash + Σ collateral + Σ_m (Σ floor(s·mark_m/1e18) − Σ openNotional)
 *   Σ collateral = Σ_c Σ floor(floor(b·q_c/10^dec_c)·w_c/1e18)
 *
 * The contract floors each account's products on its own, so a total cannot be taken from the
 * column sums alone (Σ floor ≠ floor Σ: up to one wei per account and term); floorProductSum
 * carries each row's residue in float limbs instead. A collateral whose price is a whole multiple
 * of 10^dec (every price a feed gives with ≤ 18 − dec decimals) has floor(b·q/10^dec) = b·(q/10^dec)
 * exactly, so its term is one floor with the multiplier (q/10^dec)·w; any other collateral, and a
 * row too wide for the limbs, is valued in bigint for that term. Negative prices, weights or
 * balances are left to the bigint engine, which refuses them as the contract does.
 *
 * Example: 100,000 accounts of 2 positions and 1.3 collateral holdings: ~330,000 limb products
 * instead of ~100,000 computeAccountRisk calls; Σ equity equals Σ computeAccountRisk(…).equityUsd.
 */

import { mulDivDown, WAD } from "../math/wad.ts";
import type { Prices } from "../screen/marginScreen.ts";
import type { ColumnarSnapshot } from "./columnarSnapshot.ts";
import { readExact, type ExactColumn } from "./exactColumn.ts";
import { addFloorProducts, createFloorProductSum, floorProductTotal } from "./floorProductSum.ts";

export interface EquitySums {
  equityUsd: bigint;
  collateralValueUsd: bigint;
  /** Σ cash − Σ open notional: the part of Σ equity no price moves. */
  unpricedUsd: bigint;
}

/** Σ of a plain column (multiplier 1e18: no residue), rows that do not fit the limbs in bigint. */
function sumColumn(column: ExactColumn, rows: ArrayLike<number>, multiplierWad: bigint, exact: (x: bigint) => bigint): bigint {
  const sum = createFloorProductSum(multiplierWad);
  let rest = 0n;
  for (const row of addFloorProducts(sum, column, rows)) rest += exact(readExact(column, row));
  return floorProductTotal(sum) + rest;
}

/** 0, 1, …, count − 1: every row (kept, grown as needed). */
let everyRow = new Uint32Array(0);
function rowsUpTo(count: number): Uint32Array {
  if (everyRow.length < count) {
    everyRow = new Uint32Array(count + (count >>> 4));
    for (let row = 0; row < everyRow.length; row++) everyRow[row] = row;
  }
  return everyRow.subarray(0, count);
}

/** from, from + 1, …, to − 1: a stretch of rows (a view of the kept rows). */
export function rowsBetween(from: number, to: number): Uint32Array {
  return rowsUpTo(to).subarray(from, to);
}

/** Σ cash − Σ open notional of `rows` (every row by default): the part of Σ equity no price moves. */
export function unpricedEquity(columnar: ColumnarSnapshot, rows: ArrayLike<number> = rowsUpTo(columnar.count)): bigint {
  const plain = (column: ExactColumn) => sumColumn(column, rows, WAD, (x) => x);
  return columnar.openNotionalUsd.reduce((sum, column) => sum - plain(column), plain(columnar.cashUsd));
}

/**
 * Exact Σ equity and Σ weighted collateral of `rows` (ascending or not; each once; every row by
 * default) at `prices`. `unpricedUsd`, when given, is their unpricedEquity, which a caller that
 * follows it from block to block (through the rows that changed) has: it is not summed again.
 */
export function sumEquity(columnar: ColumnarSnapshot, prices: Prices, rows: ArrayLike<number> = rowsUpTo(columnar.count), unpricedUsd?: bigint): EquitySums {
  let collateralValueUsd = 0n;
  prices.collaterals.forEach((asset, c) => {
    const column = columnar.balancesNative[c];
    if (!column) return;
    const scale = 10n ** BigInt(asset.decimals);
    const exact = (b: bigint) => (b === 0n ? 0n : mulDivDown(mulDivDown(b, asset.priceWad, scale), asset.params.weightWad, WAD));
    const whole = asset.priceWad >= 0n && asset.params.weightWad >= 0n && asset.priceWad % scale === 0n;
    if (!whole) {
      for (let k = 0; k < rows.length; k++) collateralValueUsd += exact(readExact(column, rows[k]!));
      return;
    }
    // Balances are never negative on chain; a negative one goes to the bigint engine, which throws as the contract would.
    for (let k = 0; k < rows.length; k++) if (column.hi[rows[k]!]! < 0) exact(readExact(column, rows[k]!));
    collateralValueUsd += sumColumn(column, rows, (asset.priceWad / scale) * asset.params.weightWad, exact);
  });
  const unpriced = unpricedUsd ?? unpricedEquity(columnar, rows);
  let equityUsd = collateralValueUsd + unpriced;
  prices.markets.forEach((market, m) => {
    const mark = market.markPriceWad;
    // A negative mark: the bigint engine refuses the first position in it, as the contract would.
    if (mark < 0n) for (let k = 0; k < rows.length; k++) if (columnar.sizeBase[m]!.hi[rows[k]!] !== 0) mulDivDown(1n, mark, WAD);
    const floor = (s: bigint) => (s * mark >= 0n ? (s * mark) / WAD : -((-(s * mark) + WAD - 1n) / WAD));
    equityUsd += sumColumn(columnar.sizeBase[m]!, rows, mark, floor);
  });
  return { equityUsd, collateralValueUsd, unpricedUsd: unpriced };
}
