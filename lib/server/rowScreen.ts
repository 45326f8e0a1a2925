/**
 * The float screen of a block's rows (engine screenFigures) as a job in shared memory, so that a
 * block whose prices all moved is screened on two threads (lib/server/helperThread): at 1,000,000
 * accounts, ~0.6 s of one thread. A job reads only the block's columns (engine columnarOf: in
 * shared memory) and writes each screened row's figures into the follower's figure columns and
 * its positions' places in the ADL lines into its own place buffer; the rows the screen cannot
 * tell are left to the caller, who values them exactly (it holds the accounts).
 *
 * Example: rows 0–499,999 on one thread, 500,000–999,999 on the other; ~1.5 million places
 * written; a few rows in a million not screened.
 */

import { screenFigures, createFigures, type ColumnarSnapshot, type FigureScreen, type Figures, type ScreenedRisk } from "../../engine/index.ts";
import type { FigureColumns } from "./accountTable.ts";

/** Places in ADL lines, in the order written: the row, its line (2 × market + 0 long / 1 short), the float score and its bound. `count[0]` places written. */
export interface PlaceBuffer {
  rows: Int32Array;
  lines: Uint8Array;
  scores: Float64Array;
  bounds: Float64Array;
  count: Int32Array;
}

export interface RowScreenJob {
  kind: "screen";
  columnar: ColumnarSnapshot;
  /** Prepared once for the block (prepareFigureScreen), without its snapshot: `prices` holds only the markets and collaterals. */
  screen: FigureScreen;
  /** The rows screened: `list`, or when null the rows from..to − 1. */
  list: Int32Array | null;
  from: number;
  to: number;
  /** Each screened row's figures are written here (the others' are left as they were). */
  figures: FigureColumns;
  /** Per row: 1 once screened, 0 when the caller must value it exactly. */
  screened: Uint8Array;
  /** Each screened row's equity sign and health interval (engine Figures), for system risk (engine ScreenedRisk). */
  riskBounds: RiskBounds;
  places: PlaceBuffer;
}

/** Per row, what engine ScreenedRisk takes from a screen beside its figure columns. */
export type RiskBounds = Pick<ScreenedRisk, "equitySign" | "healthLow" | "healthHigh">;

/** Risk bounds for `n` rows, in shared memory; `spare` itself when it has the room. */
export function riskBounds(n: number, spare?: RiskBounds): RiskBounds {
  if (spare && spare.equitySign.length >= n) return spare;
  const size = n + (n >>> 4);
  return { equitySign: new Int8Array(new SharedArrayBuffer(size)), healthLow: new Float64Array(new SharedArrayBuffer(8 * size)), healthHigh: new Float64Array(new SharedArrayBuffer(8 * size)) };
}

/** How many places a job's rows (`list`, or from..to − 1) hold: their positions (nonzero sizes), read from the columns. Its place buffer needs that room. */
export function placesIn(columnar: ColumnarSnapshot, list: Int32Array | null, from: number, to: number): number {
  let places = 0;
  for (const { hi } of columnar.sizeBase) {
    if (list) for (const row of list) places += hi[row] !== 0 ? 1 : 0;
    else for (let row = from; row < to; row++) places += hi[row] !== 0 ? 1 : 0;
  }
  return places;
}

/** A place buffer with room for `room` places, in shared memory; `spare` itself when it has the room. */
export function placeBuffer(room: number, spare?: PlaceBuffer): PlaceBuffer {
  if (spare && spare.rows.length >= room) return spare;
  const size = room + (room >>> 4) + 16;
  const shared = <T>(Kind: new (buffer: SharedArrayBuffer) => T, bytes: number) => new Kind(new SharedArrayBuffer(bytes * size));
  return { rows: shared(Int32Array, 4), lines: shared(Uint8Array, 1), scores: shared(Float64Array, 8), bounds: shared(Float64Array, 8), count: new Int32Array(new SharedArrayBuffer(4)) };
}

/** Row `row`'s figures `f` into the figure columns. */
export function writeFigures(columns: FigureColumns, row: number, f: Figures): void {
  columns.equityUsd[row] = f.equityUsd;
  columns.notionalUsd[row] = f.notionalUsd;
  columns.health[row] = f.health;
  columns.leverage[row] = f.leverage;
  columns.distanceToLiquidation[row] = f.distanceToLiquidation;
  columns.liquidatable[row] = f.liquidatable ? 1 : 0;
}

/** Runs `job`: each of its rows screened, its figures and places written where it could be. */
export function screenRows({ columnar, screen, list, from, to, figures, screened, riskBounds: bounds, places }: RowScreenJob): void {
  const nM = columnar.sizeBase.length;
  const out = createFigures(nM);
  const [screenRow, n] = [screenFigures, list ? list.length : to - from];
  let placed = 0;
  for (let k = 0; k < n; k++) {
    const row = list ? list[k]! : from + k;
    if (!screenRow(columnar, row, screen, out)) {
      screened[row] = 0;
      continue;
    }
    screened[row] = 1;
    writeFigures(figures, row, out);
    bounds.equitySign[row] = out.equitySign;
    bounds.healthLow[row] = out.healthLow;
    bounds.healthHigh[row] = out.healthHigh;
    for (let m = 0; m < nM; m++) {
      const size = columnar.sizeBase[m]!.hi[row]!;
      if (size === 0) continue;
      places.rows[placed] = row;
      // The side from the size's float: the same sign as the size (a nonzero integer).
      places.lines[placed] = 2 * m + (size > 0 ? 0 : 1);
      places.scores[placed] = out.adlScore[m]!;
      places.bounds[placed++] = out.adlBound[m]!;
    }
  }
  places.count[0] = placed;
}
