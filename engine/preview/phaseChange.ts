/**
 * A risk-parameter change in equal steps: the phased alternative the preview offers where one
 * step would flip many accounts at once (a cliff). Each step moves every parameter the same
 * fraction of the way, rounded down (WAD integers), the last step landing exactly on the target;
 * as every constraint the contract checks is linear (0 < MMR < IMR ≤ 1, penalty < MMR, …), a step
 * between two valid parameter sets is valid too.
 *
 * Example: MMR 10 % → 20 % in 2 steps: 15 %, then 20 %; each a proposal of its own, so accounts
 * get a voting period and a timelock delay to add margin between them.
 */

import type { MarketParams } from "../types.ts";

/** The parameters after each of `steps` equal steps from `current` to `target` (the last is `target`). */
export function phaseChange(current: MarketParams, target: MarketParams, steps: number): MarketParams[] {
  const n = BigInt(Math.max(1, Math.floor(steps)));
  return Array.from({ length: Number(n) }, (_, i) => {
    const k = BigInt(i + 1);
    const step = (key: keyof MarketParams) => current[key] + ((target[key] - current[key]) * k) / n;
    return { imrWad: step("imrWad"), mmrWad: step("mmrWad"), liquidationPenaltyWad: step("liquidationPenaltyWad"), keeperShareWad: step("keeperShareWad"), oiCapUsd: step("oiCapUsd"), concentrationCapWad: step("concentrationCapWad"), oracleMaxAgeSec: step("oracleMaxAgeSec") };
  });
}
