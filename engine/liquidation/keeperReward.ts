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
import type { MarketParams, ProtocolSnapshot } from "../types.ts";

export interface KeeperReward {
  rawPenaltyUsd: bigint;
  penaltyUsd: bigint;
  rewardUsd: bigint;
}

export function keeperReward(snapshot: Pick<ProtocolSnapshot, "markets">, risk: AccountRisk, { atMaintenance = false } = {}): KeeperReward {
  const sums: PenaltySums = { rawPenaltyUsd: 0n, rawKeeperUsd: 0n };
  for (const p of risk.positions) addPenalty(sums, p.notionalUsd, snapshot.markets[p.marketId]!.params);
  const reward = { rawPenaltyUsd: sums.rawPenaltyUsd, penaltyUsd: 0n, rewardUsd: 0n };
  chargePenalty(reward, sums.rawKeeperUsd, atMaintenance ? risk.maintenanceMarginUsd : risk.equityUsd);
  return reward;
}

/** Σ floor(notional_p·penalty_p) and Σ floor(floor(notional_p·penalty_p)·keeperShare_p) so far. */
export interface PenaltySums {
  rawPenaltyUsd: bigint;
  rawKeeperUsd: bigint;
}

/** Adds a position of `notionalUsd` in a market of `params` to the raw sums. */
export function addPenalty(sums: PenaltySums, notionalUsd: bigint, params: Pick<MarketParams, "liquidationPenaltyWad" | "keeperShareWad">): void {
  const penalty = mulDivDown(notionalUsd, params.liquidationPenaltyWad, WAD);
  sums.rawPenaltyUsd += penalty;
  sums.rawKeeperUsd += mulDivDown(penalty, params.keeperShareWad, WAD);
}

/** The penalty (raw, capped at `equityUsd`) and the keeper's share of it, into `reward` (its rawPenaltyUsd set). */
export function chargePenalty(reward: KeeperReward, rawKeeperUsd: bigint, equityUsd: bigint): void {
  const raw = reward.rawPenaltyUsd;
  reward.penaltyUsd = equityUsd > 0n ? min(raw, equityUsd) : 0n;
  reward.rewardUsd = raw === 0n ? 0n : mulDivDown(rawKeeperUsd, reward.penaltyUsd, raw);
}
