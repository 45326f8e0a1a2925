/**
 * The exact liquidation scan, account by account in bigint (computeAccountRisk + isLiquidatable):
 * the reference the columnar screen (findLiquidatable) is tested against. Not for production
 * callers: it runs near 0.3 M accounts/s, where the screen runs at float speed.
 */

import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import type { ProtocolSnapshot } from "../types.ts";

/** Every liquidatable account of a snapshot, in snapshot order, by the bigint engine alone. */
export function findLiquidatableExact(snapshot: ProtocolSnapshot): `0x${string}`[] {
  return snapshot.accounts.filter((a) => isLiquidatable(computeAccountRisk(snapshot, a))).map((a) => a.address);
}
