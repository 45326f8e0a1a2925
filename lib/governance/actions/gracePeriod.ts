/** setGracePeriod: how long liquidations wait after a market is unpaused, at most 7 days (Clearinghouse.setGracePeriod). */

import { formatDuration, validateChange } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { callOn, type GovernanceAction, recordedBy } from "./action.ts";

export const gracePeriodAction: GovernanceAction<"setGracePeriod"> = {
  kind: "setGracePeriod",
  call: callOn("clearinghouse", clearinghouseAbi, "setGracePeriod", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setGracePeriod", seconds }),
  }),
  describe: (change, s) => ({ title: "Liquidation grace after unpause", lines: [`${formatDuration(s.global.gracePeriodSec)} → ${formatDuration(change.seconds)}`] }),
  words: () => ({ aliases: [], does: /grace/, what: "change the liquidation grace period" }),
  recorded: recordedBy(clearinghouseAbi, "GracePeriodSet", (a) => ({ after: { kind: "setGracePeriod", seconds: a.newSeconds }, before: { kind: "setGracePeriod", seconds: a.oldSeconds } }), ({ after, before }) => ({
    title: "Liquidation grace after unpause",
    lines: [`${before ? formatDuration(before.seconds) : "?"} → ${formatDuration(after.seconds)}`],
  })),
  form: {
    options: [{ value: "grace", label: "Liquidation grace period" }],
    fields: () => [{ key: "seconds", label: "Grace period after unpause (s)", input: "text" }],
    initial: (_, prior) => ({ seconds: prior.seconds ?? "" }),
    fromChange: (change) => ({ option: "grace", values: { seconds: String(change.seconds) } }),
    parse(values) {
      const raw = (values.seconds ?? "").trim();
      if (!/^\d+$/.test(raw)) return { ok: false, errors: [{ field: "seconds", message: `Grace period: "${values.seconds ?? ""}" is not a whole number of seconds` }] };
      const change = { kind: "setGracePeriod" as const, seconds: BigInt(raw) };
      const issue = validateChange(change)[0];
      return issue ? { ok: false, errors: [{ field: "seconds", message: `Grace period: ${issue.message}` }] } : { ok: true, change, warnings: [] };
    },
  },
};
