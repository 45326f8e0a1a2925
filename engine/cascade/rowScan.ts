/**
 * The rows of a cascade from `from` to `to`, re-valued round by round on price triggers — the
 * budgets and the parked bankrupt of cascadeTriggers.ts' header: their trigger queues, versions,
 * liquidatable list and parked flags. A cascade has one scan of all its rows on its own thread,
 * or (lib/cascade/threadedScan) two, the upper half's on a worker thread beside it: each row is
 * re-valued on its own, from the columns and the round's prices, so two ranges scanned apart list
 * the same rows as one scan of both.
 *
 * A round is told which of its rows a liquidation touched (their columns rewritten, or their
 * cleared flag set, before the round), and which were liquidated beside the columns (moved: they
 * hold no position, only their listing and triggers go); it answers with its liquidatable rows
 * in ascending order and the rows it found safe that were listed before.
 */

import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { exactVerdict, screenBound, screenMargin, type MarginScreen } from "../screen/marginScreen.ts";
import { createTriggerQueue, drainTriggers, pushTrigger, resetTriggerQueue, type TriggerQueue } from "./triggerQueue.ts";

const BUMP = 2 ** -48;
const BUDGET = 1 - 2 ** -20;
const SLOPE_ERROR = 2 ** -49;

/** What a scan is given once: its rows, the row it never values (the cascade's keeper), and what its budgets need. */
export interface RowScanSetup {
  from: number;
  to: number;
  /** The cascade's keeper's row (or −1): never re-valued. */
  skip: number;
  /** Per collateral: true when no market shares its feed (its price never moves in a cascade: no budget, no trigger). */
  fixedPrice: readonly boolean[];
  /** The share of a budget spent on falls (0.9 in a crash: cascadeTriggers' header). */
  fallShare: number;
  /** Whether a bankrupt row is parked: only while the keeper's gas costs something (then it pays nothing). */
  parkBankrupt: boolean;
}

/** One round's input. */
export interface RowScanRound {
  columns: ColumnarSnapshot;
  /** The round's maintenance and equity screens. */
  screen: MarginScreen;
  equity: MarginScreen;
  /** Per row of the cascade: 1 when a liquidation left it without positions (its columns are not rewritten then). */
  cleared: Uint8Array;
  /** Per row of the cascade: 1 when parked; the scan writes its own rows' flags. */
  parked: Uint8Array;
  touched: ArrayLike<number>;
  moved: ArrayLike<number>;
}

export interface RowScanResult {
  /** The liquidatable rows of the range, ascending. */
  listed: Int32Array;
  /** Rows found safe this round that were listed before, ascending. */
  safe: number[];
}

/** A scan of a range elsewhere (lib/cascade/threadedScan: on a worker thread): a round begun, then its answer awaited. */
export interface RowScanPartner {
  begin(input: RowScanRound): void;
  end(): RowScanResult;
  release(): void;
}

/** A partner for the upper range of a cascade's rows, or undefined: one scan of them all on the cascade's thread. */
export type RowScanPartnerFactory = (setup: RowScanSetup, nM: number, columns: ColumnarSnapshot) => RowScanPartner | undefined;

export interface RowScan {
  round(input: RowScanRound): RowScanResult;
  /** Lends its arrays and queues to the next scan of a range as large (the cascade is over). */
  release(): void;
}

