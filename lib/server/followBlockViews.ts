/**
 * followBlockViews: each block's views (lib/server/views' BlockViews) from the last block's,
 * recomputing only what the block touched — the same views computeBlockViews computes from
 * scratch, value for value and byte for byte.
 *
 * What an account's row and its positions' places in the ADL lines depend on: the account object
 * (followSnapshot never changes one in place: a new object is a changed account) and the venue's
 * pricing — every market's mark, symbol and parameters, every collateral's price, decimals and
 * parameters. While the pricing stays the same, a block's work is its changed (and new)
 * accounts: their risk in bigint, their positions taken out of their ADL lines and merged back at
 * their new places, their rows and those whose brightest light moved with them written again, and
 * the accounts table updated rather than rebuilt (lib/server/accountTable). When the pricing
 * moves, every account is valued again: screened in floats (engine screenFigures; at a big venue
 * in two jobs, one on a helper thread: lib/server/rowScreen), each account the screen cannot tell
 * in bigint. Either way the venue-wide figures come from the columnar
 * path, its columns followed from the last block's (engine columnarOf): system risk followed from
 * the last block's rows while the pricing stands (engine followSystemRisk: only the changed rows
 * screened again), Cover-N likewise (engine followCover), bigint only for its few candidates.
 *
 * What is kept from block to block is typed arrays — the lines (row, market, float score), the
 * brightest light and the health of each row — not the accounts' risks and rows as objects: at
 * 100,000 accounts those were millions of objects that outlived a block, and the collector's
 * full passes over them cost more than the work itself.
 *
 * The ADL lights by position are not computed here (the worker does not send them): a reader of
 * `adlLights` gets them computed then, from the block's snapshot.
 *
 * Example: 100,000 accounts, 1,000 of them trading in a block, prices unchanged: 1,000 rows
 * screened (a few valued in bigint), six ADL lines merged, ~1,000 rows written into copies of the last table's columns, five orders
 * merged, ~1,000 rows screened for system risk and Cover-N.
 */

import {
  adlEntriesOf,
  adlIntervalsApart,
  adlScoresTied,
  sameHoldings,
  adlLightAt,
  adlLineOf,
  adlScoreBound,
  columnarOf,
  createFigures,
  exactFigures,
  prepareFigureScreen,
  computeAccountRisk,
  followCover,
  type CoverRows,
  followSystemRisk,
  changedRowsSince,
  rowsChangedSince,
  type SystemRiskRows,
  type ScreenedRisk,
  exactAdlScore,
  compareExactAdlScores,
  type ExactAdlScore,
  extremeShock,
  pricingOf,
  unpricedEquity,
  type EquitySums,
  type Account,
  type AccountRisk,
  type ProtocolSnapshot,
} from "../../engine/index.ts";
import type { AccountRow } from "../api/wire.ts";
import { ACCOUNT_TABLE_UPDATE_SHARE, createAccountTableBuilder, orNull, type FigureColumns, type TableRows } from "./accountTable.ts";
import { historyPointOf } from "./history.ts";
import { placeAmong } from "./placeAmong.ts";
import { coverBoundsJob, type CoverBoundsJob } from "./coverBounds.ts";
import { equitySumJobs, equitySumsOf } from "./equitySums.ts";
import { runWithHelper } from "./helperThread.ts";
import { placeBuffer, placesIn, riskBounds, screenRows, writeFigures, type PlaceBuffer, type RiskBounds, type RowScreenJob } from "./rowScreen.ts";
import { stableOrderBy } from "./stableOrderBy.ts";
import { withAdlLightsOnRead, type BlockViews } from "./views.ts";

/**
 * The views of each snapshot given, from the last one's; `settle` finishes the last block's ADL
 * order (orderLines' unsettled runs), at most `runs` of them a call, and says how many are left:
 * work for while no block waits (settleWhenIdle), which the next block does first if it needs it.
 */
export interface BlockViewsFollower {
  (snapshot: ProtocolSnapshot): BlockViews;
  settle(runs?: number): number;
}

