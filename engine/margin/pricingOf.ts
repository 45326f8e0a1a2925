/**
 * What a figure derived account by account may keep from one block to the next: while the pricing
 * stands (pricingOf: everything of the venue an account's valuation reads — the markets' ids,
 * symbols, marks and parameters, the collaterals' ids, decimals, prices and parameters), an
 * account object that did not change is valued the same, so only the changed and new rows need
 * their part computed again (changedRowsSince). followSystemRisk and followCover keep per-row
 * arrays on this; lib/server/followBlockViews keys its ADL lines and rows on pricingOf.
 */

import type { ProtocolSnapshot } from "../types.ts";

export function pricingOf(s: Pick<ProtocolSnapshot, "markets" | "collaterals">): string {
  const markets = s.markets.map((m) => [m.id, m.symbol, m.markPriceWad, ...Object.values(m.params)].join(","));
  const collaterals = s.collaterals.map((c) => [c.id, c.decimals, c.priceWad, ...Object.values(c.params)].join(","));
  return `${markets.join(";")}|${collaterals.join(";")}`;
}

/**
 * The rows of `snapshot` whose account object is not `last`'s (new rows included), ascending; or
 * undefined when what was kept cannot be followed: `keptFor` (the accounts array the kept rows
 * describe) is not `last`'s, rows were removed, the pricing moved, or more than `maxChanged` rows
 * changed (then computing from scratch costs no more).
 */
export function changedRowsSince(snapshot: ProtocolSnapshot, last: ProtocolSnapshot, keptFor: ProtocolSnapshot["accounts"], maxChanged: number): number[] | undefined {
  const before = last.accounts;
  if (keptFor !== before || before.length > snapshot.accounts.length || pricingOf(last) !== pricingOf(snapshot)) return undefined;
  const [accounts, changed]: [ProtocolSnapshot["accounts"], number[]] = [snapshot.accounts, []];
  for (let row = 0; row < accounts.length; row++) {
    if (accounts[row] === before[row]) continue;
    if (changed.length === maxChanged) return undefined;
    changed.push(row);
  }
  return changed;
}
