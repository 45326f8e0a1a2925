/** setMarketPaused: nothing moves in a market, liquidations included; on unpause a grace period passes first (Clearinghouse.setMarketPaused). */

import { formatDuration } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { aliasesOf, callOn, type GovernanceAction, marketName, marketSwitchForm, recordedBy } from "./action.ts";

export const marketPausedAction: GovernanceAction<"setMarketPaused"> = {
  kind: "setMarketPaused",
  call: callOn("clearinghouse", clearinghouseAbi, "setMarketPaused", {
    args: (c) => [BigInt(c.marketId), c.paused] as const,
    change: ([id, paused]) => ({ kind: "setMarketPaused", marketId: Number(id), paused }),
  }),
  describe: (change, s) => ({
    title: `${change.paused ? "Pause" : "Unpause"} ${s.markets[change.marketId]?.symbol ?? `market ${change.marketId} (unknown)`}`,
    lines: [change.paused ? "nothing moves, liquidations included" : `liquidations resume after the ${formatDuration(s.global.gracePeriodSec)} grace period`],
  }),
  words(change, names) {
    const market = marketName(names, change.marketId);
    return { subject: market, aliases: aliasesOf(market), does: change.paused ? /\bpaus|\bhalt/ : /unpaus|resum/, what: `${change.paused ? "pause" : "unpause"} ${market}` };
  },
  recorded: recordedBy(clearinghouseAbi, "MarketPausedSet", (a) => ({ after: { kind: "setMarketPaused", marketId: Number(a.marketId), paused: a.paused }, before: { kind: "setMarketPaused", marketId: Number(a.marketId), paused: !a.paused } }), ({ after }, s) => ({
    title: `${after.paused ? "Paused" : "Unpaused"} ${s.markets[after.marketId]?.symbol ?? `market ${after.marketId}`}`,
    lines: [],
  })),
  form: marketSwitchForm("setMarketPaused", "paused", { value: "pause", label: "Pause" }, { value: "unpause", label: "Unpause" }),
};
