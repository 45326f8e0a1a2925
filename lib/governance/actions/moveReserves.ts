/** moveReserves: an amount from the insurance fund to the default fund or back (Clearinghouse.moveReserves). */

import { formatUnits } from "viem";
import { formatUsd, parseUsd, validateChange, type Reserve } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { messageOf } from "../../errors/messageOf.ts";
import { callOn, type GovernanceAction, recordedBy, uint256 } from "./action.ts";
import { BackstopError } from "../../errors/backstopError.ts";

/** The contract's enum Reserve. */
const RESERVE = { insurance: 0, default: 1 } as const;
const reserveOf = (r: number): Reserve => (r === RESERVE.insurance ? "insurance" : "default");
const RESERVE_OPTIONS = [
  { value: "insurance", label: "Insurance fund" },
  { value: "default", label: "Default fund" },
] as const;

export const moveReservesAction: GovernanceAction<"moveReserves"> = {
  kind: "moveReserves",
  call: callOn("clearinghouse", clearinghouseAbi, "moveReserves", {
    args: (c) => [RESERVE[c.from], RESERVE[c.to], c.amountUsd] as const,
    change: ([from, to, amountUsd]) => (from > 1 || to > 1 ? "a reserve that does not exist" : { kind: "moveReserves", from: reserveOf(from), to: reserveOf(to), amountUsd }),
  }),
  describe: (change) => ({ title: "Move reserves", lines: [`${formatUsd(change.amountUsd)} from the ${change.from} fund to the ${change.to} fund`] }),
  words: (change) => ({ aliases: [], does: /reserve|insurance|default fund/, what: `move ${formatUsd(change.amountUsd)} between the reserves`, grave: true }),
  // Moving it back is what undoes it.
  recorded: recordedBy(clearinghouseAbi, "ReservesMoved", (a) => ({ after: { kind: "moveReserves", from: reserveOf(a.from), to: reserveOf(a.to), amountUsd: a.amountWad }, before: { kind: "moveReserves", from: reserveOf(a.to), to: reserveOf(a.from), amountUsd: a.amountWad } }), ({ after }) => ({
    title: "Moved reserves",
    lines: [`${formatUsd(after.amountUsd)} from the ${after.from} fund to the ${after.to} fund`],
  })),
  form: {
    options: [{ value: "move-reserves", label: "Move reserves" }],
    fields: () => [
      { key: "from", label: "From", input: "select", options: RESERVE_OPTIONS },
      { key: "to", label: "To", input: "select", options: RESERVE_OPTIONS },
      { key: "amount", label: "Amount (USD)", input: "text" },
    ],
    initial: (_, prior) => ({ from: prior.from === "default" ? "default" : "insurance", to: prior.to === "insurance" ? "insurance" : "default", amount: prior.amount ?? "" }),
    fromChange: (change) => ({ option: "move-reserves", values: { from: change.from, to: change.to, amount: formatUnits(change.amountUsd, 18) } }),
    parse(values) {
      try {
        if (values.from === values.to) throw new BackstopError("a reserve cannot be moved to itself");
        const change = { kind: "moveReserves" as const, from: reserveOf(values.from === "default" ? 1 : 0), to: reserveOf(values.to === "default" ? 1 : 0), amountUsd: uint256(parseUsd(values.amount ?? "")) };
        if (change.amountUsd === 0n) throw new BackstopError("the amount must be above zero");
        const issue = validateChange(change)[0];
        if (issue) throw new BackstopError(issue.message);
        return { ok: true, change, warnings: [] };
      } catch (e) {
        return { ok: false, errors: [{ field: "amount", message: `Reserve move: ${messageOf(e)}` }] };
      }
    },
  },
};
