/**
 * Every row below the screen's line — liquidatable (positions and equity < maintenance) or,
 * with an equity screen, in negative equity — exactly: the float screen decides each row it can
 * (marginScreen.ts proves when it can) and the bigint engine the few within its error bound.
 * Rows come back ascending, as in the snapshot. Several screens (price vectors) go in one pass:
 * each row is read once and screened against all of them.
 *
 * Example: 1,000,000 accounts, ~5 % near maintenance: the screen settles all but the handful
 * within ~10⁻¹⁵ of their margin of being at maintenance; the bigint engine sees only those.
 */

import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { marginVerdict, type MarginScreen } from "./marginScreen.ts";

/** For each screen, the ascending rows whose exact verdict is "below". */
export function findRowsBelow(columnar: ColumnarSnapshot, screens: readonly MarginScreen[]): Uint32Array[] {
  // Built by push and typed, not by map: the element kind of map's result can differ between its
  // optimised and unoptimised forms, and the loop below then meets arrays of another map.
  const found: Uint32Array[] = [];
  for (let k = 0; k < screens.length; k++) found.push(new Uint32Array(64));
  const counts = new Uint32Array(screens.length);
  // A local name for the per-row call: some module loaders read imported bindings through a getter on every use.
  const verdict = marginVerdict;
  for (let row = 0; row < columnar.count; row++) {
    for (let k = 0; k < screens.length; k++) {
      if (verdict(columnar, row, screens[k]!) > 0) continue;
      let rows = found[k]!;
      if (counts[k] === rows.length) {
        rows = new Uint32Array(2 * rows.length);
        rows.set(found[k]!);
        found[k] = rows;
      }
      rows[counts[k]!++] = row;
    }
  }
  return found.map((rows, k) => rows.slice(0, counts[k]));
}
