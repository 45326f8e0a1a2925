/** setMarketFrozen: a market reduce-only, or open again (Clearinghouse.setMarketFrozen). */

import { clearinghouseAbi } from "../../contracts/abis.ts";
import { aliasesOf, callOn, type GovernanceAction, marketName, marketSwitchForm, recordedBy } from "./action.ts";

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
  form: marketSwitchForm("setMarketFrozen", "frozen", { value: "freeze", label: "Freeze (reduce-only)" }, { value: "unfreeze", label: "Unfreeze" }),
};
