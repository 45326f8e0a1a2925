/**
 * A cascade's direct liquidation of a solvent account (liquidateBatchInPlace's `solvent`), kept in
 * the columns instead of the account's object: the same state to the wei as liquidateSolvent, but
 * the account is neither copied nor rewritten position by position. For every position p of the
 * account's exact risk, at mark:
 *
 *   cash' = cash + Σ uPnL_p − penalty          size_p = openNotional_p = 0 (columns)
 *   OI of p's side −= |size_p|                  keeper: cash += reward, takes p at mark (logged: keeperLog.ts)
 *   insurance += penalty − reward
 *
 * The account's object is left as it was until restoreAccountObjects puts { cash', balances as
 * they were, no positions } in its place — before anything reads accounts at large (a
 * liquidation that goes the whole way: ADL walks every account), and once at the end of the
 * cascade. Until then the object is stale, which nothing reads: the row holds no position, so no
 * scan values it and no keeper takes it again.
 *
 * Example: long 2 ETH from $3,000 at a mark of $2,800 with $500 of cash (equity $100, MM $280),
 * penalty 2 % of $5,600 = $112 capped at the equity, $100, half to the keeper: cash' = 500 − 400 −
 * 100 = $0, the keeper long 2 ETH at $2,800 and $50 richer, insurance +$50.
 */

import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { readExact, writeExact } from "../columnar/exactColumn.ts";
import { addOpenInterest, replaceAccount, type WorkingState } from "../liquidation/applyTrade.ts";
import { addPenalty, chargePenalty, type KeeperReward, type PenaltySums } from "../liquidation/keeperReward.ts";
import { computeCollateralValue, valuePosition, type PositionValue } from "../margin/computeAccountRisk.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";
import { logTakeover, type KeeperLog } from "./keeperLog.ts";

/**
 * Rows liquidated in the columns whose objects wait for restoreAccountObjects; their cash after is
 * in the cash column (as bigints in an array they outlived every scavenge until the end).
 */
export type StaleAccounts = number[];

/** What liquidating a solvent account moves: its exact equity, Σ notional and Σ uPnL at mark, and the penalty and reward. */
export interface SolventFigures {
  equityUsd: bigint;
  notionalUsd: bigint;
  upnlUsd: bigint;
  reward: KeeperReward;
}

const value: PositionValue = { notionalUsd: 0n, upnlUsd: 0n };
const sums: PenaltySums = { rawPenaltyUsd: 0n, rawKeeperUsd: 0n };

/**
 * The figures of `account` at the snapshot's prices into `out`: computeAccountRisk's equity and
 * notional and keeperReward's penalty and reward, by the same functions, without the margins or
 * a position's record (a liquidation the scan proved needs neither).
 */
export function solventFigures(snapshot: Pick<ProtocolSnapshot, "markets" | "collaterals">, account: Account, out: SolventFigures): void {
  let equityUsd = computeCollateralValue(snapshot, account) + account.cashUsd;
  let notionalUsd = 0n;
  let upnlUsd = 0n;
  sums.rawPenaltyUsd = 0n;
  sums.rawKeeperUsd = 0n;
  for (const p of account.positions) {
    const market = snapshot.markets[p.marketId]!;
    valuePosition(p.sizeBase, p.openNotionalUsd, market.markPriceWad, value);
    upnlUsd += value.upnlUsd;
    notionalUsd += value.notionalUsd;
    addPenalty(sums, value.notionalUsd, market.params);
  }
  equityUsd += upnlUsd;
  out.equityUsd = equityUsd;
  out.notionalUsd = notionalUsd;
  out.upnlUsd = upnlUsd;
  out.reward.rawPenaltyUsd = sums.rawPenaltyUsd;
  chargePenalty(out.reward, sums.rawKeeperUsd, equityUsd);
}

/** liquidateSolvent of `account` (the state's object at `row`, solvent and liquidatable, with the figures `figures`), in the columns. */
export function liquidateSolventRow(state: WorkingState, columnar: ColumnarSnapshot, stale: StaleAccounts, keeperLog: KeeperLog, account: Account, row: number, { upnlUsd, reward }: SolventFigures): void {
  const s = state.snapshot;
  for (const p of account.positions) {
    addOpenInterest(s.markets[p.marketId]!, p.sizeBase, -1n);
    writeExact(columnar.sizeBase[p.marketId]!, row, 0n);
    writeExact(columnar.openNotionalUsd[p.marketId]!, row, 0n);
  }
  s.reserves.insuranceFundUsd += reward.penaltyUsd - reward.rewardUsd;
  logTakeover(keeperLog, reward.rewardUsd, account.positions, s.markets);
  writeExact(columnar.cashUsd, row, account.cashUsd + upnlUsd - reward.penaltyUsd);
  stale.push(row);
}

/**
 * Puts every stale row's account back in the object form (its own copy), and forgets them.
 * `final`: the state is read only as a snapshot from now on (the cascade's result), so the
 * accounts are only put in place, not registered for the state's later writes.
 */
export function restoreAccountObjects(state: WorkingState, columnar: ColumnarSnapshot, stale: StaleAccounts, { final = false } = {}): void {
  const accounts = state.snapshot.accounts;
  for (const row of stale) {
    const before = accounts[row]!;
    const account = { address: before.address, cashUsd: readExact(columnar.cashUsd, row), balancesNative: [...before.balancesNative], positions: [] };
    if (final) accounts[row] = account;
    else replaceAccount(state, row, account);
  }
  stale.length = 0;
}
