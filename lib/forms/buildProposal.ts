/**
 * buildProposal(actions, context) — the proposal builder's form, checked the way the contract
 * would check it, before anything is sent: every action becomes a ParamChange (or a raw call),
 * or an error naming the action's field in a sentence. Pure, so it is fuzzed directly
 * (lib/forms/buildProposal.test.ts); the component only renders what this returns.
 *
 * Each action's form — its fields, labels, starting values and parsing — is its kind's, from the
 * registry (lib/governance/actions); the builder adds the raw call, which any governable call
 * decodes out of and anything else stays, flagged. Beyond the contract's own rules
 * (engine/validation), a value must fit the ABI: no negative number and nothing above 2^256 − 1
 * reaches the encoder, which would throw instead of saying so.
 */

import { isAddress, isHex, type Hex } from "viem";
import type { ChangeKind, ParamChange } from "../../engine/index.ts";
import { decodeCall, encodeChange, type ProposalCall } from "../codec/governanceCodec.ts";
import { ACTION_LIST, actionOf } from "../governance/actions/index.ts";
import type { ActionContext, ActionForm, FieldError, FormField, FormOption, FormValues, GovernanceAction } from "../governance/actions/action.ts";
import { BackstopError } from "../errors/backstopError.ts";

export type { BuilderCollateral, BuilderMarket, FormField, FormValues } from "../governance/actions/action.ts";
export { shownValue } from "../governance/actions/marketParams.ts";
export { shownCollateral } from "../governance/actions/collateralParams.ts";

/** One action of the form: the "What" menu entry chosen and its fields' values. */
export interface BuilderAction {
  option: string;
  values: FormValues;
}

export type BuildProposalContext = ActionContext;

/** Any call, by target and calldata: decoded when it is a governable action, else sent as it is and flagged. */
const rawCallForm: ActionForm<ProposalCall> = {
  options: [{ value: "raw", label: "Raw call" }],
  fields: () => [
    { key: "target", label: "Raw call target", input: "text", placeholder: "0x…", monospace: true },
    { key: "calldata", label: "Raw call calldata", input: "textarea", placeholder: "0x…", monospace: true },
  ],
  initial: (_, prior) => ({ target: prior.target ?? "", calldata: prior.calldata ?? "" }),
  fromChange: (call) => ({ option: "raw", values: { target: call.target, calldata: call.calldata } }),
  parse(values) {
    const target = (values.target ?? "").trim();
    const calldata = (values.calldata ?? "").trim();
    if (!isAddress(target, { strict: false })) return { ok: false, errors: [{ field: "target", message: `Raw call: the target "${values.target ?? ""}" is not an address` }] };
    if (!isHex(calldata) || calldata.length % 2 !== 0) return { ok: false, errors: [{ field: "calldata", message: "Raw call: the calldata must be 0x-prefixed hex bytes" }] };
    return { ok: true, change: { target, value: 0n, calldata: calldata as Hex }, warnings: [] };
  },
};

type MenuEntry = FormOption & ({ raw: false; form: ActionForm<ParamChange> } | { raw: true; form: ActionForm<ProposalCall> });

/** The "What" menu: every kind's options in registry order, then the raw call. */
export const BUILDER_MENU: readonly MenuEntry[] = [
  ...ACTION_LIST.flatMap((action) => action.form.options.map((o): MenuEntry => ({ ...o, raw: false, form: action.form }))),
  ...rawCallForm.options.map((o): MenuEntry => ({ ...o, raw: true, form: rawCallForm })),
];

const entryOf = (option: string) => BUILDER_MENU.find((e) => e.value === option);

/** An action of the menu entry `option`, started from the chain's current values (and the market or asset of `prior`, if any). */
export function startAction(option: string, context: ActionContext, prior: FormValues = {}): BuilderAction {
  const entry = entryOf(option);
  if (!entry) throw new BackstopError(`the builder has no action "${option}"`);
  return { option, values: { ...entry.form.initial(context, prior), ...entry.preset } };
}

/** The fields the action shows for its current values. */
export function actionFields(action: BuilderAction, context: ActionContext): FormField[] {
  return entryOf(action.option)?.form.fields(action.values, context) ?? [];
}

/** The action with one field typed or picked; picking another market or asset refills the values from it. */
export function setField(action: BuilderAction, key: string, value: string, context: ActionContext): BuilderAction {
  const entry = entryOf(action.option);
  const values = { ...action.values, [key]: value };
  const field = actionFields(action, context).find((f) => f.key === key);
  if (!entry || field?.input !== "select" || !field.refills) return { ...action, values };
  return { ...action, values: { ...values, ...entry.form.initial(context, values), ...entry.preset } };
}

export interface BuildProposalReturnType {
  changes: ParamChange[];
  rawCalls: ProposalCall[];
  /** One per refused value: the action's index, the field when it has its own input, and the sentence. */
  errors: { action: number; field?: string; message: string }[];
  warnings: string[];
}

export function buildProposal(actions: BuilderAction[], context: BuildProposalContext): BuildProposalReturnType {
  const changes: ParamChange[] = [];
  const rawCalls: ProposalCall[] = [];
  const errors: BuildProposalReturnType["errors"] = [];
  const warnings: string[] = [];
  const refuse = (i: number, found: FieldError[]) => found.forEach((e) => errors.push({ action: i, ...(e.field === undefined ? {} : { field: e.field }), message: e.message }));
  actions.forEach((a, i) => {
    const entry = entryOf(a.option);
    if (!entry) return refuse(i, [{ message: `Action ${i + 1}: the builder has no action "${a.option}"` }]);
    if (!entry.raw) {
      // The menu entry decides what its preset says (freeze: frozen = "true"), whatever the values hold.
      const parsed = entry.form.parse({ ...a.values, ...entry.preset }, context);
      if (!parsed.ok) return refuse(i, parsed.errors);
      changes.push(parsed.change);
      warnings.push(...parsed.warnings);
      return;
    }
    const parsed = entry.form.parse(a.values, context);
    if (!parsed.ok) return refuse(i, parsed.errors);
    const decoded = decodeCall(parsed.change, context.deployment);
    if (decoded.kind === "change") changes.push(decoded.change);
    else {
      warnings.push(`Raw call ${i + 1} is ${decoded.reason}: Backstop cannot preview it, and voters will see it flagged.`);
      rawCalls.push(parsed.change);
    }
  });
  return { changes, rawCalls, errors, warnings };
}

/** The calls a built proposal sends, in the order it proposes them: its changes, then its raw calls. */
export function proposalCalls(built: Pick<BuildProposalReturnType, "changes" | "rawCalls">, deployment: ActionContext["deployment"]): ProposalCall[] {
  return [...built.changes.map((c) => encodeChange(c, deployment)), ...built.rawCalls];
}

/**
 * The builder's actions for calls (an imported batch): each call a governance action decodes as
 * becomes that action's form, filled from its values, to edit; any other stays a raw call.
 */
export function actionsFromCalls(calls: readonly ProposalCall[], context: ActionContext): BuilderAction[] {
  return calls.map((call) => {
    const decoded = decodeCall(call, context.deployment);
    if (decoded.kind === "unknown") return rawCallForm.fromChange(call, context);
    return (actionOf(decoded.change) as GovernanceAction<ChangeKind>).form.fromChange(decoded.change, context);
  });
}

/** The title and description: a title is required (every interface lists proposals by it). */
export function validateProposalText(title: string): string | null {
  return title.trim() ? null : "Give the proposal a title: voters on every interface see it first.";
}