/**
 * An ADL line in ADL order: per place, the position's account row, its market (an account holds
 * one position a market; market ids are below 256), its float score and that score's error
 * bound. The arrays may be longer than the line (`length` places): a line's arrays are those of
 * the same line two blocks before when they have the room, not new ones (lineWithRoom).
 */
interface Line {
  length: number;
  rows: Int32Array;
  markets: Uint8Array;
  scores: Float64Array;
  bounds: Float64Array;
}

/** Each row's figures (engine Figures, NaN for null): what its row in the accounts table shows but its light and markets. */
type RowFigures = FigureColumns;
const FIGURE_COLUMNS = ["equityUsd", "notionalUsd", "health", "leverage", "distanceToLiquidation", "liquidatable"] as const;
/** Each row's figures, in shared memory: the helper thread's screen writes them too (lib/server/rowScreen). */
const rowFigures = (n: number): RowFigures => {
  const floats = () => new Float64Array(new SharedArrayBuffer(8 * n));
  return { equityUsd: floats(), notionalUsd: floats(), health: floats(), leverage: floats(), distanceToLiquidation: floats(), liquidatable: new Uint8Array(new SharedArrayBuffer(n)) };
};

/** From this many rows to screen, a block's screen is split in two jobs, one for the helper thread (lib/server/helperThread); fewer are screened here. */
export const SCREEN_SPLIT_ROWS = 50_000;

/**
 * The parts a block whose prices moved sums its equity in (lib/server/equitySums), the helper
 * taking them in turn while this thread orders the ADL lines, and this thread what is left when
 * it is done: the two threads end together, not one waiting on the other's last part.
 */
const EQUITY_SUM_PARTS = 4;

/** What a follower keeps of the last block. */
interface LastBlock {
  snapshot: ProtocolSnapshot;
  /** Every ADL line (`${marketId}:${side}`). */
  lines: Map<string, Line>;
  /** Runs of `lines` still in float order (orderLines' unsettled ones). */
  unsettled: Run[];
  brightest: Uint8Array;
  /** Each row's figures. */
  figures: RowFigures;
  /** What system risk and Cover-N keep of each row (engine followSystemRisk, followCover). */
  riskRows: SystemRiskRows;
  coverRows: CoverRows;
  openPositions: number;
  /** Σ cash − Σ open notional of every row (engine unpricedEquity), once a price-moving block's equity job summed it. */
  unpricedUsd: bigint | undefined;
}

/**
 * A line of `length` places: the arrays of `spare` (a line no longer read) when they have the
 * room, else new ones with some to spare. At 1,000,000 accounts a block's lines are ~30 MB: new
 * each block, they brought on a full collection of the worker's heap (~0.6 s, its million
 * account objects marked) every block or two, as V8 collects after so much memory outside its heap.
 */
function lineWithRoom(length: number, spare: Line | undefined): Line {
  if (spare && spare.rows.length >= length) return { ...spare, length };
  const room = length + (length >>> 6) + 16;
  return { length, rows: new Int32Array(room), markets: new Uint8Array(room), scores: new Float64Array(room), bounds: new Float64Array(room) };
}

/** Appends a place to `line` (gathered, not yet ordered), its arrays doubled when full. */
function gatherInto(line: Line, row: number, marketId: number, score: number, bound: number): void {
  const at = line.length++;
  if (at === line.rows.length) {
    const room = 2 * at + 16;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T => (to.set(from), to);
    line.rows = grown(line.rows, new Int32Array(room));
    line.markets = grown(line.markets, new Uint8Array(room));
    line.scores = grown(line.scores, new Float64Array(room));
    line.bounds = grown(line.bounds, new Float64Array(room));
  }
  line.rows[at] = row;
  line.markets[at] = marketId;
  line.scores[at] = score;
  line.bounds[at] = bound;
}

/**
 * Places [from, to) of `line` whose score intervals may overlap (orderLines' runs): in float
 * order until settled (settleRun), in ADL order after.
 */
interface Run {
  line: Line;
  from: number;
  to: number;
}

/** orderLines' working arrays, kept from block to block (grown as needed). */
interface OrderScratch {
  descending: Float64Array;
  start: Int32Array;
  places: Int32Array;
  highest: Float64Array;
}

