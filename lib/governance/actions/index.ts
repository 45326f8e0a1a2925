/**
 * The registry of governance actions: one complete entry per ParamChange kind (see ./action.ts for
 * what an entry holds). Typed as a mapped type over the kinds, so a kind added to the engine's
 * ParamChange without its module here — or a module missing a part — does not compile. The
 * order is the proposal builder's "What" menu.
 *
 * To add a kind: its ParamChange variant and rule in engine/preview/applyChanges.ts, a module
 * beside this one, and its line below.
 */

import { decodeEventLog, type Hex } from "viem";
import type { ChangeKind, ChangeOf, ParamChange, ProtocolSnapshot } from "../../../engine/index.ts";
import type { Deployment, DeploymentContractName } from "../../contracts/deployment.ts";
import type { ActionDescription, ActionNames, ActionWords, GovernanceAction, GovernanceActions, RecordedChange } from "./action.ts";
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

/**
 * What a log of an executed proposal's transaction says a governance action did, if it is one's
 * event (emitted by the contract that action calls); undefined for any other log.
 */
export function recordedIn(log: { address: string; data: Hex; topics: readonly Hex[] }, deployment: Pick<Deployment, "contracts">): RecordedChange | undefined {
  const contract = (Object.keys(deployment.contracts) as DeploymentContractName[]).find((n) => deployment.contracts[n].toLowerCase() === log.address.toLowerCase());
  const candidates = ACTION_LIST.filter((a) => a.call.contract === contract);
  if (candidates.length === 0 || log.topics.length === 0) return undefined;
  let event: { eventName?: string; args?: unknown };
  try {
    event = decodeEventLog({ abi: candidates[0]!.call.abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
  } catch {
    return undefined;
  }
  return candidates.find((a) => a.recorded.eventName === event.eventName)?.recorded.read(event.args);
}

/** What an executed action did, in words (past tense, old → new where its event says the old value). */
export function describeRecorded(recorded: RecordedChange, snapshot: ProtocolSnapshot): ActionDescription {
  return (actionOf(recorded.after) as GovernanceAction<ChangeKind>).recorded.describe(recorded, snapshot);
}

export type * from "./action.ts";
