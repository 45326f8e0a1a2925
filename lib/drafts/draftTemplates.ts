/**
 * Templates for the changes proposed most often: each fills the builder — its action, a title
 * and a description that asks for what voters look for — from the chain's current values, for
 * the author to adjust. A template is only a start: everything it fills is an ordinary field.
 */

import { formParameterValue, MARKET_PARAMETERS, parseParameter, type MarketParameter } from "../../engine/index.ts";
import type { DraftContentWire } from "../api/wire.ts";
import type { ActionContext } from "../governance/actions/action.ts";
import { setField, startAction, type BuilderAction } from "../forms/buildProposal.ts";

export interface DraftTemplate {
  id: string;
  label: string;
  /** The builder's content for the market `marketId` (the first market when it is not one). */
  fill(context: ActionContext, marketId?: number): DraftContentWire;
}

const parameter = (formField: MarketParameter["formField"]) => MARKET_PARAMETERS.find((p) => p.formField === formField)!;
const ONE_POINT_WAD = 10n ** 16n;

/** A market's parameters action, started from its current values. */
function paramsAction(context: ActionContext, marketId: number | undefined): BuilderAction {
  return startAction("params", context, marketId === undefined ? {} : { marketId: String(marketId) });
}

const symbolOf = (context: ActionContext, action: BuilderAction) => context.markets.find((m) => String(m.id) === action.values.marketId)?.symbol ?? "the market";

const why = (ask: string) => `## Why\n\n${ask}\n\n## Risk\n\nWhat the live preview below shows, and why it is acceptable.`;

export const DRAFT_TEMPLATES: readonly DraftTemplate[] = [
  {
    id: "raise-maintenance-margin",
    label: "Raise a market's maintenance margin",
    fill(context, marketId) {
      // One percentage point up, and the initial margin with it where it would no longer be above.
      const mmr = parameter("mmr");
      const imr = parameter("imr");
      let action = paramsAction(context, marketId);
      const raised = parseParameter(mmr, action.values.mmr ?? "0") + ONE_POINT_WAD;
      action = setField(action, "mmr", formParameterValue(mmr, raised), context);
      if (parseParameter(imr, action.values.imr ?? "0") <= raised) action = setField(action, "imr", formParameterValue(imr, raised + ONE_POINT_WAD), context);
      return { title: `Raise ${symbolOf(context, action)} maintenance margin`, body: why("What changed in this market (volatility, depth, concentration) that makes today's margin too thin."), actions: [action] };
    },
  },
  {
    id: "liquidation-penalty",
    label: "Change a market's liquidation penalty",
    fill(context, marketId) {
      const action = paramsAction(context, marketId);
      return { title: `Change ${symbolOf(context, action)} liquidation penalty`, body: why("Why the penalty is too high (traders lose more than liquidations cost) or too low (keepers do not act in time)."), actions: [action] };
    },
  },
  {
    id: "open-interest-cap",
    label: "Set a market's open-interest cap",
    fill(context, marketId) {
      const action = paramsAction(context, marketId);
      return { title: `Set ${symbolOf(context, action)} open-interest cap`, body: why("The depth the market can be liquidated into, and the open interest it carries today."), actions: [action] };
    },
  },
  {
    id: "freeze-market",
    label: "Freeze a market (reduce-only)",
    fill(context, marketId) {
      const action = startAction("freeze", context, marketId === undefined ? {} : { marketId: String(marketId) });
      return { title: `Freeze ${symbolOf(context, action)}`, body: why("What is wrong with this market (its oracle, its liquidity) and what would end the freeze."), actions: [action] };
    },
  },
  {
    id: "unfreeze-market",
    label: "Unfreeze a market",
    fill(context, marketId) {
      const action = startAction("unfreeze", context, marketId === undefined ? {} : { marketId: String(marketId) });
      return { title: `Unfreeze ${symbolOf(context, action)}`, body: why("Why the reason for the freeze no longer holds."), actions: [action] };
    },
  },
  {
    id: "top-up-insurance",
    label: "Top up the insurance fund from the default fund",
    fill(context) {
      const action = { ...startAction("move-reserves", context), values: { from: "default", to: "insurance", amount: "" } };
      return { title: "Top up the insurance fund", body: why("How much of the stress scenarios the insurance fund covers today, and how much this adds."), actions: [action] };
    },
  },
];