export function createRowScan({ from, to, skip, fixedPrice, fallShare: pathFallShare, parkBankrupt }: RowScanSetup, nM: number): RowScan {
  const dims = nM + fixedPrice.length;
  const scratch = takeScratch(to - from, 2 * dims);
  // Queue 2d: triggers on a fall of price d (key t); queue 2d + 1: on a rise (key −t). Per-row
  // arrays are indexed by row − from.
  const { queues, version, seen, listed, listedAt, candidates } = scratch;
  // The liquidatable rows, unordered, in the first `listedCount` entries of `listed`; a row's
  // place there + 1 in `listedAt` (0: not listed). Most re-valuations find a row safe that never
  // was liquidatable: an array read answers that, and nothing here is a heap object to collect.
  let listedCount = 0;
  const slopes = new Float64Array(dims);
  const slack = new Float64Array(dims);
  let round = 0;
  let columnar: ColumnarSnapshot;
  let parked: Uint8Array;
  let cleared: Uint8Array;

  const list = (row: number) => {
    const i = row - from;
    if (listedAt[i] !== 0) return;
    listed[listedCount++] = row;
    listedAt[i] = listedCount;
  };
  const unlist = (row: number): boolean => {
    const at = listedAt[row - from]! - 1;
    if (at < 0) return false;
    const last = listed[--listedCount]!;
    listed[at] = last;
    listedAt[last - from] = at + 1;
    listedAt[row - from] = 0;
    parked[row] = 0;
    return true;
  };

  const price = (screen: MarginScreen, d: number) => (d < nM ? screen.markUsd[d]! : screen.collateralUsd[d - nM]!);

  function revalue(row: number, screen: MarginScreen, equity: MarginScreen, safe: number[]) {
    version[row - from]!++;
    parked[row] = 0;
    if (cleared[row] === 1) return void unlist(row);
    // The columns of every row a liquidation touched are rewritten before it is re-valued: they hold its positions.
    const d = screenMargin(columnar, row, screen);
    if (!screen.positions) return void unlist(row);
    const bound = screenBound(screen);
    if (d < -bound || (d <= bound && exactVerdict(columnar, row, screen) < 0)) {
      list(row);
      // Proven bankrupt (its equity's D̃ + ε below 0), a liquidatable row pays its keeper nothing:
      // dust while the gas costs anything, until prices move its way. It is parked — left listed,
      // neither re-valued nor screened for dust each round — behind triggers on the moves that
      // raise its equity, budgeted from −(D̃ + ε) as the header's from D̃ − ε.
      if (parkBankrupt) {
        const e = screenMargin(columnar, row, equity);
        const eBound = screenBound(equity);
        if (e < -eBound) {
          parked[row] = 1;
          arm(row, equity, (-e - eBound) * BUDGET, -1);
        }
      }
      return;
    }
    // Only a change from liquidatable to safe is news to the keeper's clock.
    if (unlist(row)) safe.push(row);
    arm(row, screen, d > bound ? (d - bound) * BUDGET : 0, 1);
  }

  /**
   * Sets `row`'s triggers at its current version: the prices past which the moves that lower its
   * margin on `screen` (`against` 1; −1: the moves that raise it) may have spent `budget`.
   */
  function arm(row: number, screen: MarginScreen, budget: number, against: 1 | -1) {
    // Weights of the prices a fall hurts and of those a rise hurts (a slope of uncertain sign is in both).
    let fallWeight = 0;
    let riseWeight = 0;
    for (let k = 0; k < dims; k++) {
      let w: number;
      if (k < nM) {
        const size = columnar.sizeBase[k]!.hi[row]!;
        const mm = Math.abs(size) * screen.mmr[k]!;
        slopes[k] = against * (size - mm);
        // s − |s|·mmr cancels when mmr is near 1: its float is only good to SLOPE_ERROR·(|s| + |s|·mmr).
        slack[k] = SLOPE_ERROR * (Math.abs(size) + mm);
        w = (Math.abs(slopes[k]!) + slack[k]!) * screen.markUsd[k]!;
      } else {
        const c = k - nM;
        slopes[k] = fixedPrice[c] ? 0 : against * columnar.balancesNative[c]!.hi[row]!;
        slack[k] = 0;
        w = Math.abs(slopes[k]!) * screen.collateralUsd[c]!;
      }
      if (slopes[k]! + slack[k]! > 0) fallWeight += w;
      if (slopes[k]! - slack[k]! < 0) riseWeight += w;
    }
    // The budget split between the two directions (mostly to the one the path moves in), then
    // spread so that every price may move by the same fraction of itself in its direction.
    const fallShare = riseWeight === 0 ? 1 : fallWeight === 0 ? 0 : pathFallShare;
    const fallFraction = fallWeight > 0 ? (budget * fallShare) / fallWeight : 0;
    const riseFraction = riseWeight > 0 ? (budget * (1 - fallShare)) / riseWeight : 0;
    const rowVersion = version[row - from]!;
    for (let k = 0; k < dims; k++) {
      const slope = slopes[k]!;
      if (slope === 0 && slack[k] === 0) continue;
      const p = price(screen, k);
      if (slope + slack[k]! > 0) pushTrigger(queues[2 * k]!, p - Math.max(0, (fallFraction - BUMP) * Math.abs(p)), row, rowVersion);
      if (slope - slack[k]! < 0) pushTrigger(queues[2 * k + 1]!, -(p + Math.max(0, (riseFraction - BUMP) * Math.abs(p))), row, rowVersion);
    }
  }

  /** Re-values, in row order, every row a liquidation touched or a price move reached since the last round, and every listed one not parked. */
  function revalueReached({ screen, equity, touched, moved }: RowScanRound, safe: number[]) {
    let candidateCount = 0;
    const consider = (row: number) => {
      if (row < from || row >= to || row === skip || seen[row - from] === round) return;
      seen[row - from] = round;
      candidates[candidateCount++] = row;
    };
    // A trigger set before the row's last re-valuation is stale: that re-valuation set new ones.
    const considerCurrent = (row: number, rowVersion: number) => {
      if (rowVersion === version[row - from]) consider(row);
    };
    for (let i = 0; i < touched.length; i++) consider(touched[i]!);
    // A row liquidated beside the columns holds no position: it is only unlisted (a re-valuation
    // would find just that), its triggers made stale.
    for (let i = 0; i < moved.length; i++) {
      const row = moved[i]!;
      if (row < from || row >= to || seen[row - from] === round) continue;
      version[row - from]!++;
      unlist(row);
    }
    for (let i = 0; i < listedCount; i++) if (parked[listed[i]!] === 0) consider(listed[i]!);
    for (let k = 0; k < dims; k++) {
      const p = price(screen, k);
      drainTriggers(queues[2 * k]!, p, considerCurrent);
      drainTriggers(queues[2 * k + 1]!, -p, considerCurrent);
    }
    // In row order: each re-valuation reads a dozen columns at its row, and ascending rows walk
    // them forwards (nearby rows share cache lines) where the drain's order jumps about them. The
    // order changes nothing else: every row is re-valued on its own.
    const ordered = candidates.subarray(0, candidateCount).sort();
    for (let i = 0; i < ordered.length; i++) revalue(ordered[i]!, screen, equity, safe);
  }

  return {
    round(input) {
      ({ columns: columnar, parked, cleared } = input);
      const safe: number[] = [];
      round++;
      // The first round re-values every row, in order; nothing else is pending yet.
      if (round === 1) {
        for (let row = from; row < to; row++) if (row !== skip) revalue(row, input.screen, input.equity, safe);
      } else revalueReached(input, safe);
      return { listed: listed.slice(0, listedCount).sort(), safe };
    },
    release: () => void (spare = scratch),
  };
}

