/**
 * setTimelockDelay: the timelock's minimum delay between a proposal's queueing and its execution
 * (OpenZeppelin TimelockController.updateDelay, callable only by the timelock itself, so only
 * through a proposal). Any uint256 is accepted on chain; the form warns when holders would have
 * less than a day to react to a passed proposal, or when every later proposal — one undoing this
 * included — would wait more than 30 days.
 */

import { formatDuration } from "../../../engine/index.ts";
import { backstopTimelockAbi } from "../../contracts/abis.ts";
import { messageOf } from "../../errors/messageOf.ts";
import { callOn, type GovernanceAction, recordedBy, wholeSeconds } from "./action.ts";

const DAY = 86_400n;

export const timelockDelayAction: GovernanceAction<"setTimelockDelay"> = {
  kind: "setTimelockDelay",
  call: callOn("timelock", backstopTimelockAbi, "updateDelay", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setTimelockDelay", seconds }),
  }),
  describe: (change) => ({ title: "Timelock minimum delay", lines: [`every later proposal waits at least ${formatDuration(change.seconds)} between queueing and execution`] }),
  words: (change) => ({ aliases: [], does: /timelock|delay/, what: `change the timelock's minimum delay to ${formatDuration(change.seconds)}`, grave: true }),
  recorded: recordedBy(backstopTimelockAbi, "MinDelayChange", (a) => ({ after: { kind: "setTimelockDelay", seconds: a.newDuration }, before: { kind: "setTimelockDelay", seconds: a.oldDuration } }), ({ after, before }) => ({
    title: "Timelock minimum delay",
    lines: [`${before ? formatDuration(before.seconds) : "?"} → ${formatDuration(after.seconds)}`],
  })),
  form: {
    options: [{ value: "timelock-delay", label: "Timelock minimum delay" }],
    fields: () => [{ key: "seconds", label: "Timelock minimum delay (s)", input: "text" }],
    initial: (_, prior) => ({ seconds: prior.seconds ?? "" }),
    fromChange: (change) => ({ option: "timelock-delay", values: { seconds: String(change.seconds) } }),
    parse(values) {
      let seconds: bigint;
      try {
        seconds = wholeSeconds(values.seconds ?? "");
      } catch (e) {
        return { ok: false, errors: [{ field: "seconds", message: `Timelock delay: ${messageOf(e)}` }] };
      }
      const warnings = [
        ...(seconds < DAY ? [`A timelock delay of ${formatDuration(seconds)} leaves holders less than a day to react to a passed proposal before it runs.`] : []),
        ...(seconds > 30n * DAY ? [`A timelock delay of ${formatDuration(seconds)}: every later proposal, one undoing this included, waits that long.`] : []),
      ];
      return { ok: true, change: { kind: "setTimelockDelay", seconds }, warnings };
    },
  },
};
