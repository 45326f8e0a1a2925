/**
 * buildProposal(actions, context) — the proposal builder's form, checked the way the contract
 * would check it, before anything is sent: every action becomes a ParamChange (or a raw call),
 * or an error naming the action's field in a sentence. Pure, so it is fuzzed directly
 * (lib/forms/buildProposal.test.ts); the component only renders what this returns.
 *
 * Beyond the contract's own rules (engine/validation), a value must fit the ABI: no negative
 * number and nothing above 2^256 − 1 reaches the encoder, which would throw instead of saying so.
 */

import { formatUnits, isAddress, isHex, type Hex } from "viem";
import { formParameterValue, MARKET_PARAMETERS, parseParameter, parsePercent, parseUsd, validateCollateralParams, validateDuration, validateMarketParams, type MarketParameter, type MarketParams, type ParamChange } from "../../engine/index.ts";
import { decodeCall, type ProposalCall } from "../codec/governanceCodec.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { messageOf } from "../errors/messageOf.ts";

export interface BuilderMarket {
  id: number;
  symbol: string;
  params: Record<keyof MarketParams, string>;
}

export interface BuilderCollateral {
  id: number;
  symbol: string;
  decimals: number;
  weightWad: string;
  depositCapNative: string;
  oracleMaxAgeSec: string;
}

export type ActionKind = "params" | "freeze" | "unfreeze" | "pause" | "unpause" | "adl-queue" | "adl-pro-rata" | "collateral" | "grace" | "cooldown" | "move-reserves" | "raw";

export const emptyExtra = { assetId: "0", weight: "", depositCap: "", assetMaxAge: "", seconds: "", from: "insurance", to: "default", amount: "", target: "", calldata: "" };

export interface BuilderAction {
  kind: ActionKind;
  marketId: number;
  fields: Record<MarketParameter["formField"], string>;
  /** Fields of the other kinds: asset, weight, cap, seconds, from/to/amount, target/calldata. */
  extra: typeof emptyExtra;
}

const UINT256_MAX = 2n ** 256n - 1n;

/**
 * A market's current value of a parameter, as the form shows it: exact decimals, never through a
 * float (engine/params), so an untouched field parses back to the very same integer —
 * 33.333333333333333333 % stays 333333333333333333, and a cap of $1,000,000.50 keeps its cents.
 */
export function shownValue(m: BuilderMarket, f: MarketParameter): string {
  return formParameterValue(f, BigInt(m.params[f.param]));
}

/** A collateral's current weight, deposit cap and oracle age, as the form shows them (exact, as shownValue). */
export function shownCollateral(c: BuilderCollateral): Pick<typeof emptyExtra, "assetId" | "weight" | "depositCap" | "assetMaxAge"> {
  return { assetId: String(c.id), weight: formatUnits(BigInt(c.weightWad), 16), depositCap: formatUnits(BigInt(c.depositCapNative), c.decimals), assetMaxAge: c.oracleMaxAgeSec };
}

/** Throws a sentence when a parsed value cannot be a uint256 argument. */
function uint256(value: bigint): bigint {
  if (value < 0n) throw new Error("must not be negative");
  if (value > UINT256_MAX) throw new Error("is larger than the contract can store (2^256 − 1)");
  return value;
}

const percent = (raw: string) => uint256(parsePercent(raw.trim().endsWith("%") ? raw : `${raw}%`));

/** Steward-style preflight: a parameter moving more than half its value, or a margin more than 5 points, is worth saying. */
function preflight(before: MarketParams, after: MarketParams, symbol: string): string[] {
  const warnings: string[] = [];
  for (const f of MARKET_PARAMETERS) {
    const a = Number(before[f.param]);
    const b = Number(after[f.param]);
    if (a === b) continue;
    const relative = a === 0 ? Infinity : Math.abs(b - a) / a;
    const points = f.unit === "percent" ? Math.abs(b - a) / 1e16 : 0;
    if (relative > 0.5 || points > 5) warnings.push(`${symbol} ${f.name} moves by ${Number.isFinite(relative) ? `${Math.round(relative * 100)}%` : "from zero"}${points > 5 ? ` (${points.toFixed(1)} points)` : ""}: more than the usual step; say why in the description.`);
  }
  return warnings;
}

/** A kind with no branch above does not compile (it used to be proposed as an ADL mode change). */
function unhandled(kind: never): never {
  throw new Error(`the builder has no rule for the action "${String(kind)}"`);
}

export interface BuildProposalContext {
  markets: BuilderMarket[];
  collaterals: BuilderCollateral[];
  deployment: Pick<Deployment, "contracts">;
}

export interface BuildProposalReturnType {
  changes: ParamChange[];
  rawCalls: ProposalCall[];
  /** One per refused value: the action's index, the field when it has its own input, and the sentence. */
  errors: { action: number; field?: string; message: string }[];
  warnings: string[];
}

