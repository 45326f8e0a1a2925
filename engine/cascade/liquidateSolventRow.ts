/**
 * A cascade's direct liquidation of a solvent account (liquidateDirect, or liquidateBatchInPlace's
 * `solvent`), kept beside the columns instead of in the account's object: the same state to the
 * wei as liquidateSolvent, but the account is neither copied nor rewritten position by position.
 * For every position p of the account, at mark:
 *
 *   cash' = cash + Σ uPnL_p − penalty          the row flagged cleared: no position (ClearedRows)
 *   OI of p's side −= |size_p|                  keeper: cash += reward, takes p at mark (logged: keeperLog.ts)
 *   insurance += penalty − reward
 *
 * The account's object is left as it was until restoreAccountObjects puts { cash', balances as
 * they were, no positions } in its place — before anything reads accounts at large (a
 * liquidation that goes the whole way: ADL walks every account), and when the cascade's final
 * state is first read. Until then the object is stale, which nothing reads: the row is cleared, so no scan
 * values it and no keeper takes it again.
 *
 * Example: long 2 ETH from $3,000 at a mark of $2,800 with $500 of cash (equity $100, MM $280),
 * penalty 2 % of $5,600 = $112 capped at the equity, $100, half to the keeper: cash' = 500 − 400 −
 * 100 = $0, the keeper long 2 ETH at $2,800 and $50 richer, insurance +$50.
 */

import { createExactColumn, readExact, writeExact, type ExactColumn } from "../columnar/exactColumn.ts";
import { addOpenInterest, replaceAccount, type WorkingState } from "../liquidation/applyTrade.ts";
import { addPenalty, chargePenalty, type KeeperReward, type PenaltySums } from "../liquidation/keeperReward.ts";
import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { collateralValueOf, valuePosition, type PositionValue } from "../margin/computeAccountRisk.ts";
import type { Account, CollateralAsset, MarketParams } from "../types.ts";
import { addRoundSize, logTakeover, type KeeperLog } from "./keeperLog.ts";

/**
 * Rows liquidated beside the columns: flagged `cleared` (they hold no position from then on,
 * whatever the columns, which the cascade shares with its input, still say) with their cash
 * after in `cashUsd`, and those whose objects wait for restoreAccountObjects in `rows`.
 */
export interface ClearedRows {
  cleared: Uint8Array;
  cashUsd: ExactColumn;
  rows: number[];
}

/** No row cleared yet, of `count` rows. */
export function createClearedRows(count: number): ClearedRows {
  return { cleared: new Uint8Array(count), cashUsd: createExactColumn(count), rows: [] };
}

/** What liquidating a solvent account moves: its cash, exact equity, Σ notional and Σ uPnL at mark, and the penalty and reward. */
export interface SolventFigures {
  cashUsd: bigint;
  equityUsd: bigint;
  notionalUsd: bigint;
  upnlUsd: bigint;
  reward: KeeperReward;
}

/** The columns a liquidation reads: a cascade's, or their arrays shared with another thread. */
export type LiquidationColumns = Pick<ColumnarSnapshot, "cashUsd" | "balancesNative" | "sizeBase" | "openNotionalUsd">;

/** The prices and parameters a liquidation reads (a snapshot is one). */
export interface LiquidationVenue {
  markets: readonly { markPriceWad: bigint; params: Pick<MarketParams, "liquidationPenaltyWad" | "keeperShareWad"> }[];
  collaterals: readonly (Pick<CollateralAsset, "priceWad" | "decimals"> & { params: Pick<CollateralAsset["params"], "weightWad"> })[];
}

/** Open interest per market and side, in base units. */
export interface OpenInterestSums {
  longBase: bigint[];
  shortBase: bigint[];
}

const value: PositionValue = { notionalUsd: 0n, upnlUsd: 0n };
const sums: PenaltySums = { rawPenaltyUsd: 0n, rawKeeperUsd: 0n };

