/** withdrawInsurance: a payment out of the insurance fund to an address (Clearinghouse.withdrawInsurance) — money leaves the protocol. */

import { formatUnits, isAddress } from "viem";
import { formatUsd, parseUsd, validateChange } from "../../../engine/index.ts";
import { clearinghouseAbi } from "../../contracts/abis.ts";
import { messageOf } from "../../errors/messageOf.ts";
import { callOn, type GovernanceAction, recordedBy, uint256 } from "./action.ts";
import { BackstopError } from "../../errors/backstopError.ts";


export const withdrawInsuranceAction: GovernanceAction<"withdrawInsurance"> = {
  kind: "withdrawInsurance",
  call: callOn("clearinghouse", clearinghouseAbi, "withdrawInsurance", {
    args: (c) => [c.to, c.amountUsd] as const,
    change: ([to, amountUsd]) => ({ kind: "withdrawInsurance", to: to.toLowerCase() as `0x${string}`, amountUsd }),
  }),
  describe: (change) => ({ title: "Pay out of the insurance fund", lines: [`${formatUsd(change.amountUsd)} to ${change.to}`] }),
  words: (change) => ({ subject: change.to, aliases: [change.to.toLowerCase(), change.to.slice(0, 10).toLowerCase()], does: /insurance|pay|withdraw|grant|reimburse/, what: `pay ${formatUsd(change.amountUsd)} of insurance to ${change.to}`, grave: true }),
  // No governance action puts a payout back; reserves move no liquidation, so the record needs none.
  recorded: recordedBy(clearinghouseAbi, "InsuranceWithdrawn", (a) => ({ after: { kind: "withdrawInsurance", to: a.to.toLowerCase() as `0x${string}`, amountUsd: a.amountWad } }), ({ after }) => ({
    title: "Paid out of the insurance fund",
    lines: [`${formatUsd(after.amountUsd)} to ${after.to}`],
  })),
  form: {
    options: [{ value: "withdraw-insurance", label: "Pay out of the insurance fund" }],
    fields: () => [
      { key: "payee", label: "Pay to (address)", input: "text", placeholder: "0x…", monospace: true },
      { key: "amount", label: "Amount (USD)", input: "text" },
    ],
    initial: (_, prior) => ({ payee: prior.payee ?? "", amount: prior.amount ?? "" }),
    fromChange: (change) => ({ option: "withdraw-insurance", values: { payee: change.to, amount: formatUnits(change.amountUsd, 18) } }),
    parse(values) {
      const payee = (values.payee ?? "").trim();
      if (!isAddress(payee, { strict: false })) return { ok: false, errors: [{ field: "payee", message: `Insurance payout: "${values.payee ?? ""}" is not an address` }] };
      try {
        const change = { kind: "withdrawInsurance" as const, to: payee.toLowerCase() as `0x${string}`, amountUsd: uint256(parseUsd(values.amount ?? "")) };
        const issue = validateChange(change)[0];
        if (issue) throw new BackstopError(issue.message);
        return { ok: true, change, warnings: [] };
      } catch (e) {
        return { ok: false, errors: [{ field: "amount", message: `Insurance payout: ${messageOf(e)}` }] };
      }
    },
  },
};
