/**
 * The registry of governance actions: one complete entry per ParamChange kind (see ./action.ts for
 * what an entry holds). Typed as a mapped type over the kinds, so a kind added to the engine's
 * ParamChange without its module here — or a module missing a part — does not compile. The
 * order is the proposal builder's "What" menu.
 *
 * To add a kind: its ParamChange variant and rule in engine/preview/applyChanges.ts, a module
 * beside this one, and its line below.
 */

import type { ChangeKind, ChangeOf, ParamChange, ProtocolSnapshot } from "../../../engine/index.ts";
import type { ActionDescription, ActionNames, ActionWords, GovernanceAction, GovernanceActions } from "./action.ts";
import { adlModeAction } from "./adlMode.ts";
import { collateralFrozenAction } from "./collateralFrozen.ts";
import { collateralParamsAction } from "./collateralParams.ts";
import { defaultFundCooldownAction } from "./defaultFundCooldown.ts";
import { gracePeriodAction } from "./gracePeriod.ts";
import { marketFrozenAction } from "./marketFrozen.ts";
import { marketParamsAction } from "./marketParams.ts";
import { marketPausedAction } from "./marketPaused.ts";
import { moveReservesAction } from "./moveReserves.ts";
import { timelockDelayAction } from "./timelockDelay.ts";
import { withdrawInsuranceAction } from "./withdrawInsurance.ts";

export const GOVERNANCE_ACTIONS: GovernanceActions = {
  setMarketParams: marketParamsAction,
  setMarketFrozen: marketFrozenAction,
  setMarketPaused: marketPausedAction,
  setAdlMode: adlModeAction,
  setCollateralParams: collateralParamsAction,
  setCollateralFrozen: collateralFrozenAction,
  setGracePeriod: gracePeriodAction,
  setDefaultFundCooldown: defaultFundCooldownAction,
  moveReserves: moveReservesAction,
  withdrawInsurance: withdrawInsuranceAction,
  setTimelockDelay: timelockDelayAction,
};

/** Every entry, in menu order. */
export const ACTION_LIST = Object.values(GOVERNANCE_ACTIONS) as GovernanceAction<ChangeKind>[];

/** The entry for a change's kind. */
export function actionOf<K extends ChangeKind>(change: ChangeOf<K>): GovernanceAction<K> {
  return GOVERNANCE_ACTIONS[change.kind as K];
}

/** A governance action in words, with the current value beside the proposed one. */
export function describeChange(change: ParamChange, snapshot: ProtocolSnapshot): ActionDescription {
  return (actionOf(change) as GovernanceAction<ChangeKind>).describe(change, snapshot);
}

/** What a description must say for the detectors to find `change` in it. */
export function wordsOf(change: ParamChange, names: ActionNames): ActionWords {
  return (actionOf(change) as GovernanceAction<ChangeKind>).words(change, names);
}

export type * from "./action.ts";
