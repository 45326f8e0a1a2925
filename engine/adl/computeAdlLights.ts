/**
 * ADL lights as traders see them: per market and side, every position ranked with BitMEX's
 * display formula (profitable: pnlPct × effLev; losing: pnlPct / effLev), sorted in ADL order,
 * and cut into quintiles: 5 lights = the top 20 % (first to be deleveraged), 1 = the bottom.
 * Display only (the order is the scores' exact one, in fractions of integers); the contract's
 * integer rank (computeAdlRank) decides real fills, and over profitable positions both orders agree.
 *
 * Example: three shorts in profit ranked 0.9, 0.4, 0.1 → lights 5, 4, 2: the i-th of n (from 0)
 * gets 5 − ⌊5i/n⌋, the quintile its place falls in (0 %, 33 %, 67 % of the way down the line).
 */

import { computeAccountRisk, type AccountRisk } from "../margin/computeAccountRisk.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";

export interface AdlLight {
  address: `0x${string}`;
  marketId: number;
  side: "long" | "short";
  /** BitMEX display rank. */
  score: number;
  /** 1 (last in line) … 5 (first in line). */
  light: 1 | 2 | 3 | 4 | 5;
}

/**
 * A position's place in its line (market and side): its score in float, and (made when a float
 * comparison cannot decide) exactly. `row` is its account's row in the snapshot.
 */
export interface AdlEntry {
  row: number;
  address: `0x${string}`;
  marketId: number;
  side: "long" | "short";
  score: number;
  exact: ExactAdlScore | undefined;
  risk: AccountRisk;
  position: number;
  openNotionalUsd: bigint;
}

/**
 * A display score exactly: the fraction num / den of two integers (den > 0), or, with den 0, an
 * infinite one of num's sign. Ordered by compareExactAdlScores.
 */
export interface ExactAdlScore {
  num: bigint;
  den: bigint;
}

const ZERO_SCORE: ExactAdlScore = { num: 0n, den: 1n };

/**
 * The display score (header) exactly, of the `position`-th position of an account of exact `risk`,
 * whose open notional is `openNotionalUsd`: pnl% = upnl / |open| (0 with no open notional), effLev
 * = notional / equity (infinite when equity ≤ 0); pnl% × effLev in profit (+∞ without equity),
 * pnl% / effLev at a loss (0 without equity). As fractions, pnl% × effLev = upnl·notional /
 * (|open|·equity) and pnl% / effLev = upnl·equity / (|open|·notional): two products of integers,
 * where the decimals of three quotients were ~10 µs a score (at 1,000,000 accounts, ~20,000
 * scores a block whose prices moved: near-ties of accounts alike in shape).
 */
export function exactAdlScore(risk: Pick<AccountRisk, "equityUsd" | "notionalUsd" | "positions">, position: number, openNotionalUsd: bigint): ExactAdlScore {
  const upnl = risk.positions[position]!.upnlUsd;
  const open = openNotionalUsd < 0n ? -openNotionalUsd : openNotionalUsd;
  const { equityUsd: equity, notionalUsd: notional } = risk;
  if (open === 0n) return ZERO_SCORE;
  if (upnl > 0n) return equity > 0n ? { num: upnl * notional, den: open * equity } : { num: 1n, den: 0n };
  if (equity <= 0n || upnl === 0n) return ZERO_SCORE;
  // A loss with no notional (a mark of 0): pnl% / 0.
  return notional > 0n ? { num: upnl * equity, den: open * notional } : { num: -1n, den: 0n };
}

