/**
 * The exact side of a cascade's direct liquidations, kept apart from the round that decides them
 * (cascadeTriggers.ts): the scan proves in float that a row is solvent and pays its keeper
 * (paysKeeperNow), so the round needs none of its bigint figures; they are needed only when
 * something reads the state at large — a liquidation that goes the whole way, the end. A ledger
 * takes the round's rows at the round's prices (`add`), marks each step's end (`mark`: the
 * insurance share so far, for that step's record) and, when asked (`flush`), hands back what they
 * moved, each row's as liquidateSolventRow would have moved it:
 *
 *   insurance += Σ (penalty − reward)     keeper's cash += Σ reward      OI of each side −= Σ |size|
 *   cash' of each row (into the cleared column)     the last batch's Σ notional (a round's `taken`)
 *   usd(notional), usd(penalty) of each liquidation, in order (the step's float sums add them so)
 *
 * inlineLedger does the work in `add`; threadedLedger.ts does it on a worker thread while the
 * next rounds scan, the columns read from shared memory. Both run applySolventRows, so the
 * figures are the same to the wei.
 *
 * Example: a round adds rows 7 and 9 at ETH $2,800; the step ends (a mark); the cascade ends:
 * flush returns their penalties less rewards for the insurance fund (and that sum at the mark),
 * the rewards for the keeper, the sizes they held for open interest, and [usd(n₇), usd(p₇),
 * usd(n₉), usd(p₉)].
 */

import { writeExact, type ExactColumn } from "../columnar/exactColumn.ts";
import { solventFiguresOfRow, type LiquidationColumns, type LiquidationVenue, type OpenInterestSums, type SolventFigures } from "./liquidateSolventRow.ts";

/** USD WAD as a float of dollars, as a cascade's records state it. */
export const usd = (x: bigint) => Number(x) / 1e18;

/** What the rows added since the last flush moved. */
export interface LedgerTotals {
  /** Σ (penalty − reward): into the insurance fund. */
  insuranceUsd: bigint;
  /** Σ reward: to the keeper. */
  rewardUsd: bigint;
  /** Σ |size| per market and side: out of open interest. */
  openInterest: OpenInterestSums;
  /** Σ notional of the last `add`'s rows (a round's rows taken directly). */
  batchNotionalUsd: bigint;
  /** usd(notional), usd(penalty) of each row, in the order added. */
  figures: number[];
  /** At each mark since the last flush (a step's end), Σ (penalty − reward) so far. */
  marks: bigint[];
  /** Rows whose cash' is too wide for the column's floats, with it (the thread that wrote it keeps such values in its own map). */
  wideCash: [number, bigint][];
}

/** The venue's fixed side, and where a ledger reads and writes. */
export interface LedgerSetup {
  columns: LiquidationColumns;
  /** Receives each row's cash after its liquidation. */
  clearedCash: ExactColumn;
  penaltiesWad: bigint[];
  keeperSharesWad: bigint[];
  decimals: number[];
  weightsWad: bigint[];
}

export interface SolventLedger {
  /** Where the work is done: on the cascade's thread, or on a worker thread beside it. */
  where: "inline" | "thread";
  /** Liquidates `rows` (each solvent, due, its row of the columns current) at these marks and collateral prices; `columns` when they were replaced since. */
  add(rows: ArrayLike<number>, marksWad: bigint[], collateralPricesWad: bigint[], columns?: LiquidationColumns): void;
  /** Marks a step's end: the insurance share so far is kept for the flush's `marks`. */
  mark(): void;
  /** Waits for every row added, and returns what they moved since the last flush. */
  flush(): LedgerTotals;
}

export type SolventLedgerFactory = (setup: LedgerSetup) => SolventLedger;

/** A ledger's running sums (applySolventRows adds to them; takeTotals hands them over and starts again). */
export interface LedgerBook {
  venue: LiquidationVenue & { markets: { markPriceWad: bigint }[]; collaterals: { priceWad: bigint }[] };
  totals: LedgerTotals;
  figures: SolventFigures;
}

