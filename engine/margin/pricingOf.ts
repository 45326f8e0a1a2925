/**
 * What a figure derived account by account may keep from one block to the next: while the pricing
 * stands (pricingOf: everything of the venue an account's valuation reads — the markets' ids,
 * symbols, marks and parameters, the collaterals' ids, decimals, prices and parameters), an
 * account object that did not change is valued the same, so only the changed and new rows need
 * their part computed again (changedRowsSince). followSystemRisk and followCover keep per-row
 * arrays on this, and lib/server/followBlockViews its ADL lines and rows.
 */

import type { ProtocolSnapshot } from "../types.ts";

export function pricingOf(s: Pick<ProtocolSnapshot, "markets" | "collaterals">): string {
  const markets = s.markets.map((m) => [m.id, m.symbol, m.markPriceWad, ...Object.values(m.params)].join(","));
  const collaterals = s.collaterals.map((c) => [c.id, c.decimals, c.priceWad, ...Object.values(c.params)].join(","));
  return `${markets.join(";")}|${collaterals.join(";")}`;
}

/**
 * Per accounts array, its last diff: against which array, under which cap, and the rows
 * (undefined: more than the cap). The array it was taken against is held weakly: a block's
 * accounts must not keep the last block's alive, and with them every block's before it (and each
 * one's columns, engine columnarOf: at 1,000,000 accounts ~0.2 GB a block of trades).
 */
const diffs = new WeakMap<readonly object[], { before: WeakRef<readonly object[]>; cap: number; rows: number[] | undefined }>();

/**
 * The rows of `snapshot` whose account object is not `last`'s (new rows included), ascending; or
 * undefined when what was kept cannot be followed: `keptFor` (the accounts array the kept rows
 * describe) is not `last`'s, rows were removed, the pricing moved, or more than `maxChanged` rows
 * changed (then computing from scratch costs no more). The diff is rowsChangedSince's, shared.
 */
export function changedRowsSince(snapshot: ProtocolSnapshot, last: ProtocolSnapshot, keptFor: ProtocolSnapshot["accounts"], maxChanged: number): readonly number[] | undefined {
  const before = last.accounts;
  if (keptFor !== before || before.length > snapshot.accounts.length || pricingOf(last) !== pricingOf(snapshot)) return undefined;
  return rowsChangedSince(snapshot.accounts, before, maxChanged);
}

/**
 * The rows of `accounts` whose object is not `before`'s (rows past `before`'s end included),
 * ascending, or undefined when more than `maxChanged` are. Taken once per pair of arrays (of
 * accounts, or of any objects never changed in place) and shared by every follower of the block
 * (engine columnarOf, followSystemRisk, followCover, lib/server/followBlockViews, the worker's
 * serialiser of the accounts): at 1,000,000 accounts each pass over the array is ~20 ms. The list
 * is read, never changed.
 */
export function rowsChangedSince(accounts: readonly object[], before: readonly object[], maxChanged: number): readonly number[] | undefined {
  const known = diffs.get(accounts);
  if (known && known.before.deref() === before) {
    if (known.rows) return known.rows.length <= maxChanged ? known.rows : undefined;
    if (maxChanged <= known.cap) return undefined;
  }
  const rows = diffRows(accounts, before, maxChanged);
  diffs.set(accounts, { before: new WeakRef(before), cap: maxChanged, rows });
  return rows;
}

/**
 * Tells rowsChangedSince the rows of `accounts` whose object is not `before`'s (ascending, rows
 * past `before`'s end included) by one who made `accounts` from `before` and knows them
 * (lib/actions/followSnapshot: the rows a block's logs replaced or appended), so that no follower
 * of the block diffs the arrays.
 */
export function rememberRowsChanged(accounts: readonly object[], before: readonly object[], rows: number[]): void {
  diffs.set(accounts, { before: new WeakRef(before), cap: Infinity, rows });
}

function diffRows(accounts: readonly object[], before: readonly object[], maxChanged: number): number[] | undefined {
  const changed: number[] = [];
  for (let row = 0; row < accounts.length; row++) {
    if (accounts[row] === before[row]) continue;
    if (changed.length === maxChanged) return undefined;
    changed.push(row);
  }
  return changed;
}