/** −1, 0 or 1 as exact score `a` is below, equal to or above `b`. */
export function compareExactAdlScores(a: ExactAdlScore, b: ExactAdlScore): number {
  const infiniteA = a.den === 0n ? (a.num > 0n ? 1 : -1) : 0;
  const infiniteB = b.den === 0n ? (b.num > 0n ? 1 : -1) : 0;
  if (infiniteA !== 0 || infiniteB !== 0) return Math.sign(infiniteA - infiniteB);
  const difference = a.num * b.den - b.num * a.den;
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

const exactScore = (r: AdlEntry): ExactAdlScore => (r.exact ??= exactAdlScore(r.risk, r.position, r.openNotionalUsd));

/**
 * Scores further apart than this, relative to the larger, are in the same order in float and
 * exactly: the float of a score is within 4 ulp of the real one (Number() of four exact integers,
 * a quotient, a product or a second quotient).
 */
const APART = 2 ** -48;

/** Whether float scores `x` and `y` are far enough apart to be ordered as their exact scores are; otherwise the exact scores decide. */
export function adlScoresApart(x: number, y: number): boolean {
  return x !== y && Math.abs(x - y) > APART * Math.max(Math.abs(x), Math.abs(y));
}

/**
 * The error bound of a float score of adlEntriesOf's, within adlScoresApart's margin: half of
 * APART of it. An infinite score (profit on a position of an account without equity) is exact.
 */
export const adlScoreBound = (score: number) => (Number.isFinite(score) ? (APART / 2) * Math.abs(score) : 0);

/**
 * Whether scores known as x ± bx and y ± by (adlScoreBound's, or engine/screen's screenFigures')
 * are ordered as their floats are; otherwise the exact scores decide. Never true for a NaN or two
 * infinities.
 */
export function adlIntervalsApart(x: number, bx: number, y: number, by: number): boolean {
  return Math.abs(x - y) > bx + by;
}

/**
 * Whether scores known as x ± bx and y ± by are the same exactly: the same float, both exact (a
 * bound of 0: a score of 0, no profit or no equity, or an infinite one). Then the address decides
 * without the exact scores: positions opened at the mark are all at 0 until it moves, and in a venue
 * of 1,000,000 accounts valuing both accounts of every such comparison was most of a block's time.
 */
export function adlScoresTied(x: number, bx: number, y: number, by: number): boolean {
  return x === y && bx === 0 && by === 0;
}

/**
 * Whether two accounts hold the same: cash, balances and positions (market, size, open notional).
 * Then every figure of theirs is the same, each position's score in its line exactly: two such
 * places are tied without their exact scores, ordered by address. At 1,000,000 accounts whose
 * prices moved, a third of the places whose floats could not be told apart (~11,000 of ~30,000)
 * were of accounts alike to the wei, each valued in bigint for the comparison.
 */
export function sameHoldings(a: Account, b: Account): boolean {
  if (a.cashUsd !== b.cashUsd || a.positions.length !== b.positions.length || a.balancesNative.length !== b.balancesNative.length) return false;
  for (let c = 0; c < a.balancesNative.length; c++) if (a.balancesNative[c] !== b.balancesNative[c]) return false;
  for (let p = 0; p < a.positions.length; p++) {
    const x = a.positions[p]!;
    const y = b.positions[p]!;
    if (x.marketId !== y.marketId || x.sizeBase !== y.sizeBase || x.openNotionalUsd !== y.openNotionalUsd) return false;
  }
  return true;
}

/** ADL order: the higher score first, the exact score deciding where the floats are too close; ties by address (lower first). A total order: two entries of one line never compare equal. */
export function compareAdlLine(a: AdlEntry, b: AdlEntry): number {
  const x = a.score;
  const y = b.score;
  if (adlScoresApart(x, y)) return y > x ? 1 : -1;
  if (adlScoresTied(x, adlScoreBound(x), y, adlScoreBound(y))) return a.address < b.address ? -1 : 1;
  // Lower-case hex of one length compares as the numbers do.
  return compareExactAdlScores(exactScore(b), exactScore(a)) || (a.address < b.address ? -1 : 1);
}

/** The light of the `index`-th of `length` positions in a line (from 0, first in line): 5 − ⌊5·index/length⌋. */
export function adlLightAt(index: number, length: number): AdlLight["light"] {
  return Math.min(5, Math.max(1, 5 - Math.floor((5 * index) / length))) as AdlLight["light"];
}

/** The key of a position's line: `${marketId}:${side}`. */
export const adlLineOf = (entry: Pick<AdlEntry, "marketId" | "side">) => `${entry.marketId}:${entry.side}`;

/** The line entries of the positions of `account` (at `row`, of exact `risk`), in its positions' order. */
export function adlEntriesOf(account: Account, risk: AccountRisk, row: number): AdlEntry[] {
  const equity = Number(risk.equityUsd);
  const effLev = risk.equityUsd > 0n ? Number(risk.notionalUsd) / equity : Infinity;
  return risk.positions.map((p, i) => {
    const openNotionalUsd = account.positions[i]!.openNotionalUsd;
    const openNotional = Math.abs(Number(openNotionalUsd));
    const pnlPct = openNotionalUsd === 0n ? 0 : Number(p.upnlUsd) / openNotional;
    const score = p.upnlUsd > 0n && openNotionalUsd !== 0n ? pnlPct * effLev : effLev !== Infinity ? pnlPct / effLev : 0;
    const side = p.sizeBase > 0n ? "long" : "short";
    return { row, address: account.address, marketId: p.marketId, side, score, exact: undefined, risk, position: i, openNotionalUsd };
  });
}

/**
 * Lights for every open position, keyed `${address}:${marketId}`. Scores are compared in float
 * and only within float's error of each other exactly (the order, hence every light, is the
 * exact one); `score` is the float. `riskOf(row)`: the exact risk of the account at `row`, for a
 * caller that has them already.
 */
export function computeAdlLights(snapshot: ProtocolSnapshot, riskOf: (row: number) => AccountRisk = (row) => computeAccountRisk(snapshot, snapshot.accounts[row]!)): Map<string, AdlLight> {
  const groups = new Map<string, AdlEntry[]>();
  for (const [row, account] of snapshot.accounts.entries()) {
    if (account.positions.length === 0) continue;
    for (const entry of adlEntriesOf(account, riskOf(row), row)) {
      const key = adlLineOf(entry);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(entry);
    }
  }
  const lights = new Map<string, AdlLight>();
  for (const group of groups.values()) {
    group.sort(compareAdlLine);
    group.forEach((g, index) => {
      lights.set(`${g.address}:${g.marketId}`, { address: g.address, marketId: g.marketId, side: g.side, score: Number.isFinite(g.score) ? g.score : Number.MAX_VALUE, light: adlLightAt(index, group.length) });
    });
  }
  return lights;
}
