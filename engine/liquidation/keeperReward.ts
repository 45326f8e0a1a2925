/**
 * What a keeper earns by liquidating an account, as LiquidationLogic pays it
 * (docs/PROTOCOL.md "Liquidation", step 1):
 *
 *   rawPenalty = Σ floor(notional_p·penalty_p)      rawKeeper = Σ floor(floor(notional_p·penalty_p)·keeperShare_p)
 *   penalty    = min(rawPenalty, max(equity, 0))    reward    = floor(rawKeeper · penalty / rawPenalty)
 *
 * `atMaintenance` prices the liquidation at the moment the account crosses maintenance (equity =
 * MM), which is when a keeper first can take it: an account whose reward there does not pay the
 * gas of a liquidation is dust — no rational keeper will ever liquidate it.
 * Example: $10k of ETH at 2 % penalty, 50 % keeper share → penalty $200, reward $100.
 */

import type { AccountRisk } from "../margin/computeAccountRisk.ts";
import { min, mulDivDown, WAD } from "../math/wad.ts";
import type { ProtocolSnapshot } from "../types.ts";

export interface KeeperReward {
  rawPenaltyUsd: bigint;
  penaltyUsd: bigint;
  rewardUsd: bigint;
}

export function keeperReward(snapshot: Pick<ProtocolSnapshot, "markets">, risk: AccountRisk, { atMaintenance = false } = {}): KeeperReward {
  let rawPenaltyUsd = 0n;
  let rawKeeper = 0n;
  for (const p of risk.positions) {
    const params = snapshot.markets[p.marketId]!.params;
    const penalty = mulDivDown(p.notionalUsd, params.liquidationPenaltyWad, WAD);
    rawPenaltyUsd += penalty;
    rawKeeper += mulDivDown(penalty, params.keeperShareWad, WAD);
  }
  const equity = atMaintenance ? risk.maintenanceMarginUsd : risk.equityUsd;
  const penaltyUsd = equity > 0n ? min(rawPenaltyUsd, equity) : 0n;
  const rewardUsd = rawPenaltyUsd === 0n ? 0n : mulDivDown(rawKeeper, penaltyUsd, rawPenaltyUsd);
  return { rawPenaltyUsd, penaltyUsd, rewardUsd };
}
