/** setAdlMode: how a deficit the reserves cannot cover is charged to profitable positions — queue or pro-rata (Clearinghouse.setAdlMode). */

import { AdlMode } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { callOn, type GovernanceAction, recordedBy } from "./action.ts";

const modeName = (mode: number) => (mode === AdlMode.Queue ? "queue" : "pro-rata");

export const adlModeAction: GovernanceAction<"setAdlMode"> = {
  kind: "setAdlMode",
  call: callOn("clearinghouse", clearinghouseAbi, "setAdlMode", {
    args: (c) => [c.mode] as const,
    change: ([mode]) => (mode === AdlMode.Queue || mode === AdlMode.ProRata ? { kind: "setAdlMode", mode } : `ADL mode ${mode} does not exist`),
  }),
  describe: (change, s) => ({ title: "ADL mode", lines: [`${modeName(s.global.adlMode)} → ${modeName(change.mode)}`] }),
  words: () => ({ aliases: [], does: /\badl\b|auto-?delever/, what: "change the ADL mode" }),
  recorded: recordedBy(clearinghouseAbi, "AdlModeSet", (a) => ({ after: { kind: "setAdlMode", mode: a.newMode as AdlMode }, before: { kind: "setAdlMode", mode: a.oldMode as AdlMode } }), ({ after, before }) => ({
    title: "ADL mode",
    lines: [`${before ? modeName(before.mode) : "?"} → ${modeName(after.mode)}`],
  })),
  form: {
    options: [
      { value: "adl-queue", label: "ADL mode: queue", preset: { mode: String(AdlMode.Queue) } },
      { value: "adl-pro-rata", label: "ADL mode: pro-rata", preset: { mode: String(AdlMode.ProRata) } },
    ],
    fields: () => [],
    initial: () => ({}),
    fromChange: (change) => ({ option: change.mode === AdlMode.Queue ? "adl-queue" : "adl-pro-rata", values: { mode: String(change.mode) } }),
    parse: (values) => ({ ok: true, change: { kind: "setAdlMode", mode: values.mode === String(AdlMode.ProRata) ? AdlMode.ProRata : AdlMode.Queue }, warnings: [] }),
  },
};
