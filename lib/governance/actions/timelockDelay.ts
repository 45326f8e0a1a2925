/**
 * setTimelockDelay: the timelock's minimum delay between a proposal's queueing and its execution
 * (OpenZeppelin TimelockController.updateDelay, callable only by the timelock itself, so only
 * through a proposal). Any uint256 is accepted on chain; the form warns when holders would have
 * less than a day to react to a passed proposal, or when every later proposal — one undoing this
 * included — would wait more than 30 days.
 */

import { formatDuration } from "../../../engine/index.ts";
import { backstopTimelockAbi } from "../../contracts/abis.ts";
import { callOn, durationRecord, type GovernanceAction, recordedBy, secondsForm } from "./action.ts";

const DAY = 86_400n;

export const timelockDelayAction: GovernanceAction<"setTimelockDelay"> = {
  kind: "setTimelockDelay",
  call: callOn("timelock", backstopTimelockAbi, "updateDelay", {
    args: (c) => [c.seconds] as const,
    change: ([seconds]) => ({ kind: "setTimelockDelay", seconds }),
  }),
  describe: (change) => ({ title: "Timelock minimum delay", lines: [`every later proposal waits at least ${formatDuration(change.seconds)} between queueing and execution`] }),
  words: (change) => ({ aliases: [], does: /timelock|delay/, what: `change the timelock's minimum delay to ${formatDuration(change.seconds)}`, grave: true }),
  recorded: recordedBy(backstopTimelockAbi, "MinDelayChange", (a) => ({ after: { kind: "setTimelockDelay", seconds: a.newDuration }, before: { kind: "setTimelockDelay", seconds: a.oldDuration } }), durationRecord("Timelock minimum delay")),
  form: secondsForm("setTimelockDelay", {
    option: "timelock-delay",
    optionLabel: "Timelock minimum delay",
    fieldLabel: "Timelock minimum delay (s)",
    noun: "Timelock delay",
    check: ({ seconds }) => ({
      warnings: [
        ...(seconds < DAY ? [`A timelock delay of ${formatDuration(seconds)} leaves holders less than a day to react to a passed proposal before it runs.`] : []),
        ...(seconds > 30n * DAY ? [`A timelock delay of ${formatDuration(seconds)}: every later proposal, one undoing this included, waits that long.`] : []),
      ],
    }),
  }),
};
