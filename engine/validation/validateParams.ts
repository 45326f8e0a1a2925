/**
 * The contract's validation rules (Clearinghouse._validate*), with the same error names, so a
 * form can refuse what the chain would refuse before anything is sent. Unlike the contract,
 * which reverts on the first failure, this lists every failure, in the contract's order.
 *
 *   InvalidMarginRatios       unless 0 < mmr < imr ≤ 100 %
 *   InvalidLiquidationPenalty unless penalty < mmr
 *   InvalidKeeperShare        unless keeperShare ≤ 100 %
 *   InvalidOiCap              unless oiCap > 0
 *   InvalidConcentrationCap   unless 0 < concentrationCap ≤ 100 %
 *   InvalidOracleMaxAge       unless 60 s ≤ maxAge ≤ 7 days
 *   InvalidCollateralWeight   unless 0 < weight ≤ 100 %
 *   InvalidDuration           unless grace ≤ 7 days, cooldown ≤ 90 days
 */

import { formatDuration, formatPercent } from "../format.ts";
import { WAD } from "../math/wad.ts";
import type { CollateralParams, MarketParams } from "../types.ts";

export const MIN_ORACLE_MAX_AGE_SEC = 60n;
export const MAX_ORACLE_MAX_AGE_SEC = 7n * 86_400n;
export const MAX_GRACE_PERIOD_SEC = 7n * 86_400n;
export const MAX_DEFAULT_FUND_COOLDOWN_SEC = 90n * 86_400n;

export type ValidationErrorName =
  | "InvalidMarginRatios"
  | "InvalidLiquidationPenalty"
  | "InvalidKeeperShare"
  | "InvalidOiCap"
  | "InvalidConcentrationCap"
  | "InvalidOracleMaxAge"
  | "InvalidCollateralWeight"
  | "InvalidDuration";

export interface ValidationIssue {
  error: ValidationErrorName;
  /** The field a form should mark. */
  field: string;
  /** A plain sentence for the person at the form. */
  message: string;
  args: bigint[];
}

function oracleMaxAge(value: bigint, issues: ValidationIssue[]) {
  if (value < MIN_ORACLE_MAX_AGE_SEC || value > MAX_ORACLE_MAX_AGE_SEC) {
    issues.push({ error: "InvalidOracleMaxAge", field: "oracleMaxAgeSec", message: `Oracle max age must be between 1 min and 7 d; ${formatDuration(value)} is outside.`, args: [value] });
  }
}

/** Every rule a market's parameters break, empty when the contract would accept them. */
export function validateMarketParams(p: MarketParams): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (p.mmrWad === 0n || p.mmrWad >= p.imrWad || p.imrWad > WAD) {
    const why = p.mmrWad === 0n ? "maintenance margin must be above zero" : p.imrWad > WAD ? "initial margin cannot exceed 100%" : "maintenance margin must be below initial margin";
    issues.push({ error: "InvalidMarginRatios", field: p.imrWad > WAD ? "imrWad" : "mmrWad", message: `IMR ${formatPercent(p.imrWad)} / MMR ${formatPercent(p.mmrWad)}: ${why}.`, args: [p.imrWad, p.mmrWad] });
  }
  if (p.liquidationPenaltyWad >= p.mmrWad) {
    issues.push({ error: "InvalidLiquidationPenalty", field: "liquidationPenaltyWad", message: `The liquidation penalty (${formatPercent(p.liquidationPenaltyWad)}) must be below the maintenance margin (${formatPercent(p.mmrWad)}).`, args: [p.liquidationPenaltyWad, p.mmrWad] });
  }
  if (p.keeperShareWad > WAD) {
    issues.push({ error: "InvalidKeeperShare", field: "keeperShareWad", message: `The keeper's share cannot exceed 100% (got ${formatPercent(p.keeperShareWad)}).`, args: [p.keeperShareWad] });
  }
  if (p.oiCapUsd === 0n) {
    issues.push({ error: "InvalidOiCap", field: "oiCapUsd", message: "The open-interest cap must be above zero (freeze the market to stop new exposure).", args: [p.oiCapUsd] });
  }
  if (p.concentrationCapWad === 0n || p.concentrationCapWad > WAD) {
    issues.push({ error: "InvalidConcentrationCap", field: "concentrationCapWad", message: `The concentration cap must be above 0% and at most 100% (got ${formatPercent(p.concentrationCapWad)}).`, args: [p.concentrationCapWad] });
  }
  oracleMaxAge(p.oracleMaxAgeSec, issues);
  return issues;
}

/** Every rule a collateral's parameters break. */
export function validateCollateralParams(p: CollateralParams): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (p.weightWad === 0n || p.weightWad > WAD) {
    issues.push({ error: "InvalidCollateralWeight", field: "weightWad", message: `The collateral weight must be above 0% and at most 100% (got ${formatPercent(p.weightWad)}).`, args: [p.weightWad] });
  }
  oracleMaxAge(p.oracleMaxAgeSec, issues);
  return issues;
}

/** The grace period after an unpause, or the default-fund cooldown, against its maximum. */
export function validateDuration(kind: "gracePeriod" | "defaultFundCooldown", seconds: bigint): ValidationIssue[] {
  const max = kind === "gracePeriod" ? MAX_GRACE_PERIOD_SEC : MAX_DEFAULT_FUND_COOLDOWN_SEC;
  if (seconds <= max) return [];
  const what = kind === "gracePeriod" ? "The liquidation grace period" : "The default-fund cooldown";
  return [{ error: "InvalidDuration", field: kind, message: `${what} can be at most ${formatDuration(max)} (got ${formatDuration(seconds)}).`, args: [seconds, max] }];
}