/**
 * ADL order between two places (computeAdlLights' compareAdlLine): the float scores where their
 * bounds keep them apart, the address where both are exact and the same (adlScoresTied), else the
 * exact ones (each account valued again for it), then the address.
 */
function lineOrder(s: ProtocolSnapshot) {
  const risks = new Map<number, AccountRisk>();
  const exact = new Map<number, ExactAdlScore>();
  const exactOf = (row: number, marketId: number) => {
    const key = row * 256 + marketId;
    let score = exact.get(key);
    if (score === undefined) {
      let risk = risks.get(row);
      const account = s.accounts[row]!;
      if (!risk) risks.set(row, (risk = computeAccountRisk(s, account)));
      const position = account.positions.findIndex((p) => p.marketId === marketId);
      exact.set(key, (score = exactAdlScore(risk, position, account.positions[position]!.openNotionalUsd)));
    }
    return score;
  };
  return (rowA: number, marketA: number, x: number, bx: number, rowB: number, marketB: number, y: number, by: number): number => {
    if (adlIntervalsApart(x, bx, y, by)) return y > x ? 1 : -1;
    const a = s.accounts[rowA]!;
    const b = s.accounts[rowB]!;
    // Tied for sure: both exact and the same, or the same floats of accounts that hold the same (engine sameHoldings; a line is of one market).
    if (adlScoresTied(x, bx, y, by) || (x === y && bx === by && sameHoldings(a, b))) return a.address < b.address ? -1 : 1;
    return compareExactAdlScores(exactOf(rowB, marketB), exactOf(rowA, marketA)) || (a.address < b.address ? -1 : 1);
  };
}

/** lineOrder's comparison, of one block's snapshot (the exact scores it values kept while it is held). */
type LineOrder = ReturnType<typeof lineOrder>;

/**
 * Each gathered line in ADL order: sorted by float score (descending) without a comparison —
 * stableOrderBy's radix sort — and then every run of places whose scores' intervals (score ±
 * bound) may overlap sorted by the full order (settleRun). A run ends where every interval before
 * it lies above every interval after it (the lowest end so far above the highest end of the
 * rest), so the runs' borders stand in the exact order and the result is compareAdlLine's order.
 * At 100,000 accounts a comparison sort of the lines was ~0.13 s of every block whose prices moved.
 *
 * With `unsettled`, a run whose places all have one light (adlLightAt: it lies within a fifth of
 * its line) is left in float order and pushed there instead: no view reads its order, only the
 * next block's merge of its changed places (mergeLines), which settles it first. At 1,000,000
 * accounts whose prices moved, ~10,800 runs of ~30,000 places were sorted a block, ~23,000 of them
 * valued in bigint for it (~130 ms); a few dozen straddle a light's border.
 */
