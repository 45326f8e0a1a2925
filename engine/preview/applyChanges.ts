/**
 * Governance actions as data (what a proposal's calldata decodes to) and their effect on a
 * snapshot. applyChanges never mutates its input; with no change it returns an equal snapshot.
 * Invalid changes are reported with the contract's error names instead of being applied, so a
 * preview can show them next to the diff.
 */

import { AdlMode, type CollateralParams, type MarketParams, type ProtocolSnapshot } from "../types.ts";
import { validateCollateralParams, validateDuration, validateMarketParams, type ValidationIssue } from "../validation/validateParams.ts";

export type Reserve = "insurance" | "default";

export type ParamChange =
  | { kind: "setMarketParams"; marketId: number; params: MarketParams }
  | { kind: "setMarketFrozen"; marketId: number; frozen: boolean }
  | { kind: "setMarketPaused"; marketId: number; paused: boolean }
  | { kind: "setCollateralParams"; assetId: number; params: CollateralParams }
  | { kind: "setCollateralFrozen"; assetId: number; frozen: boolean }
  | { kind: "setAdlMode"; mode: AdlMode }
  | { kind: "setGracePeriod"; seconds: bigint }
  | { kind: "setDefaultFundCooldown"; seconds: bigint }
  | { kind: "moveReserves"; from: Reserve; to: Reserve; amountUsd: bigint }
  | { kind: "withdrawInsurance"; to: `0x${string}`; amountUsd: bigint };

export interface ChangeIssue extends Omit<ValidationIssue, "error"> {
  error: ValidationIssue["error"] | "UnknownMarket" | "UnknownAsset" | "InsufficientReserves" | "SameReserve" | "ZeroAmount";
  /** Index of the change in the list. */
  change: number;
}

export interface ApplyChangesReturnType {
  snapshot: ProtocolSnapshot;
  issues: ChangeIssue[];
}

export function applyChanges(snapshot: ProtocolSnapshot, changes: readonly ParamChange[]): ApplyChangesReturnType {
  // Governance actions touch markets, collaterals, reserves and settings, never an account:
  // the accounts are shared with the input, which is never mutated.
  const s: ProtocolSnapshot = { ...snapshot, markets: structuredClone(snapshot.markets), collaterals: structuredClone(snapshot.collaterals), reserves: { ...snapshot.reserves }, global: { ...snapshot.global } };
  const issues: ChangeIssue[] = [];
  changes.forEach((change, index) => {
    const fail = (error: ChangeIssue["error"], field: string, message: string, args: bigint[] = []) => issues.push({ error, field, message, args, change: index });
    const report = (found: ValidationIssue[]) => found.forEach((i) => issues.push({ ...i, change: index }));
    switch (change.kind) {
      case "setMarketParams":
      case "setMarketFrozen":
      case "setMarketPaused": {
        const market = s.markets[change.marketId];
        if (!market) return void fail("UnknownMarket", "marketId", `There is no market ${change.marketId}.`, [BigInt(change.marketId)]);
        if (change.kind === "setMarketParams") {
          const found = validateMarketParams(change.params);
          report(found);
          if (found.length === 0) market.params = { ...change.params };
        } else if (change.kind === "setMarketFrozen") market.frozen = change.frozen;
        else {
          if (market.paused && !change.paused) market.unpausedAt = s.timestamp;
          market.paused = change.paused;
        }
        return;
      }
      case "setCollateralParams":
      case "setCollateralFrozen": {
        const asset = s.collaterals[change.assetId];
        if (!asset) return void fail("UnknownAsset", "assetId", `There is no collateral asset ${change.assetId}.`, [BigInt(change.assetId)]);
        if (change.kind === "setCollateralFrozen") asset.frozen = change.frozen;
        else {
          const found = validateCollateralParams(change.params);
          report(found);
          if (found.length === 0) asset.params = { ...change.params };
        }
        return;
      }
      case "setAdlMode":
        s.global.adlMode = change.mode;
        return;
      case "setGracePeriod":
      case "setDefaultFundCooldown": {
        const kind = change.kind === "setGracePeriod" ? "gracePeriod" : "defaultFundCooldown";
        const found = validateDuration(kind, change.seconds);
        report(found);
        if (found.length === 0) s.global[kind === "gracePeriod" ? "gracePeriodSec" : "defaultFundCooldownSec"] = change.seconds;
        return;
      }
      case "moveReserves":
      case "withdrawInsurance": {
        const from: Reserve = change.kind === "moveReserves" ? change.from : "insurance";
        if (change.kind === "moveReserves" && change.from === change.to) return void fail("SameReserve", "to", "A reserve cannot be moved to itself.");
        if (change.amountUsd === 0n) return void fail("ZeroAmount", "amountUsd", "The amount must be above zero.");
        const key = from === "insurance" ? "insuranceFundUsd" : "defaultFundUsd";
        if (change.amountUsd > s.reserves[key]) {
          return void fail("InsufficientReserves", "amountUsd", `The ${from === "insurance" ? "insurance fund" : "default fund"} holds less than the amount.`, [s.reserves[key], change.amountUsd]);
        }
        s.reserves[key] -= change.amountUsd;
        if (change.kind === "moveReserves") s.reserves[change.to === "insurance" ? "insuranceFundUsd" : "defaultFundUsd"] += change.amountUsd;
        return;
      }
    }
  });
  return { snapshot: s, issues };
}
