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
import { exactVerdict, loadScreenRow, screenBound, screenLoadedMargin, type MarginScreen } from "./marginScreen.ts";

/** For each screen, the ascending rows whose exact verdict is "below". */
export function findRowsBelow(columnar: ColumnarSnapshot, screens: readonly MarginScreen[]): Uint32Array[] {
  const found = screens.map(() => new Uint32Array(64));
  const counts = screens.map(() => 0);
  if (screens.length === 0) return [];
  // Local names for the per-row calls: some module loaders read imported bindings through a getter on every use.
  const [load, margin, bound, exact] = [loadScreenRow, screenLoadedMargin, screenBound, exactVerdict];
  const values = new Float64Array(screens[0]!.row.length);
  for (let row = 0; row < columnar.count; row++) {
    load(columnar, row, values);
    for (let k = 0; k < screens.length; k++) {
      const screen = screens[k]!;
      const d = margin(values, screen);
      if (screen.maintenance && !screen.positions) continue;
      const e = bound(screen);
      if (d > e || (d >= -e && exact(columnar, row, screen) > 0)) continue;
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
