/** setMarketFrozen: a market reduce-only, or open again (Clearinghouse.setMarketFrozen). */

import { clearinghouseAbi } from "../../contracts/abis.ts";
import { aliasesOf, callOn, type GovernanceAction, marketField, marketName, pick, recordedBy } from "./action.ts";

export const marketFrozenAction: GovernanceAction<"setMarketFrozen"> = {
  kind: "setMarketFrozen",
  call: callOn("clearinghouse", clearinghouseAbi, "setMarketFrozen", {
    args: (c) => [BigInt(c.marketId), c.frozen] as const,
    change: ([id, frozen]) => ({ kind: "setMarketFrozen", marketId: Number(id), frozen }),
  }),
  describe: (change, s) => ({ title: `${change.frozen ? "Freeze" : "Unfreeze"} ${s.markets[change.marketId]?.symbol ?? `market ${change.marketId} (unknown)`}`, lines: [change.frozen ? "reduce-only: no new or larger positions" : "new positions allowed again"] }),
  words(change, names) {
    const market = marketName(names, change.marketId);
    return { subject: market, aliases: aliasesOf(market), does: change.frozen ? /\bfreez|\bfrozen|reduce-only/ : /unfreez|unfrozen|reopen/, what: `${change.frozen ? "freeze" : "unfreeze"} ${market}` };
  },
  recorded: recordedBy(clearinghouseAbi, "MarketFrozenSet", (a) => ({ after: { kind: "setMarketFrozen", marketId: Number(a.marketId), frozen: a.frozen }, before: { kind: "setMarketFrozen", marketId: Number(a.marketId), frozen: !a.frozen } }), ({ after }, s) => ({
    title: `${after.frozen ? "Froze" : "Unfroze"} ${s.markets[after.marketId]?.symbol ?? `market ${after.marketId}`}`,
    lines: [],
  })),
  form: {
    options: [
      { value: "freeze", label: "Freeze (reduce-only)", preset: { frozen: "true" } },
      { value: "unfreeze", label: "Unfreeze", preset: { frozen: "false" } },
    ],
    fields: (_, context) => [marketField(context)],
    initial: (context, prior) => ({ marketId: pick(context.markets.map((m) => m.id), prior, "marketId") }),
    fromChange: (change) => ({ option: change.frozen ? "freeze" : "unfreeze", values: { marketId: String(change.marketId), frozen: String(change.frozen) } }),
    parse(values, context) {
      const market = context.markets.find((m) => String(m.id) === values.marketId);
      if (!market) return { ok: false, errors: [{ field: "marketId", message: `There is no market ${values.marketId}.` }] };
      return { ok: true, change: { kind: "setMarketFrozen", marketId: market.id, frozen: values.frozen === "true" }, warnings: [] };
    },
  },
};
