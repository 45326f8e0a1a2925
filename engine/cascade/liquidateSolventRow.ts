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
import type { KeeperReward } from "../liquidation/keeperReward.ts";
import type { AccountRisk } from "../margin/computeAccountRisk.ts";
import type { Account } from "../types.ts";
import { logTakeover, type KeeperLog } from "./keeperLog.ts";

/**
 * Rows liquidated in the columns whose objects wait for restoreAccountObjects; their cash after is
 * in the cash column (as bigints in an array they outlived every scavenge until the end).
 */
export type StaleAccounts = number[];

/** liquidateSolvent of `account` (the state's object at `row`, solvent and liquidatable, risk `risk`), in the columns. */
export function liquidateSolventRow(state: WorkingState, columnar: ColumnarSnapshot, stale: StaleAccounts, keeperLog: KeeperLog, account: Account, row: number, risk: AccountRisk, reward: KeeperReward): void {
  const s = state.snapshot;
  let cashUsd = account.cashUsd;
  for (const p of risk.positions) {
    cashUsd += p.upnlUsd;
    addOpenInterest(s.markets[p.marketId]!, p.sizeBase, -1n);
    writeExact(columnar.sizeBase[p.marketId]!, row, 0n);
    writeExact(columnar.openNotionalUsd[p.marketId]!, row, 0n);
  }
  cashUsd -= reward.penaltyUsd;
  s.reserves.insuranceFundUsd += reward.penaltyUsd - reward.rewardUsd;
  logTakeover(keeperLog, reward.rewardUsd, risk.positions);
  writeExact(columnar.cashUsd, row, cashUsd);
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
