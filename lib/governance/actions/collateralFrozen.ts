/** setCollateralFrozen: no more deposits of a collateral asset, or deposits again (Clearinghouse.setCollateralFrozen). */

import { clearinghouseAbi } from "../../contracts/abis.ts";
import { aliasesOf, assetField, assetName, callOn, type GovernanceAction, pick, recordedBy } from "./action.ts";

export const collateralFrozenAction: GovernanceAction<"setCollateralFrozen"> = {
  kind: "setCollateralFrozen",
  call: callOn("clearinghouse", clearinghouseAbi, "setCollateralFrozen", {
    args: (c) => [BigInt(c.assetId), c.frozen] as const,
    change: ([id, frozen]) => ({ kind: "setCollateralFrozen", assetId: Number(id), frozen }),
  }),
  describe: (change, s) => ({ title: `${change.frozen ? "Freeze" : "Unfreeze"} ${s.collaterals[change.assetId]?.symbol ?? `asset ${change.assetId}`} deposits`, lines: [] }),
  words(change, names) {
    const asset = assetName(names, change.assetId);
    return { subject: asset, aliases: aliasesOf(asset), does: change.frozen ? /\bfreez|\bfrozen/ : /unfreez|unfrozen/, what: `${change.frozen ? "freeze" : "unfreeze"} ${asset} deposits` };
  },
  recorded: recordedBy(clearinghouseAbi, "CollateralFrozenSet", (a) => ({ after: { kind: "setCollateralFrozen", assetId: Number(a.assetId), frozen: a.frozen }, before: { kind: "setCollateralFrozen", assetId: Number(a.assetId), frozen: !a.frozen } }), ({ after }, s) => ({
    title: `${after.frozen ? "Froze" : "Unfroze"} ${s.collaterals[after.assetId]?.symbol ?? `asset ${after.assetId}`} deposits`,
    lines: [],
  })),
  form: {
    options: [
      { value: "freeze-collateral", label: "Freeze collateral deposits", preset: { frozen: "true" } },
      { value: "unfreeze-collateral", label: "Unfreeze collateral deposits", preset: { frozen: "false" } },
    ],
    fields: (_, context) => [{ ...assetField(context), refills: false }],
    initial: (context, prior) => ({ assetId: pick(context.collaterals.map((c) => c.id), prior, "assetId") }),
    fromChange: (change) => ({ option: change.frozen ? "freeze-collateral" : "unfreeze-collateral", values: { assetId: String(change.assetId), frozen: String(change.frozen) } }),
    parse(values, context) {
      const asset = context.collaterals.find((c) => String(c.id) === values.assetId);
      if (!asset) return { ok: false, errors: [{ field: "assetId", message: `There is no collateral asset ${values.assetId}.` }] };
      return { ok: true, change: { kind: "setCollateralFrozen", assetId: asset.id, frozen: values.frozen === "true" }, warnings: [] };
    },
  },
};
