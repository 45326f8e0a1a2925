/** setMarketPaused: nothing moves in a market, liquidations included; on unpause a grace period passes first (Clearinghouse.setMarketPaused). */

import { formatDuration } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { aliasesOf, callOn, type GovernanceAction, marketField, marketName, pick, recordedBy } from "./action.ts";

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
  form: {
    options: [
      { value: "pause", label: "Pause", preset: { paused: "true" } },
      { value: "unpause", label: "Unpause", preset: { paused: "false" } },
    ],
    fields: (_, context) => [marketField(context)],
    initial: (context, prior) => ({ marketId: pick(context.markets.map((m) => m.id), prior, "marketId") }),
    fromChange: (change) => ({ option: change.paused ? "pause" : "unpause", values: { marketId: String(change.marketId), paused: String(change.paused) } }),
    parse(values, context) {
      const market = context.markets.find((m) => String(m.id) === values.marketId);
      if (!market) return { ok: false, errors: [{ field: "marketId", message: `There is no market ${values.marketId}.` }] };
      return { ok: true, change: { kind: "setMarketPaused", marketId: market.id, paused: values.paused === "true" }, warnings: [] };
    },
  },
};