export function buildProposal(actions: BuilderAction[], { markets, collaterals, deployment }: BuildProposalContext): BuildProposalReturnType {
  const changes: ParamChange[] = [];
  const rawCalls: ProposalCall[] = [];
  const errors: BuildProposalReturnType["errors"] = [];
  const warnings: string[] = [];
  actions.forEach((a, i) => {
    const market = markets.find((m) => m.id === a.marketId)!;
    if (a.kind === "params") {
      const current = Object.fromEntries(Object.entries(market.params).map(([k, v]) => [k, BigInt(v)])) as unknown as MarketParams;
      const next = { ...current };
      for (const f of MARKET_PARAMETERS) {
        try {
          next[f.param] = uint256(parseParameter(f, a.fields[f.formField]));
        } catch (e) {
          errors.push({ action: i, field: f.formField, message: `${market.symbol} ${f.name}: ${messageOf(e)}` });
        }
      }
      if (errors.some((e) => e.action === i)) return;
      const issues = validateMarketParams(next);
      issues.forEach((issue) => errors.push({ action: i, field: MARKET_PARAMETERS.find((f) => f.param === issue.field)?.formField, message: `${market.symbol}: ${issue.message}` }));
      if (issues.length) return;
      warnings.push(...preflight(current, next, market.symbol));
      changes.push({ kind: "setMarketParams", marketId: market.id, params: next });
    } else if (a.kind === "collateral") {
      const asset = collaterals.find((c) => String(c.id) === a.extra.assetId)!;
      const refuse = (field: string, message: string) => errors.push({ action: i, field, message: `${asset.symbol} collateral ${message}` });
      let weightWad: bigint;
      try {
        weightWad = percent(a.extra.weight);
      } catch (e) {
        return refuse("weight", `weight: ${messageOf(e)}`);
      }
      const cap = a.extra.depositCap.trim();
      if (!/^\d+(\.\d+)?$/.test(cap)) return refuse("depositCap", `deposit cap: "${a.extra.depositCap}" is not an amount of ${asset.symbol}`);
      const [whole, fraction = ""] = cap.split(".");
      if (fraction.length > asset.decimals) return refuse("depositCap", `deposit cap: "${a.extra.depositCap}" has more than ${asset.decimals} decimals`);
      const depositCapNative = BigInt(whole!) * 10n ** BigInt(asset.decimals) + BigInt(fraction.padEnd(asset.decimals, "0") || "0");
      if (depositCapNative > UINT256_MAX) return refuse("depositCap", "deposit cap: is larger than the contract can store (2^256 − 1)");
      if (!/^\d+$/.test(a.extra.assetMaxAge.trim())) return refuse("assetMaxAge", `oracle max age: "${a.extra.assetMaxAge}" is not a whole number of seconds`);
      const params = { weightWad, depositCapNative, oracleMaxAgeSec: BigInt(a.extra.assetMaxAge.trim()) };
      const issue = validateCollateralParams(params)[0];
      if (issue) return refuse(issue.field === "weightWad" ? "weight" : "assetMaxAge", `${issue.field === "weightWad" ? "weight" : "oracle max age"}: ${issue.message}`);
      changes.push({ kind: "setCollateralParams", assetId: asset.id, params });
    } else if (a.kind === "grace" || a.kind === "cooldown") {
      const raw = a.extra.seconds.trim();
      const what = a.kind === "grace" ? "Grace period" : "Cooldown";
      if (!/^\d+$/.test(raw)) {
        errors.push({ action: i, field: "seconds", message: `${what}: "${a.extra.seconds}" is not a whole number of seconds` });
        return;
      }
      const issue = validateDuration(a.kind === "grace" ? "gracePeriod" : "defaultFundCooldown", BigInt(raw))[0];
      if (issue) errors.push({ action: i, field: "seconds", message: `${what}: ${issue.message}` });
      else changes.push(a.kind === "grace" ? { kind: "setGracePeriod", seconds: BigInt(raw) } : { kind: "setDefaultFundCooldown", seconds: BigInt(raw) });
    } else if (a.kind === "move-reserves") {
      try {
        if (a.extra.from === a.extra.to) throw new Error("a reserve cannot be moved to itself");
        const amountUsd = uint256(parseUsd(a.extra.amount));
        if (amountUsd === 0n) throw new Error("the amount must be above zero");
        changes.push({ kind: "moveReserves", from: a.extra.from as "insurance" | "default", to: a.extra.to as "insurance" | "default", amountUsd });
      } catch (e) {
        errors.push({ action: i, field: "amount", message: `Reserve move: ${messageOf(e)}` });
      }
    } else if (a.kind === "raw") {
      const call = { target: a.extra.target.trim() as `0x${string}`, value: 0n, calldata: a.extra.calldata.trim() as Hex };
      if (!isAddress(call.target, { strict: false })) {
        errors.push({ action: i, field: "target", message: `Raw call: the target "${a.extra.target}" is not an address` });
        return;
      }
      if (!isHex(call.calldata) || call.calldata.length % 2 !== 0) {
        errors.push({ action: i, field: "calldata", message: "Raw call: the calldata must be 0x-prefixed hex bytes" });
        return;
      }
      const decoded = decodeCall(call, deployment);
      if (decoded.kind === "change") changes.push(decoded.change);
      else {
        warnings.push(`Raw call ${i + 1} is ${decoded.reason}: Backstop cannot preview it, and voters will see it flagged.`);
        rawCalls.push(call);
      }
    } else if (a.kind === "freeze" || a.kind === "unfreeze") changes.push({ kind: "setMarketFrozen", marketId: market.id, frozen: a.kind === "freeze" });
    else if (a.kind === "pause" || a.kind === "unpause") changes.push({ kind: "setMarketPaused", marketId: market.id, paused: a.kind === "pause" });
    else if (a.kind === "adl-queue" || a.kind === "adl-pro-rata") changes.push({ kind: "setAdlMode", mode: a.kind === "adl-queue" ? 0 : 1 });
    else unhandled(a.kind);
  });
  return { changes, rawCalls, errors, warnings };
}

/** The title and description: a title is required (every interface lists proposals by it). */
export function validateProposalText(title: string): string | null {
  return title.trim() ? null : "Give the proposal a title: voters on every interface see it first.";
}
