/**
 * Everything of the venue an account's valuation reads: the markets' ids, symbols, marks and
 * parameters, the collaterals' ids, decimals, prices and parameters. Two snapshots with equal
 * strings value every account they share the same way, so whatever was derived from an unchanged
 * account stands (followSystemRisk, lib/server/followBlockViews).
 */

import type { ProtocolSnapshot } from "../types.ts";

export function pricingOf(s: Pick<ProtocolSnapshot, "markets" | "collaterals">): string {
  const markets = s.markets.map((m) => [m.id, m.symbol, m.markPriceWad, ...Object.values(m.params)].join(","));
  const collaterals = s.collaterals.map((c) => [c.id, c.decimals, c.priceWad, ...Object.values(c.params)].join(","));
  return `${markets.join(";")}|${collaterals.join(";")}`;
}
