/**
 * liquidatable ⇔ the account holds a position and equity < maintenance margin.
 * Exactly at maintenance is safe; one wei below is not (docs/PROTOCOL.md).
 */

import type { AccountRisk } from "./computeAccountRisk.ts";

export function isLiquidatable(risk: Pick<AccountRisk, "equityUsd" | "maintenanceMarginUsd" | "positions">): boolean {
  return risk.positions.length > 0 && risk.equityUsd < risk.maintenanceMarginUsd;
}
