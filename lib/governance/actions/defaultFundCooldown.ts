/** setDefaultFundCooldown: how long a default-fund withdrawal waits, at most 90 days, so the fund cannot run first in a crisis (Clearinghouse.setDefaultFundCooldown). */

import { formatDuration, validateChange } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { callOn, type GovernanceAction, recordedBy } from "./action.ts";

export const defaultFundCooldownAction: GovernanceAction<"setDefaultFundCooldown"> = {
  kind: "setDefaultFundCooldown",
  call: callOn("clearinghouse", clearinghouseAbi, "setDefaultFundCooldown", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setDefaultFundCooldown", seconds }),
  }),
  describe: (change, s) => ({ title: "Default-fund withdrawal cooldown", lines: [`${formatDuration(s.global.defaultFundCooldownSec)} → ${formatDuration(change.seconds)}`] }),
  words: () => ({ aliases: [], does: /cooldown/, what: "change the default-fund cooldown" }),
  recorded: recordedBy(clearinghouseAbi, "DefaultFundCooldownSet", (a) => ({ after: { kind: "setDefaultFundCooldown", seconds: a.newSeconds }, before: { kind: "setDefaultFundCooldown", seconds: a.oldSeconds } }), ({ after, before }) => ({
    title: "Default-fund withdrawal cooldown",
    lines: [`${before ? formatDuration(before.seconds) : "?"} → ${formatDuration(after.seconds)}`],
  })),
  form: {
    options: [{ value: "cooldown", label: "Default-fund cooldown" }],
    fields: () => [{ key: "seconds", label: "Default-fund withdrawal cooldown (s)", input: "text" }],
    initial: (_, prior) => ({ seconds: prior.seconds ?? "" }),
    fromChange: (change) => ({ option: "cooldown", values: { seconds: String(change.seconds) } }),
    parse(values) {
      const raw = (values.seconds ?? "").trim();
      if (!/^\d+$/.test(raw)) return { ok: false, errors: [{ field: "seconds", message: `Cooldown: "${values.seconds ?? ""}" is not a whole number of seconds` }] };
      const change = { kind: "setDefaultFundCooldown" as const, seconds: BigInt(raw) };
      const issue = validateChange(change)[0];
      return issue ? { ok: false, errors: [{ field: "seconds", message: `Cooldown: ${issue.message}` }] } : { ok: true, change, warnings: [] };
    },
  },
};