/**
 * The figures of the account at `row` of `columns`, at the venue's prices, into `out`:
 * computeAccountRisk's equity and notional and keeperReward's penalty and reward, by the same
 * functions, without the margins or a position's record (a liquidation the scan proved needs
 * neither); with `openInterest`, each position's size added to its side's sum.
 */
export function solventFiguresOfRow(venue: LiquidationVenue, columns: LiquidationColumns, row: number, out: SolventFigures, openInterest?: OpenInterestSums): void {
  const cashUsd = readExact(columns.cashUsd, row);
  let equityUsd = cashUsd;
  const balances = columns.balancesNative;
  for (let c = 0; c < balances.length; c++) {
    if (balances[c]!.hi[row] !== 0) equityUsd += collateralValueOf(venue.collaterals[c]!, readExact(balances[c]!, row));
  }
  let notionalUsd = 0n;
  let upnlUsd = 0n;
  sums.rawPenaltyUsd = 0n;
  sums.rawKeeperUsd = 0n;
  const sizes = columns.sizeBase;
  for (let m = 0; m < sizes.length; m++) {
    // A column's hi is 0 only for 0 (a nonzero integer rounds to a nonzero double).
    if (sizes[m]!.hi[row] === 0) continue;
    const size = readExact(sizes[m]!, row);
    const market = venue.markets[m]!;
    valuePosition(size, readExact(columns.openNotionalUsd[m]!, row), market.markPriceWad, value);
    upnlUsd += value.upnlUsd;
    notionalUsd += value.notionalUsd;
    addPenalty(sums, value.notionalUsd, market.params);
    if (openInterest) {
      if (size > 0n) openInterest.longBase[m] = openInterest.longBase[m]! + size;
      else openInterest.shortBase[m] = openInterest.shortBase[m]! - size;
    }
  }
  equityUsd += upnlUsd;
  out.cashUsd = cashUsd;
  out.equityUsd = equityUsd;
  out.notionalUsd = notionalUsd;
  out.upnlUsd = upnlUsd;
  out.reward.rawPenaltyUsd = sums.rawPenaltyUsd;
  chargePenalty(out.reward, sums.rawKeeperUsd, equityUsd);
}

/** liquidateSolvent of `account` (the state's object at `row`, solvent and liquidatable, with the figures `figures`), in the columns. */
export function liquidateSolventRow(state: WorkingState, cleared: ClearedRows, keeperLog: KeeperLog, account: Account, row: number, { upnlUsd, reward }: Pick<SolventFigures, "upnlUsd" | "reward">): void {
  const s = state.snapshot;
  for (const p of account.positions) addOpenInterest(s.markets[p.marketId]!, p.sizeBase, -1n);
  s.reserves.insuranceFundUsd += reward.penaltyUsd - reward.rewardUsd;
  logTakeover(keeperLog, reward.rewardUsd, row, s.markets);
  for (const p of account.positions) addRoundSize(keeperLog, p.marketId, p.sizeBase);
  cleared.cleared[row] = 1;
  writeExact(cleared.cashUsd, row, account.cashUsd + upnlUsd - reward.penaltyUsd);
  cleared.rows.push(row);
}

/**
 * Puts every stale row's account back in the object form (its own copy), and forgets them.
 * `final`: the state is read only as a snapshot from now on (the cascade's result), so the
 * accounts are only put in place, not registered for the state's later writes.
 */
export function restoreAccountObjects(state: WorkingState, cleared: ClearedRows, { final = false } = {}): void {
  const accounts = state.snapshot.accounts;
  for (const row of cleared.rows) {
    const before = accounts[row]!;
    // The final state shares the balances it did not change, as a working copy shares the accounts it did not touch.
    const account = { address: before.address, cashUsd: readExact(cleared.cashUsd, row), balancesNative: final ? before.balancesNative : [...before.balancesNative], positions: [] };
    if (final) accounts[row] = account;
    else replaceAccount(state, row, account);
  }
  cleared.rows.length = 0;
}
