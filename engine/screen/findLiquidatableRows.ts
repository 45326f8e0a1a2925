/**
 * The liquidation scan on the columnar fast path: rows of the snapshot's accounts with
 * positions and equity < maintenance margin, ascending — the float screen decides what it can
 * prove and the bigint engine the rest (marginScreen.ts), so the answer is the exact one
 * (reference/findLiquidatableExact.ts) at float speed.
 *
 * Example: a snapshot of 1,000,000 accounts: one pass over the columns (built once per
 * accounts array, columnarOf) and a handful of bigint re-checks.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { findRowsBelow } from "./findRowsBelow.ts";
import { prepareMarginScreen } from "./marginScreen.ts";

/** Ascending indices into `snapshot.accounts` of the liquidatable accounts. */
export function findLiquidatableRows(snapshot: ProtocolSnapshot): Uint32Array {
  return findRowsBelow(columnarOf(snapshot), [prepareMarginScreen(snapshot)])[0]!;
}
