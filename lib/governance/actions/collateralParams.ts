/**
 * setCollateralParams: a collateral asset's weight (haircut), deposit cap (in its own units) and
 * oracle max age (Clearinghouse.setCollateralParams). The form writes the cap in tokens with the
 * asset's decimals, exactly.
 */

import { formatUnits } from "viem";
import { formatDuration, formatPercent, parsePercent, validateChange, type CollateralParams } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { messageOf } from "../../errors/messageOf.ts";
import { collateralParamsFromStruct, collateralParamsToStruct } from "../../mappers/params.ts";
import { aliasesOf, assetField, assetName, type BuilderCollateral, callOn, type GovernanceAction, pick, recordedBy, uint256 } from "./action.ts";

/** A collateral's current weight, deposit cap and oracle age, as the form shows them (exact). */
export function shownCollateral(c: BuilderCollateral): { assetId: string; weight: string; depositCap: string; assetMaxAge: string } {
  return { assetId: String(c.id), weight: formatUnits(BigInt(c.weightWad), 16), depositCap: formatUnits(BigInt(c.depositCapNative), c.decimals), assetMaxAge: c.oracleMaxAgeSec };
}

const percent = (raw: string) => uint256(parsePercent(raw.trim().endsWith("%") ? raw : `${raw}%`));

export const collateralParamsAction: GovernanceAction<"setCollateralParams"> = {
  kind: "setCollateralParams",
  call: callOn("clearinghouse", clearinghouseAbi, "setCollateralParams", {
    args: (c) => [BigInt(c.assetId), collateralParamsToStruct(c.params)] as const,
    change: ([id, p]) => ({ kind: "setCollateralParams", assetId: Number(id), params: collateralParamsFromStruct(p) }),
  }),
  describe: (change, s) => ({
    title: `${s.collaterals[change.assetId]?.symbol ?? `asset ${change.assetId}`} collateral`,
    lines: [`weight ${formatPercent(change.params.weightWad)}`, `deposit cap ${change.params.depositCapNative}`, `oracle max age ${formatDuration(change.params.oracleMaxAgeSec)}`],
  }),
  words(change, names) {
    const asset = assetName(names, change.assetId);
    return { subject: asset, aliases: aliasesOf(asset), does: /collateral|weight|haircut|deposit cap|\bcap\b|oracle/, what: `change ${asset} collateral parameters` };
  },
  recorded: recordedBy(
    clearinghouseAbi,
    "CollateralParamsUpdated",
    (a) => {
      return { after: { kind: "setCollateralParams", assetId: Number(a.assetId), params: collateralParamsFromStruct(a.newParams) }, before: { kind: "setCollateralParams", assetId: Number(a.assetId), params: collateralParamsFromStruct(a.oldParams) } };
    },
    ({ after, before }, s) => ({
      title: `${s.collaterals[after.assetId]?.symbol ?? `asset ${after.assetId}`} collateral`,
      lines: [
        `weight ${before ? formatPercent(before.params.weightWad) : "?"} → ${formatPercent(after.params.weightWad)}`,
        `deposit cap ${before?.params.depositCapNative ?? "?"} → ${after.params.depositCapNative}`,
        `oracle max age ${before ? formatDuration(before.params.oracleMaxAgeSec) : "?"} → ${formatDuration(after.params.oracleMaxAgeSec)}`,
      ],
    }),
  ),
  form: {
    options: [{ value: "collateral", label: "Collateral weight and cap" }],
    fields: (_, context) => [
      assetField(context),
      ...([["weight", "Weight (%)"], ["depositCap", "Deposit cap (tokens)"], ["assetMaxAge", "Oracle max age (s)"]] as const).map(([key, label]) => ({ key, label: `Collateral ${label}`, input: "text" as const })),
    ],
    initial(context, prior) {
      const assetId = pick(context.collaterals.map((c) => c.id), prior, "assetId");
      const asset = context.collaterals.find((c) => String(c.id) === assetId);
      return asset ? shownCollateral(asset) : { assetId, weight: "", depositCap: "", assetMaxAge: "" };
    },
    fromChange(change, context) {
      const decimals = context.collaterals.find((c) => c.id === change.assetId)?.decimals ?? 18;
      return { option: "collateral", values: { assetId: String(change.assetId), weight: formatUnits(change.params.weightWad, 16), depositCap: formatUnits(change.params.depositCapNative, decimals), assetMaxAge: String(change.params.oracleMaxAgeSec) } };
    },
    parse(values, context) {
      const asset = context.collaterals.find((c) => String(c.id) === values.assetId);
      if (!asset) return { ok: false, errors: [{ field: "assetId", message: `There is no collateral asset ${values.assetId}.` }] };
      const refuse = (field: string, message: string) => ({ ok: false as const, errors: [{ field, message: `${asset.symbol} collateral ${message}` }] });
      const rawWeight = values.weight ?? "";
      const rawCap = values.depositCap ?? "";
      const rawAge = values.assetMaxAge ?? "";
      let weightWad: bigint;
      try {
        weightWad = percent(rawWeight);
      } catch (e) {
        return refuse("weight", `weight: ${messageOf(e)}`);
      }
      const cap = rawCap.trim();
      if (!/^\d+(\.\d+)?$/.test(cap)) return refuse("depositCap", `deposit cap: "${rawCap}" is not an amount of ${asset.symbol}`);
      const [whole, fraction = ""] = cap.split(".");
      if (fraction.length > asset.decimals) return refuse("depositCap", `deposit cap: "${rawCap}" has more than ${asset.decimals} decimals`);
      let depositCapNative: bigint;
      try {
        depositCapNative = uint256(BigInt(whole!) * 10n ** BigInt(asset.decimals) + BigInt(fraction.padEnd(asset.decimals, "0") || "0"));
      } catch (e) {
        return refuse("depositCap", `deposit cap: ${messageOf(e)}`);
      }
      if (!/^\d+$/.test(rawAge.trim())) return refuse("assetMaxAge", `oracle max age: "${rawAge}" is not a whole number of seconds`);
      const params: CollateralParams = { weightWad, depositCapNative, oracleMaxAgeSec: BigInt(rawAge.trim()) };
      const change = { kind: "setCollateralParams" as const, assetId: asset.id, params };
      const issue = validateChange(change)[0];
      if (issue) return refuse(issue.field === "weightWad" ? "weight" : "assetMaxAge", `${issue.field === "weightWad" ? "weight" : "oracle max age"}: ${issue.message}`);
      return { ok: true, change, warnings: [] };
    },
  },
};
