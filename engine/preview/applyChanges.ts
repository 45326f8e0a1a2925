/**
 * Governance actions as data (what a proposal's calldata decodes to) and their effect on a
 * snapshot. applyChanges never mutates its input; with no change it returns an equal snapshot.
 * Invalid changes are reported with the contract's error names instead of being applied, so a
 * preview can show them next to the diff. Each kind's rules sit in one record, CHANGE_RULES,
 * keyed by kind: a kind added to ParamChange without them does not compile.
 */

import type { AdlMode, CollateralParams, MarketParams, ProtocolSnapshot } from "../types.ts";
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
  | { kind: "withdrawInsurance"; to: `0x${string}`; amountUsd: bigint }
  | { kind: "setTimelockDelay"; seconds: bigint };

export type ChangeKind = ParamChange["kind"];

/** The change of one kind: ChangeOf<"setMarketFrozen"> is { kind: "setMarketFrozen"; marketId; frozen }. */
export type ChangeOf<K extends ChangeKind> = Extract<ParamChange, { kind: K }>;

export interface ChangeIssue extends Omit<ValidationIssue, "error"> {
  error: ValidationIssue["error"] | "UnknownMarket" | "UnknownAsset" | "InsufficientReserves" | "SameReserve" | "ZeroAmount";
  /** Index of the change in the list. */
  change: number;
}

/** An issue of one change, before applyChanges numbers it. */
export type ChangeIssueBody = Omit<ChangeIssue, "change">;

/**
 * What the engine knows of one kind of change: the rules it must meet whatever the state
 * (validate: a form checks these before anything is sent), and how it applies to a snapshot's
 * copy (apply: mutates `s`, which applyChanges owns, and returns what it refused — the rules
 * above and those that depend on the state, like an unknown market or a reserve too small).
 */
export interface ChangeRule<K extends ChangeKind> {
  validate(change: ChangeOf<K>): ChangeIssueBody[];
  apply(s: ProtocolSnapshot, change: ChangeOf<K>): ChangeIssueBody[];
}

/** Keyed by kind: a ParamChange kind without its rule does not compile. */
export type ChangeRules = { [K in ChangeKind]: ChangeRule<K> };

const issue = (error: ChangeIssueBody["error"], field: string, message: string, args: bigint[] = []): ChangeIssueBody => ({ error, field, message, args });
const unknownMarket = (id: number) => issue("UnknownMarket", "marketId", `There is no market ${id}.`, [BigInt(id)]);
const unknownAsset = (id: number) => issue("UnknownAsset", "assetId", `There is no collateral asset ${id}.`, [BigInt(id)]);
const reserveKey = (r: Reserve) => (r === "insurance" ? "insuranceFundUsd" : "defaultFundUsd");

/** Takes `amountUsd` out of reserve `from`, or says why it cannot. */
function draw(s: ProtocolSnapshot, from: Reserve, amountUsd: bigint): ChangeIssueBody[] {
  const key = reserveKey(from);
  if (amountUsd > s.reserves[key]) return [issue("InsufficientReserves", "amountUsd", `The ${from === "insurance" ? "insurance fund" : "default fund"} holds less than the amount.`, [s.reserves[key], amountUsd])];
  s.reserves[key] -= amountUsd;
  return [];
}

const none = () => [];

/** Runs `apply` on market `id`, or says there is no such market. */
function onMarket(s: ProtocolSnapshot, id: number, apply: (market: ProtocolSnapshot["markets"][number]) => ChangeIssueBody[]): ChangeIssueBody[] {
  const market = s.markets[id];
  return market ? apply(market) : [unknownMarket(id)];
}

/** Runs `apply` on collateral `id`, or says there is no such asset. */
function onAsset(s: ProtocolSnapshot, id: number, apply: (asset: ProtocolSnapshot["collaterals"][number]) => ChangeIssueBody[]): ChangeIssueBody[] {
  const asset = s.collaterals[id];
  return asset ? apply(asset) : [unknownAsset(id)];
}

