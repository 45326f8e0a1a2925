/**
 * setMarketParams: a market's risk parameters, all seven at once (Clearinghouse.setMarketParams).
 * The form shows each current value exactly (engine/params) so an untouched field proposes the
 * very same integer; a move of more than half a value, or of more than 5 points of a margin, is
 * a preflight warning.
 */

import { formatParameter, formParameterValue, MARKET_PARAMETERS, parameterFormLabel, parameterLabel, parseParameter, validateChange, type MarketParameter, type MarketParams } from "../../../engine/index.ts";
import { marketParamsFromStruct, marketParamsToStruct } from "../../mappers/params.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { messageOf } from "../../errors/messageOf.ts";
import { aliasesOf, type BuilderMarket, callOn, type FieldError, type GovernanceAction, marketField, marketName, pick, recordedBy, uint256 } from "./action.ts";

/**
 * A market's current value of a parameter, as the form shows it: exact decimals, never through a
 * float (engine/params), so an untouched field parses back to the very same integer —
 * 33.333333333333333333 % stays 333333333333333333, and a cap of $1,000,000.50 keeps its cents.
 */
export function shownValue(m: BuilderMarket, f: MarketParameter): string {
  return formParameterValue(f, BigInt(m.params[f.param]));
}

const currentParams = (m: BuilderMarket) => Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, BigInt(v)])) as unknown as MarketParams;

/** |b − a| / a, in whole percent rounded half up; exact integers, no float. */
function relativePercent(a: bigint, b: bigint): bigint {
  const d = b > a ? b - a : a - b;
  return (d * 200n + a) / (2n * a);
}

/** Steward-style preflight: a parameter moving more than half its value, or a margin more than 5 points, is worth saying. */
function preflight(before: MarketParams, after: MarketParams, symbol: string): string[] {
  const warnings: string[] = [];
  for (const f of MARKET_PARAMETERS) {
    const a = before[f.param];
    const b = after[f.param];
    if (a === b) continue;
    const d = b > a ? b - a : a - b;
    const halfOrMore = a === 0n || d * 2n > a;
    const pointsOver5 = f.unit === "percent" && d > 5n * 10n ** 16n;
    if (!halfOrMore && !pointsOver5) continue;
    const tenths = (d + 5n * 10n ** 14n) / 10n ** 15n;
    warnings.push(`${symbol} ${f.name} moves by ${a === 0n ? "from zero" : `${relativePercent(a, b)}%`}${pointsOver5 ? ` (${tenths / 10n}.${tenths % 10n} points)` : ""}: more than the usual step; say why in the description.`);
  }
  return warnings;
}

export const marketParamsAction: GovernanceAction<"setMarketParams"> = {
  kind: "setMarketParams",
  call: callOn("clearinghouse", clearinghouseAbi, "setMarketParams", {
    args: (c) => [BigInt(c.marketId), marketParamsToStruct(c.params)] as const,
    change: ([id, p]) => ({ kind: "setMarketParams", marketId: Number(id), params: marketParamsFromStruct(p) }),
  }),
  describe(change, s) {
    const market = s.markets[change.marketId];
    const lines = MARKET_PARAMETERS.filter(({ param }) => !market || market.params[param] !== change.params[param]).map((p) => `${parameterLabel(p)}: ${market ? formatParameter(p, market.params[p.param]) : "?"} → ${formatParameter(p, change.params[p.param])}`);
    return { title: `${market?.symbol ?? `market ${change.marketId} (unknown)`} risk parameters`, lines: lines.length ? lines : ["no parameter changes value"] };
  },
  words(change, names) {
    const market = marketName(names, change.marketId);
    return { subject: market, aliases: aliasesOf(market), does: /margin|\bimr\b|\bmmr\b|penalt|keeper|open interest|\boi\b|concentration|oracle|parameter|leverage|risk/, what: `change ${market}'s risk parameters` };
  },
  recorded: recordedBy(clearinghouseAbi, "MarketParamsUpdated", (a) => ({ after: { kind: "setMarketParams", marketId: Number(a.marketId), params: marketParamsFromStruct(a.newParams) }, before: { kind: "setMarketParams", marketId: Number(a.marketId), params: marketParamsFromStruct(a.oldParams) } }), ({ after, before }, s) => ({
    title: `${s.markets[after.marketId]?.symbol ?? `market ${after.marketId}`} risk parameters`,
    lines: MARKET_PARAMETERS.filter(({ param }) => before?.params[param] !== after.params[param]).map((p) => `${parameterLabel(p)}: ${before ? formatParameter(p, before.params[p.param]) : "?"} → ${formatParameter(p, after.params[p.param])}`),
  })),
  form: {
    options: [{ value: "params", label: "Change risk parameters" }],
    fields(values, context) {
      const market = context.markets.find((m) => String(m.id) === values.marketId);
      return [
        marketField(context, true),
        ...MARKET_PARAMETERS.map((f) => ({ key: f.formField, label: `${market?.symbol ?? "?"} ${parameterFormLabel(f)}`, input: "text" as const, hint: market ? `now ${shownValue(market, f)}` : undefined })),
      ];
    },
    initial(context, prior) {
      const marketId = pick(context.markets.map((m) => m.id), prior, "marketId");
      const market = context.markets.find((m) => String(m.id) === marketId);
      return { marketId, ...Object.fromEntries(MARKET_PARAMETERS.map((f) => [f.formField, market ? shownValue(market, f) : ""])) };
    },
    fromChange: (change) => ({ option: "params", values: { marketId: String(change.marketId), ...Object.fromEntries(MARKET_PARAMETERS.map((f) => [f.formField, formParameterValue(f, change.params[f.param])])) } }),
    parse(values, context) {
      const market = context.markets.find((m) => String(m.id) === values.marketId);
      if (!market) return { ok: false, errors: [{ field: "marketId", message: `There is no market ${values.marketId}.` }] };
      const current = currentParams(market);
      const next = { ...current };
      const errors: FieldError[] = [];
      for (const f of MARKET_PARAMETERS) {
        try {
          next[f.param] = uint256(parseParameter(f, values[f.formField] ?? ""));
        } catch (e) {
          errors.push({ field: f.formField, message: `${market.symbol} ${f.name}: ${messageOf(e)}` });
        }
      }
      if (errors.length) return { ok: false, errors };
      const change = { kind: "setMarketParams" as const, marketId: market.id, params: next };
      const issues = validateChange(change);
      if (issues.length) return { ok: false, errors: issues.map((issue) => ({ field: MARKET_PARAMETERS.find((f) => f.param === issue.field)?.formField, message: `${market.symbol}: ${issue.message}` })) };
      return { ok: true, change, warnings: preflight(current, next, market.symbol) };
    },
  },
};
