/**
 * Governance actions ⇄ proposal calldata, read from the registry of actions
 * (lib/governance/actions): encodeChange turns an engine ParamChange into the (target, value,
 * calldata) a proposal carries; decodeCall reads any call back into a ParamChange — or says, in
 * words, why it cannot: an unknown target, a selector outside the governable set, malformed
 * calldata. Decoding never throws on bad input.
 */

import { isAddress, isHex, toFunctionSelector, type Abi, type AbiFunction, type Hex } from "viem";
import type { ChangeKind, ParamChange } from "../../engine/index.ts";
import type { Deployment, DeploymentContractName } from "../contracts/deployment.ts";
import { ACTION_LIST, actionOf } from "../governance/actions/index.ts";
import type { GovernanceAction, ProposalCall } from "../governance/actions/action.ts";

export type { ProposalCall } from "../governance/actions/action.ts";

export type DecodedCall =
  | { kind: "change"; change: ParamChange; call: ProposalCall }
  | { kind: "unknown"; reason: string; call: ProposalCall };

/** The call that carries out `change`, on the contract its action names. */
export function encodeChange(change: ParamChange, deployment: Pick<Deployment, "contracts">): ProposalCall {
  const { call } = actionOf(change) as GovernanceAction<ChangeKind>;
  return { target: deployment.contracts[call.contract], value: 0n, calldata: call.encode(change) };
}

const selectorOf = (abi: Abi, functionName: string) => toFunctionSelector(abi.find((item): item is AbiFunction => item.type === "function" && item.name === functionName)!);

/** Each governable contract, its ABI, and its governable functions by selector. */
const GOVERNABLE = new Map<DeploymentContractName, { abi: Abi; bySelector: Map<Hex, GovernanceAction<ChangeKind>> }>();
for (const action of ACTION_LIST) {
  const entry = GOVERNABLE.get(action.call.contract) ?? { abi: action.call.abi, bySelector: new Map() };
  entry.bySelector.set(selectorOf(action.call.abi, action.call.functionName), action);
  GOVERNABLE.set(action.call.contract, entry);
}

/** The name of the function a selector calls on `abi`, if it has one. */
function functionNamed(abi: Abi, selector: string): string | undefined {
  return abi.find((item): item is AbiFunction => item.type === "function" && toFunctionSelector(item) === selector)?.name;
}

/** Reads a proposal call back into a governance action, or explains why it is not one. */
export function decodeCall(call: ProposalCall, deployment: Pick<Deployment, "contracts">): DecodedCall {
  const unknown = (reason: string): DecodedCall => ({ kind: "unknown", reason, call });
  if (!isAddress(call.target, { strict: false })) return unknown(`the target "${String(call.target)}" is not an address`);
  if (typeof call.calldata !== "string" || !isHex(call.calldata) || call.calldata.length % 2 !== 0) return unknown("the calldata is not hex bytes");
  const name = (Object.keys(deployment.contracts) as DeploymentContractName[]).find((n) => deployment.contracts[n].toLowerCase() === call.target.toLowerCase());
  const governable = name && GOVERNABLE.get(name);
  if (!name || !governable) return unknown(name ? `a call to the ${name} contract, outside the governable functions` : `an unknown target ${call.target}: not a contract of this deployment`);
  if (call.value !== 0n) return unknown(`it sends ${call.value} wei of ETH to the ${name}, which takes none`);
  if (call.calldata.length < 10) return unknown("the calldata is shorter than a function selector");
  const selector = call.calldata.slice(0, 10).toLowerCase() as Hex;
  const action = governable.bySelector.get(selector);
  if (!action) {
    const fn = functionNamed(governable.abi, selector);
    return unknown(fn ? `${fn} is a ${name} function, but not a governance action Backstop can preview` : `the selector ${selector} is not a ${name} function, or its arguments are malformed`);
  }
  let decoded: ParamChange | string;
  try {
    decoded = action.call.decode(call.calldata);
  } catch {
    return unknown(`the selector ${selector} is not a ${name} function, or its arguments are malformed`);
  }
  return typeof decoded === "string" ? unknown(decoded) : { kind: "change", change: decoded, call };
}
