/** setDefaultFundCooldown: how long a default-fund withdrawal waits, at most 90 days, so the fund cannot run first in a crisis (Clearinghouse.setDefaultFundCooldown). */

import { formatDuration, validateChange } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { callOn, durationRecord, type GovernanceAction, recordedBy, secondsForm } from "./action.ts";

const TITLE = "Default-fund withdrawal cooldown";

export const defaultFundCooldownAction: GovernanceAction<"setDefaultFundCooldown"> = {
  kind: "setDefaultFundCooldown",
  call: callOn("clearinghouse", clearinghouseAbi, "setDefaultFundCooldown", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setDefaultFundCooldown", seconds }),
  }),
  describe: (change, s) => ({ title: TITLE, lines: [`${formatDuration(s.global.defaultFundCooldownSec)} → ${formatDuration(change.seconds)}`] }),
  words: () => ({ aliases: [], does: /cooldown/, what: "change the default-fund cooldown" }),
  recorded: recordedBy(clearinghouseAbi, "DefaultFundCooldownSet", (a) => ({ after: { kind: "setDefaultFundCooldown", seconds: a.newSeconds }, before: { kind: "setDefaultFundCooldown", seconds: a.oldSeconds } }), durationRecord(TITLE)),
  form: secondsForm("setDefaultFundCooldown", { option: "cooldown", optionLabel: "Default-fund cooldown", fieldLabel: "Default-fund withdrawal cooldown (s)", noun: "Cooldown", check: (change) => ({ refusal: validateChange(change)[0]?.message }) }),
};
