/** setGracePeriod: how long liquidations wait after a market is unpaused, at most 7 days (Clearinghouse.setGracePeriod). */

import { formatDuration, validateChange } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { callOn, durationRecord, type GovernanceAction, recordedBy, secondsForm } from "./action.ts";

const TITLE = "Liquidation grace after unpause";

export const gracePeriodAction: GovernanceAction<"setGracePeriod"> = {
  kind: "setGracePeriod",
  call: callOn("clearinghouse", clearinghouseAbi, "setGracePeriod", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setGracePeriod", seconds }),
  }),
  describe: (change, s) => ({ title: TITLE, lines: [`${formatDuration(s.global.gracePeriodSec)} → ${formatDuration(change.seconds)}`] }),
  words: () => ({ aliases: [], does: /grace/, what: "change the liquidation grace period" }),
  recorded: recordedBy(clearinghouseAbi, "GracePeriodSet", (a) => ({ after: { kind: "setGracePeriod", seconds: a.newSeconds }, before: { kind: "setGracePeriod", seconds: a.oldSeconds } }), durationRecord(TITLE)),
  form: secondsForm("setGracePeriod", { option: "grace", optionLabel: "Liquidation grace period", fieldLabel: "Grace period after unpause (s)", noun: "Grace period", check: (change) => ({ refusal: validateChange(change)[0]?.message }) }),
};