function emptyTotals(markets: number): LedgerTotals {
  return { insuranceUsd: 0n, rewardUsd: 0n, openInterest: { longBase: Array.from({ length: markets }, () => 0n), shortBase: Array.from({ length: markets }, () => 0n) }, batchNotionalUsd: 0n, figures: [], marks: [], wideCash: [] };
}

/** The book of a ledger on `setup`'s venue, nothing added. */
export function createLedgerBook(setup: Omit<LedgerSetup, "columns" | "clearedCash">): LedgerBook {
  const markets = setup.penaltiesWad.map((liquidationPenaltyWad, m) => ({ markPriceWad: 0n, params: { liquidationPenaltyWad, keeperShareWad: setup.keeperSharesWad[m]! } }));
  const collaterals = setup.decimals.map((decimals, c) => ({ priceWad: 0n, decimals, params: { weightWad: setup.weightsWad[c]! } }));
  return { venue: { markets, collaterals }, totals: emptyTotals(markets.length), figures: { cashUsd: 0n, equityUsd: 0n, notionalUsd: 0n, upnlUsd: 0n, reward: { rawPenaltyUsd: 0n, penaltyUsd: 0n, rewardUsd: 0n } } };
}

/** liquidateSolventRow's effects of each of `rows`, at these prices, into the book's totals and `clearedCash`. */
export function applySolventRows(book: LedgerBook, columns: LiquidationColumns, clearedCash: ExactColumn, rows: ArrayLike<number>, marksWad: readonly bigint[], collateralPricesWad: readonly bigint[]): void {
  const { venue, totals, figures } = book;
  venue.markets.forEach((m, i) => void (m.markPriceWad = marksWad[i]!));
  venue.collaterals.forEach((c, i) => void (c.priceWad = collateralPricesWad[i]!));
  let batch = 0n;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    solventFiguresOfRow(venue, columns, row, figures, totals.openInterest);
    const { penaltyUsd, rewardUsd } = figures.reward;
    totals.insuranceUsd += penaltyUsd - rewardUsd;
    totals.rewardUsd += rewardUsd;
    batch += figures.notionalUsd;
    totals.figures.push(usd(figures.notionalUsd), usd(penaltyUsd));
    const cash = figures.cashUsd + figures.upnlUsd - penaltyUsd;
    writeExact(clearedCash, row, cash);
    if (clearedCash.lo[row] !== clearedCash.lo[row]) totals.wideCash.push([row, cash]);
  }
  totals.batchNotionalUsd = batch;
}

/** A step's end, into the book's marks. */
export function markBook(book: LedgerBook): void {
  book.totals.marks.push(book.totals.insuranceUsd);
}

/** The book's totals since the last call, the book started again. */
export function takeTotals(book: LedgerBook): LedgerTotals {
  const totals = book.totals;
  book.totals = emptyTotals(book.venue.markets.length);
  return totals;
}

/** `earlier` and then `later`, as one flush would have returned them (the last batch is later's). */
export function addTotals(earlier: LedgerTotals, later: LedgerTotals): LedgerTotals {
  const sum = (a: bigint[], b: bigint[]) => a.map((x, i) => x + b[i]!);
  return {
    insuranceUsd: earlier.insuranceUsd + later.insuranceUsd,
    rewardUsd: earlier.rewardUsd + later.rewardUsd,
    openInterest: { longBase: sum(earlier.openInterest.longBase, later.openInterest.longBase), shortBase: sum(earlier.openInterest.shortBase, later.openInterest.shortBase) },
    batchNotionalUsd: later.batchNotionalUsd,
    figures: [...earlier.figures, ...later.figures],
    marks: [...earlier.marks, ...later.marks.map((mark) => earlier.insuranceUsd + mark)],
    wideCash: [...earlier.wideCash, ...later.wideCash],
  };
}

/** The ledger that applies each batch as it is added, on this thread. */
export const inlineLedger: SolventLedgerFactory = (setup) => {
  const book = createLedgerBook(setup);
  let columns = setup.columns;
  return {
    where: "inline",
    add(rows, marksWad, collateralPricesWad, replaced) {
      if (replaced) columns = replaced;
      applySolventRows(book, columns, setup.clearedCash, rows, marksWad, collateralPricesWad);
    },
    mark: () => markBook(book),
    flush: () => takeTotals(book),
  };
};