function orderLines(order: LineOrder, gathered: Map<string, Line>, spare: Map<string, Line> | undefined, scratch: OrderScratch, unsettled?: Run[]): Map<string, Line> {
  const lines = new Map<string, Line>();
  for (const [key, { length: m, rows, markets, scores, bounds }] of gathered) {
    if (m === 0) continue;
    if (scratch.start.length < m) {
      const room = m + (m >>> 4);
      Object.assign(scratch, { descending: new Float64Array(room), start: new Int32Array(room), places: new Int32Array(room), highest: new Float64Array(room + 1) });
    }
    const descending = scratch.descending;
    for (let k = 0; k < m; k++) descending[k] = -scores[k]!;
    const start = scratch.start.subarray(0, m);
    for (let k = 0; k < m; k++) start[k] = k;
    // The negated scores come back in order too, over the keys (read before they are written).
    const places = stableOrderBy(descending, start, scratch.places.subarray(0, m), descending);
    // The places in that order, into the line's arrays: the passes below read them in order (at
    // 1,000,000 accounts a lookup through `places` was a cache miss, ~8 a place). Only the rows
    // and bounds are looked up: the scores are the sorted keys negated (+ 0: a score of 0 would
    // come back −0), and every place of a line is of its one market (adlLineOf). At 1,000,000
    // synthetic accounts whose prices moved, the four lookups a place were ~0.7 s of a block.
    const line = lineWithRoom(m, spare?.get(key));
    line.markets.fill(markets[0]!, 0, m);
    for (let i = 0; i < m; i++) {
      const k = places[i]!;
      line.rows[i] = rows[k]!;
      line.scores[i] = -descending[i]! + 0;
      line.bounds[i] = bounds[k]!;
    }
    const { scores: inOrder, bounds: boundsInOrder } = line;
    // highest[i]: the highest upper end of places i… (NaN, from a NaN score, keeps every border before it shut).
    const highest = scratch.highest;
    highest[m] = -Infinity;
    for (let i = m - 1; i >= 0; i--) {
      const top = inOrder[i]! + boundsInOrder[i]!;
      highest[i] = top > highest[i + 1]! || Number.isNaN(top) ? top : highest[i + 1]!;
    }
    for (let i = 0; i < m; ) {
      let lowest = inOrder[i]! - boundsInOrder[i]!;
      let j = i + 1;
      while (j < m && !(lowest > highest[j]!)) {
        lowest = Math.min(lowest, inOrder[j]! - boundsInOrder[j]!);
        j++;
      }
      if (j - i > 1) {
        const run = { line, from: i, to: j };
        if (unsettled && adlLightAt(i, m) === adlLightAt(j - 1, m)) unsettled.push(run);
        else settleRun(order, run);
      }
      i = j;
    }
    lines.set(key, line);
  }
  return lines;
}

/** Run `run` sorted by the full ADL order (lineOrder). */
function settleRun(order: LineOrder, { line, from, to }: Run): void {
  const { rows, markets, scores, bounds } = line;
  const places = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => order(rows[a]!, markets[a]!, scores[a]!, bounds[a]!, rows[b]!, markets[b]!, scores[b]!, bounds[b]!));
  for (const column of [rows, markets, scores, bounds]) column.set(places.map((k) => column[k]!), from);
}

/** Steps of work while no block waits: runs settled a step (~12 µs each at 1,000,000 accounts). */
const SETTLED_A_STEP = 256;

/**
 * The follower's last block settled (BlockViewsFollower's settle) a step at a time, each step on
 * its own turn of the event loop, so that a block that arrives meanwhile is read at once (its own
 * work settles what it needs). The block worker calls it once a block is published.
 */
export function settleWhenIdle(follower: BlockViewsFollower, runsAStep = SETTLED_A_STEP): void {
  setImmediate(function step() {
    if (follower.settle(runsAStep) > 0) setImmediate(step);
  });
}

/** A run of unchanged places at least this long is copied by TypedArray.set; shorter ones place by place. */
const RUN_COPIED_WHOLE = 16;

/**
 * The last lines without the changed rows' places, the changed rows' new places merged in: each
 * put in by a binary search among the unchanged places (placeAmong), the runs between them copied
 * (at 1,000,000 accounts, comparing every place of every line with the next new one was ~130 ms a
 * block). Into the arrays of `spare` (lines no longer read) where they have the room.
 */