/**
 * A scan's per-row arrays and trigger queues, kept for the next cascade: at 1,000,000 accounts
 * they are ~300 MB of typed arrays with the queues grown, which V8 counts towards its old
 * generation, so every run's new set forced mark-compacts of the whole heap (~0.4 s each with a
 * million account objects in it). One spare set is kept (per thread), taken by a scan it is big
 * enough for.
 */
interface ScanScratch {
  queues: TriggerQueue[];
  version: Int32Array;
  seen: Int32Array;
  listed: Int32Array;
  listedAt: Int32Array;
  candidates: Int32Array;
}

let spare: ScanScratch | undefined;

function takeScratch(rows: number, queueCount: number): ScanScratch {
  const kept = spare;
  if (!kept || kept.version.length < rows || kept.queues.length !== queueCount) {
    return { queues: Array.from({ length: queueCount }, () => createTriggerQueue()), version: new Int32Array(rows), seen: new Int32Array(rows), listed: new Int32Array(rows), listedAt: new Int32Array(rows), candidates: new Int32Array(rows) };
  }
  spare = undefined;
  // Versions only ever compare with the queues' own entries, which are gone: they need no reset.
  for (const q of kept.queues) resetTriggerQueue(q);
  kept.seen.fill(0);
  kept.listedAt.fill(0);
  return kept;
}