/** Makes the change (`set`) only when validation `found` nothing; returns what it found. */
function setIfValid(found: ChangeIssueBody[], set: () => void): ChangeIssueBody[] {
  if (found.length === 0) set();
  return found;
}

export const CHANGE_RULES: ChangeRules = {
  setMarketParams: {
    validate: (c) => validateMarketParams(c.params),
    apply: (s, c) => onMarket(s, c.marketId, (market) => setIfValid(validateMarketParams(c.params), () => (market.params = { ...c.params }))),
  },
  setMarketFrozen: {
    validate: none,
    apply: (s, c) =>
      onMarket(s, c.marketId, (market) => {
        market.frozen = c.frozen;
        return [];
      }),
  },
  setMarketPaused: {
    validate: none,
    apply: (s, c) =>
      onMarket(s, c.marketId, (market) => {
        if (market.paused && !c.paused) market.unpausedAt = s.timestamp;
        market.paused = c.paused;
        return [];
      }),
  },
  setCollateralParams: {
    validate: (c) => validateCollateralParams(c.params),
    apply: (s, c) => onAsset(s, c.assetId, (asset) => setIfValid(validateCollateralParams(c.params), () => (asset.params = { ...c.params }))),
  },
  setCollateralFrozen: {
    validate: none,
    apply: (s, c) =>
      onAsset(s, c.assetId, (asset) => {
        asset.frozen = c.frozen;
        return [];
      }),
  },
  setAdlMode: {
    validate: none,
    apply(s, c) {
      s.global.adlMode = c.mode;
      return [];
    },
  },
  setGracePeriod: {
    validate: (c) => validateDuration("gracePeriod", c.seconds),
    apply: (s, c) => setIfValid(validateDuration("gracePeriod", c.seconds), () => (s.global.gracePeriodSec = c.seconds)),
  },
  setDefaultFundCooldown: {
    validate: (c) => validateDuration("defaultFundCooldown", c.seconds),
    apply: (s, c) => setIfValid(validateDuration("defaultFundCooldown", c.seconds), () => (s.global.defaultFundCooldownSec = c.seconds)),
  },
  moveReserves: {
    validate(c) {
      if (c.from === c.to) return [issue("SameReserve", "to", "A reserve cannot be moved to itself.")];
      if (c.amountUsd === 0n) return [issue("ZeroAmount", "amountUsd", "The amount must be above zero.")];
      return [];
    },
    apply(s, c) {
      const found = CHANGE_RULES.moveReserves.validate(c);
      if (found.length) return found;
      const refused = draw(s, c.from, c.amountUsd);
      if (refused.length === 0) s.reserves[reserveKey(c.to)] += c.amountUsd;
      return refused;
    },
  },
  withdrawInsurance: {
    validate: (c) => (c.amountUsd === 0n ? [issue("ZeroAmount", "amountUsd", "The amount must be above zero.")] : []),
    apply(s, c) {
      const found = CHANGE_RULES.withdrawInsurance.validate(c);
      return found.length ? found : draw(s, "insurance", c.amountUsd);
    },
  },
  // The timelock's minimum delay (TimelockController.updateDelay, which takes any uint256) is
  // not part of the clearinghouse's state: it changes when later proposals can run, not what
  // any account holds, so it previews as no change.
  setTimelockDelay: { validate: none, apply: none },
};

/** The rules `change` breaks whatever the state: empty when a form may propose it. */
export function validateChange(change: ParamChange): ChangeIssueBody[] {
  return (CHANGE_RULES[change.kind] as ChangeRule<ChangeKind>).validate(change);
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
    for (const found of (CHANGE_RULES[change.kind] as ChangeRule<ChangeKind>).apply(s, change)) issues.push({ ...found, change: index });
  });
  return { snapshot: s, issues };
}