function mergeLines(order: LineOrder, last: Map<string, Line>, added: Map<string, Line>, isChanged: Uint8Array, spare: Map<string, Line> | undefined): Map<string, Line> {
  const lines = new Map<string, Line>();
  const none = lineWithRoom(0, undefined);
  for (const key of new Set([...last.keys(), ...added.keys()])) {
    const kept = last.get(key) ?? none;
    const fresh = added.get(key) ?? none;
    // Room for every place kept and added, the length set once merged: counting the places kept
    // first was a pass over every place of every line (~100 ms a block at 1,000,000 synthetic
    // accounts trading in every market), for a length off by the changed rows' places alone.
    const line = lineWithRoom(kept.length + fresh.length, spare?.get(key));
    let [i, at] = [0, 0];
    /** The unchanged places of `kept` before `to`, from `i` on, copied: each run between two changed places at once (a block's trades leave runs of ~100 places). */
    const copyKept = (to: number) => {
      while (i < to) {
        let end = i;
        while (end < to && !isChanged[kept.rows[end]!]) end++;
        if (end - i >= RUN_COPIED_WHOLE) {
          line.rows.set(kept.rows.subarray(i, end), at);
          line.markets.set(kept.markets.subarray(i, end), at);
          line.scores.set(kept.scores.subarray(i, end), at);
          line.bounds.set(kept.bounds.subarray(i, end), at);
          at += end - i;
        } else {
          for (let k = i; k < end; k++) {
            line.rows[at] = kept.rows[k]!;
            line.markets[at] = kept.markets[k]!;
            line.scores[at] = kept.scores[k]!;
            line.bounds[at++] = kept.bounds[k]!;
          }
        }
        // Past the changed place that ended the run.
        i = end < to ? end + 1 : end;
      }
    };
    const moved = (k: number) => isChanged[kept.rows[k]!] === 1;
    for (let j = 0; j < fresh.length; j++) {
      const [row, marketId, score, bound] = [fresh.rows[j]!, fresh.markets[j]!, fresh.scores[j]!, fresh.bounds[j]!];
      copyKept(placeAmong(i, kept.length, moved, (k) => order(row, marketId, score, bound, kept.rows[k]!, kept.markets[k]!, kept.scores[k]!, kept.bounds[k]!) >= 0));
      line.rows[at] = row;
      line.markets[at] = marketId;
      line.scores[at] = score;
      line.bounds[at++] = bound;
    }
    copyKept(kept.length);
    line.length = at;
    if (at > 0) lines.set(key, line);
  }
  return lines;
}

/**
 * The accounts table's rows of a block, handed out one at a time in one object refilled each time
 * (the table reads each as it gets it): no million row objects a block for the collector. With
 * `accountsChanged` (the rows whose account is not the last block's), the figures as columns too,
 * for a table built whole of the same accounts (a block whose prices moved).
 */
function tableRows(s: ProtocolSnapshot, figures: RowFigures, brightest: Uint8Array, accountsChanged: readonly number[] | undefined): TableRows {
  // Each list of markets once, by its market ids (a number), so the table finds it by identity.
  const lists = new Map<number, string[]>();
  const marketsOf = (positions: Account["positions"]) => {
    let key = 0;
    for (const p of positions) key = key * (s.markets.length + 1) + p.marketId + 1;
    let list = lists.get(key);
    if (!list) lists.set(key, (list = positions.map((p) => s.markets[p.marketId]!.symbol)));
    return list;
  };
  const row: AccountRow = { address: "0x", equityUsd: 0, notionalUsd: 0, health: null, leverage: null, distanceToLiquidation: null, markets: [], adlLight: null, liquidatable: false };
  return {
    length: s.accounts.length,
    columns: accountsChanged && { ...figures, accountsChanged, adlLight: brightest },
    at(i) {
      const account = s.accounts[i]!;
      const positions = account.positions;
      row.address = account.address;
      row.equityUsd = figures.equityUsd[i]!;
      row.notionalUsd = figures.notionalUsd[i]!;
      row.health = orNull(figures.health[i]!);
      row.leverage = orNull(figures.leverage[i]!);
      row.distanceToLiquidation = orNull(figures.distanceToLiquidation[i]!);
      row.markets = marketsOf(positions);
      row.adlLight = positions.length ? brightest[i]! : null;
      row.liquidatable = figures.liquidatable[i] === 1;
      return row;
    },
  };
}

