/**
 * The cascade with a full bigint rescan of every account in every round (computeAccountRisk +
 * isLiquidatable), and every liquidation a transaction of its own (liquidateAllInPlace): the
 * reference simulateCascade's price triggers and solvent shortcut are tested against. Not for
 * production callers: at 100,000 accounts × 48 steps it takes minutes.
 */

import { runCascade, CASCADE_KEEPER, type CascadeParameters, type CascadeResult } from "../cascade/simulateCascade.ts";
import { computeAccountRisk, type AccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { liquidateAllInPlace } from "../liquidation/simulateLiquidation.ts";

/** simulateCascade by rescanning every account each round. */
export function simulateCascadeExact(parameters: CascadeParameters): CascadeResult {
  return runCascade(parameters, (state) => ({
    scan: () => {
      const liquidatable: number[] = [];
      const risks: AccountRisk[] = [];
      const safe: number[] = [];
      state.snapshot.accounts.forEach((account, row) => {
        if (account.address === CASCADE_KEEPER || account.positions.length === 0) return;
        const risk = computeAccountRisk(state.snapshot, account);
        if (isLiquidatable(risk)) {
          liquidatable.push(row);
          risks.push(risk);
        } else safe.push(row);
      });
      return { liquidatable, safe, riskOf: (i: number) => risks[i]! };
    },
    liquidate: (state, due, keeper) => liquidateAllInPlace(state, due.map((d) => d.address), keeper),
  }));
}
