/**
 * The cascade keeper's side of the columnar liquidations (liquidateSolventRow.ts), written down
 * instead of applied: each reward, each takeover of a position at mark, and each end-of-round
 * unwind, replayed into the keeper's account (replayKeeperLog: applyTrade and setPosition, in
 * order — the same state to the wei) only when something reads it: a liquidation that goes the
 * whole way (its keeper must meet initial margin; ADL may pick the keeper as a counterparty).
 * The keeper leaves the cascade's final state, so a cascade with no such liquidation never
 * replays: its keeper's trades at 100k accounts were ~90,000 applyTrade calls on a position that
 * grows through each round (wide bigints), a third of the liquidation time.
 *
 * Between replays the keeper's account is behind, never ahead, which is all the batch's direct
 * path asks of it (liquidateBatchInPlace reads its cash as a proof of margin): rewards only add
 * cash, and every logged trade of a round is at that round's marks, so closing what was opened
 * realises ≥ 0 (rounding in the keeper's favour, as that proof says); positions left at the end of
 * a round are dropped, moving no cash. Its size per market for the round's flow is the account's
 * plus the round's takeovers (sizes add exactly in applyTrade).
 *
 * A takeover is logged as its account's row: replay reads the positions from the account's object,
 * which a direct liquidation leaves as it was until restoreAccountObjects (replay comes first), at
 * the marks of its round, logged once per round.
 *
 * Example: a round takes long 2 ETH (account A), short 0.5 ETH (B) and long 1 BTC (C), rewards
 * $40 + $10 + $25: the log holds the round's marks, rows A, B, C and $75; the unwind reports ETH
 * +1.5, BTC +1 and logs a marker; a later bankrupt account replays them: cash +$75 + what closing
 * 0.5 of the 2 ETH realised, then positions dropped.
 */

import type { ExactColumn } from "../columnar/exactColumn.ts";
import { accountOf, applyTrade, peekAccount, setPosition, type WorkingState } from "../liquidation/applyTrade.ts";
import { addExactAt, createExactSum, exactSumValue, resetExactSum, type ExactSum } from "../math/exactSum.ts";

/** An entry of the log: a row ≥ 0, or one of these. */
const UNWIND = -1;
const MARKS = -2;

/** Takeovers (rows), unwinds and the marks they were taken at, not yet applied; rewards summed; the round's sizes so far. */
export interface KeeperLog {
  keeper: `0x${string}`;
  /** In order: a row (its account's positions taken at the marks last logged), UNWIND, or MARKS (the next entry of `marks` from here on). */
  entries: number[];
  marks: bigint[][];
  rewardUsd: bigint;
  /** Per market: Σ size taken since the last unwind and not yet in the account — the bigints added, and the columns' cells (addRoundSizeAt). */
  roundSizesBase: bigint[];
  roundColumnSizes: ExactSum[];
}

/** An empty log for `keeper` on a venue of `markets` markets. */
export function createKeeperLog(keeper: `0x${string}`, markets: number): KeeperLog {
  return { keeper, entries: [], marks: [], rewardUsd: 0n, roundSizesBase: Array.from({ length: markets }, () => 0n), roundColumnSizes: Array.from({ length: markets }, createExactSum) };
}

/**
 * The keeper is paid `rewardUsd` and takes every position of the account at `row` (whose object
 * keeps them until the log is replayed) at its market's mark (liquidateSolvent's keeper side);
 * the caller adds each one's size to the round's (addRoundSize).
 */
export function logTakeover(log: KeeperLog, rewardUsd: bigint, row: number, markets: readonly { markPriceWad: bigint }[]): void {
  if (rewardUsd !== 0n) log.rewardUsd += rewardUsd;
  const last = log.marks[log.marks.length - 1];
  let moved = last === undefined;
  for (let m = 0; !moved && m < markets.length; m++) moved = markets[m]!.markPriceWad !== last![m];
  if (moved) {
    log.entries.push(MARKS);
    log.marks.push(markets.map((m) => m.markPriceWad));
  }
  log.entries.push(row);
}

/** A position of a logged takeover, its size into the round's. */
export function addRoundSize(log: KeeperLog, marketId: number, sizeBase: bigint): void {
  log.roundSizesBase[marketId] = log.roundSizesBase[marketId]! + sizeBase;
}

/** addRoundSize of the size in `column` at `row`, summed in doubles (no bigint per takeover: a cascade takes hundreds of thousands). */
export function addRoundSizeAt(log: KeeperLog, marketId: number, column: ExactColumn, row: number): void {
  const lo = column.lo[row]!;
  if (lo !== lo) return addRoundSize(log, marketId, column.wide.get(row)!);
  const sum = log.roundColumnSizes[marketId]!;
  addExactAt(sum, column.hi, row);
  addExactAt(sum, column.lo, row);
}

/** Σ of the round's sizes per market, the sums then emptied. */
function takeRoundSizes(log: KeeperLog): bigint[] {
  const sizes = log.roundSizesBase.map((size, m) => size + exactSumValue(log.roundColumnSizes[m]!));
  clearRoundSizes(log);
  return sizes;
}

function clearRoundSizes(log: KeeperLog) {
  log.roundSizesBase.fill(0n);
  for (const sum of log.roundColumnSizes) resetExactSum(sum);
}

/** Applies the log to the keeper's account, in order, and empties it: before any logged row's object is restored. */
export function replayKeeperLog(state: WorkingState, log: KeeperLog): void {
  if (log.entries.length === 0 && log.rewardUsd === 0n) return;
  const account = accountOf(state, log.keeper);
  account.cashUsd += log.rewardUsd;
  let marks: bigint[] = [];
  let nextMarks = 0;
  for (const entry of log.entries) {
    if (entry === MARKS) marks = log.marks[nextMarks++]!;
    else if (entry === UNWIND) for (const p of [...account.positions]) setPosition(state, account, p.marketId, 0n, 0n);
    else for (const p of state.snapshot.accounts[entry]!.positions) applyTrade(state, log.keeper, p.marketId, p.sizeBase, marks[p.marketId]!);
  }
  log.entries.length = 0;
  log.marks.length = 0;
  log.rewardUsd = 0n;
  clearRoundSizes(log);
}

/**
 * The keeper's size per market at the end of a round (the account's and the round's takeovers),
 * the keeper then flat: the account's positions dropped now when the log holds no takeover, else
 * an unwind marker logged (after a replay first, when the account itself holds positions, so that
 * it is flat at the next round's start, as the batch's proof of margin wants it).
 */
export function unwindLoggedKeeper(state: WorkingState, log: KeeperLog): bigint[] {
  const held = peekAccount(state, log.keeper)?.positions.length ?? 0;
  if (held > 0 && log.entries.length > 0) replayKeeperLog(state, log);
  const sizes = takeRoundSizes(log);
  const account = peekAccount(state, log.keeper);
  if (log.entries.length === 0) {
    if (account && account.positions.length > 0) {
      const owned = accountOf(state, log.keeper);
      for (const p of [...owned.positions]) {
        sizes[p.marketId] = sizes[p.marketId]! + p.sizeBase;
        setPosition(state, owned, p.marketId, 0n, 0n);
      }
    }
  } else log.entries.push(UNWIND);
  return sizes;
}