/** A follower of block views: one per sequence of snapshots (the block worker keeps one). `splitFrom`: SCREEN_SPLIT_ROWS, lower in tests. */
export function followBlockViews({ splitFrom = SCREEN_SPLIT_ROWS }: { splitFrom?: number } = {}): BlockViewsFollower {
  const accountTable = createAccountTableBuilder();
  let last: LastBlock | undefined;
  // Kept from block to block rather than allocated each block (at 1,000,000 accounts each is
  // megabytes, and their allocation alone brought on the worker's full collections): the
  // changed-row flags, cleared after each block; the figures and brightest-light buffers of the
  // block before the last one (figures for a block whose prices move: one whose prices stand
  // writes its changed rows into the last block's, which nothing reads once the block is done).
  let changedBuffer: Uint8Array | undefined;
  let spare: { figures: RowFigures | undefined; brightest: Uint8Array; lines: Map<string, Line> } | undefined;
  // Each line's places as the block's valuations gather them (their arrays kept: at 1,000,000
  // accounts whose prices moved, ~1.5 million places a block), and orderLines' working arrays.
  const gathered = new Map<string, Line>();
  const orderScratch: OrderScratch = { descending: new Float64Array(0), start: new Int32Array(0), places: new Int32Array(0), highest: new Float64Array(1) };
  // The screen's jobs' place buffers and per-row flags, kept from block to block (grown as needed).
  const placeSpares: PlaceBuffer[] = [];
  let screened: Uint8Array = new Uint8Array(0);
  // Their rows' equity signs and health intervals, read by system risk in the same block (rowScreen's riskBounds).
  let riskBoundsSpare: RiskBounds | undefined;
  const exact = createFigures(0);
  const follow = (s: ProtocolSnapshot): BlockViews => {
    const n = s.accounts.length;
    // The rows whose account is not the last block's object (new rows included), when the last block's valuations stand.
    const changed = last && changedRowsSince(s, last.snapshot, last.snapshot.accounts, Math.floor(n * ACCOUNT_TABLE_UPDATE_SHARE));
    const was = changed && last;
    // Value the rows to value, each once: its figures, its places in the lines. The others'
    // figures are the last block's: written over in place when the rows are the same (copying
    // six columns, ~41 MB at 1,000,000 accounts, was ~25 ms of every block of trades).
    const reuse = spare?.brightest.length === n ? spare : undefined;
    const spareLines = spare?.lines;
    const inPlace = was !== undefined && was.figures.health.length === n;
    // The spare's figures and lights come from one block (or were carried with its lights' length checked): of one length.
    const spareFigures = reuse?.figures;
    spare = undefined;
    const held = inPlace ? was.figures : (spareFigures ?? rowFigures(n));
    if (was && !inPlace) for (const column of FIGURE_COLUMNS) held[column].set(was.figures[column]);
    for (const line of gathered.values()) line.length = 0;
    const lineNamed = (key: string) => {
      let line = gathered.get(key);
      if (!line) gathered.set(key, (line = lineWithRoom(0, undefined)));
      return line;
    };
    // The rows' figures from the float screen over the block's columns (followed from the last
    // block's), each account the screen cannot tell valued exactly: at 1,000,000 accounts whose
    // prices all moved, a million bigint valuations were most of the block.
    const columnar = columnarOf(s, last?.snapshot);
    // Σ cash − Σ open notional, followed from the last block's through the rows that changed (no price moves it): a big venue's equity job then sums only the priced columns.
    const sinceLast = last?.unpricedUsd !== undefined && n >= last.snapshot.accounts.length ? rowsChangedSince(s.accounts, last.snapshot.accounts, n >>> 3) : undefined;
    let unpricedUsd = sinceLast && last!.unpricedUsd! - unpricedEquity(columnarOf(last!.snapshot), sinceLast.filter((row) => row < last!.snapshot.accounts.length)) + unpricedEquity(columnar, sinceLast);
    // Of the prices alone (not the snapshot, its accounts with it): the helper thread is sent it with its job.
    const screen = prepareFigureScreen({ markets: s.markets, collaterals: s.collaterals });
    // Each market's long and short line, found once a block: not a lookup by key per position (at 1,000,000 accounts, ~1.5 million a block whose prices moved).
    const lineOf = s.markets.flatMap((_, marketId) => [lineNamed(adlLineOf({ marketId, side: "long" })), lineNamed(adlLineOf({ marketId, side: "short" }))]);
    /** Row `row` valued exactly (the screen could not tell it): its figures, and its positions' places in the lines. */
    const valueExactly = (row: number) => {
      const account = s.accounts[row]!;
      const risk = computeAccountRisk(s, account);
      writeFigures(held, row, exactFigures(s, account, risk, exact));
      if (account.positions.length) for (const entry of adlEntriesOf(account, risk, row)) gatherInto(lineNamed(adlLineOf(entry)), row, entry.marketId, entry.score, adlScoreBound(entry.score));
    };
    if (screened.length < n) screened = new Uint8Array(new SharedArrayBuffer(n + (n >>> 4)));
    const risked = (riskBoundsSpare = riskBounds(n, riskBoundsSpare));
    /** A screen of the rows `list` (or from..to − 1) into the held figures, its places into spare place buffer `k`. */
    const job = (k: number, list: Int32Array | null, from: number, to: number): RowScreenJob => {
      placeSpares[k] = placeBuffer(placesIn(columnar, list, from, to), placeSpares[k]);
      return { kind: "screen", columnar, screen, list, from, to, figures: held, screened, riskBounds: risked, places: placeSpares[k] };
    };
    /**
     * Rows valued: screened (a big venue's in two jobs, one for the helper thread), their places
     * gathered, the rows the screen could not tell valued exactly.
     */
    const value = (list: Int32Array | null, count: number) => {
      const split = count >= splitFrom ? count >>> 1 : count;
      const jobs = list ? [job(0, list, 0, 0)] : split < count ? [job(0, null, 0, split), job(1, null, split, count)] : [job(0, null, 0, count)];
      if (jobs.length > 1) runWithHelper(jobs);
      else screenRows(jobs[0]!);
      for (const { places, list: rows, from, to } of jobs) {
        const placed = places.count[0]!;
        for (let k = 0; k < placed; k++) gatherInto(lineOf[places.lines[k]!]!, places.rows[k]!, places.lines[k]! >>> 1, places.scores[k]!, places.bounds[k]!);
        if (rows) {
          for (const row of rows) if (!screened[row]) valueExactly(row);
        } else for (let row = from; row < to; row++) if (!screened[row]) valueExactly(row);
      }
    };
    const isChanged = changedBuffer?.length === n ? changedBuffer : new Uint8Array(n);
    changedBuffer = undefined; // taken: a block that throws before clearing it leaves none set for the next
    let lines!: Map<string, Line>;
    let everyRowSums: EquitySums | undefined;
    // Every row screened at this block's pricing: system risk classifies them from their screen, not screening them again (engine ScreenedRisk).
    let everyRowScreened: ScreenedRisk | undefined;
    let bounds: CoverBoundsJob | undefined;
    const shocks = extremeShock(s.markets);
    const shock = shocks.map((m) => m.move);
    const order = lineOrder(s);
    // Runs this block leaves in float order (a block whose prices moved: orderLines).
    const unsettled: Run[] = [];
    if (was) {
      for (const row of changed!) isChanged[row] = 1;
      value(Int32Array.from(changed!), changed!.length);
      // The last block's lines in full order first (what settleWhenIdle has not done); the changed
      // rows' places ordered into new arrays (the spare ones are the merge's) and merged in.
      settle();
      lines = mergeLines(order, was.lines, orderLines(order, gathered, undefined, orderScratch), isChanged, spareLines);
    } else {
      value(null, n);
      everyRowScreened = { screened, liquidatable: held.liquidatable, ...risked };
      // System risk's Σ equity and Cover's deficit bounds, from scratch at new prices: a big venue's on the helper thread while the lines are ordered.
      const helped = n >= splitFrom && (!last || pricingOf(s) !== pricingOf(last.snapshot));
      const sums = helped ? equitySumJobs(columnar, s, unpricedUsd, EQUITY_SUM_PARTS) : undefined;
      bounds = helped ? coverBoundsJob(columnar, s, shock, last?.coverRows) : undefined;
      const ordered = () => (lines = orderLines(order, gathered, spareLines, orderScratch, unsettled));
      if (sums && bounds) runWithHelper([...sums, bounds], ordered);
      else ordered();
      everyRowSums = sums && equitySumsOf(sums);
      unpricedUsd = everyRowSums?.unpricedUsd ?? unpricedUsd;
    }
    const brightest = reuse?.brightest.fill(0) ?? new Uint8Array(n);
    for (const line of lines.values()) {
      for (let index = 0; index < line.length; index++) {
        const light = adlLightAt(index, line.length);
        const row = line.rows[index]!;
        if (light > brightest[row]!) brightest[row] = light;
      }
    }
    // The rows to write: every row, or the changed ones and those whose brightest light alone moved.
    let dirty: number[] | undefined;
    if (was) {
      dirty = [];
      for (let row = 0; row < n; row++) if (isChanged[row] || brightest[row] !== was.brightest[row]) dirty.push(row);
      // Too many rows, or new ones, for the table to update: it is built whole.
      if (dirty.length > n * ACCOUNT_TABLE_UPDATE_SHARE || n !== was.snapshot.accounts.length) dirty = undefined;
    }
    // System risk and Cover (they read the block's columns too), while a helper thread sorts the accounts table's columns.
    let risks: { systemRisk: ReturnType<typeof followSystemRisk>; cover: ReturnType<typeof followCover> } | undefined;
    const venueFigures = () => {
      const systemRisk = followSystemRisk(s, last && { snapshot: last.snapshot, rows: last.riskRows }, { nearest: 10, everyRowSums, screened: everyRowScreened });
      const cover = followCover(s, shock, last && { snapshot: last.snapshot, rows: last.coverRows }, { bounded: bounds });
      risks = { systemRisk, cover };
    };
    // The accounts the last block's but these (when few): the table, built whole, reads the others' addresses and markets from its last one.
    const accountsChanged = last && (changed ?? rowsChangedSince(s.accounts, last.snapshot.accounts, Math.floor(n * ACCOUNT_TABLE_UPDATE_SHARE)));
    const table = accountTable(tableRows(s, held, brightest, accountsChanged), dirty, venueFigures);
    const { systemRisk, cover } = risks!;
    // The history point, its health quantiles read from the table's health order.
    const history = historyPointOf(s, systemRisk.risk, cover.cover, table);
    // Σ positions: the last block's, the changed rows' counts taken out and put back — a block
    // whose prices moved too (the same accounts, none changed). A pass over every account object is
    // a cache miss each: at 1,000,000 accounts ~60 ms of such a block.
    let openPositions = 0;
    if (accountsChanged && n >= last!.snapshot.accounts.length) {
      openPositions = last!.openPositions;
      for (const row of accountsChanged) openPositions += s.accounts[row]!.positions.length - (last!.snapshot.accounts[row]?.positions.length ?? 0);
    } else for (const account of s.accounts) openPositions += account.positions.length;
    const views = { systemRisk: systemRisk.risk, cover: cover.cover, history, accountTable: table, accountCount: n, openPositions, shocks };
    // The buffers back for the next block: the flags cleared, the last block's buffers spare.
    if (changed) for (const row of changed) isChanged[row] = 0;
    changedBuffer = isChanged;
    // After the first block, spares of its size made now, not by the next block: their allocation
    // (~80 MB at 1,000,000 accounts) brought on full collections that doubled the next block's time.
    spare = last ? { figures: inPlace ? spareFigures : last.figures, brightest: last.brightest, lines: last.lines } : { figures: rowFigures(n), brightest: new Uint8Array(n), lines: new Map([...lines].map(([key, line]) => [key, lineWithRoom(line.length, undefined)])) };
    last = { snapshot: s, lines, unsettled, brightest, figures: held, riskRows: systemRisk.rows, coverRows: cover.rows, openPositions, unpricedUsd };
    return withAdlLightsOnRead(views, s);
  };
  /**
   * Up to `runs` of the last block's unsettled runs settled; how many are left. The exact scores
   * it values are let go of with the call (kept until the next block, ~23,000 accounts' risks at
   * 1,000,000 accounts would outlive the young generation, for the old one's collections).
   */
  const settle = (runs = Infinity): number => {
    if (!last?.unsettled.length) return 0;
    const { unsettled, snapshot } = last;
    const order = lineOrder(snapshot);
    for (let k = 0; k < runs && unsettled.length; k++) settleRun(order, unsettled.pop()!);
    return unsettled.length;
  };
  const followed = (s: ProtocolSnapshot) => {
    try {
      return follow(s);
    } catch (error) {
      // The last block's figures may be part written over: the next block is valued whole.
      last = undefined;
      throw error;
    }
  };
  return Object.assign(followed, { settle });
}
