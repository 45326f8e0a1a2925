/**
 * What one governance action kind is made of, in one module per kind (this folder): the call that
 * carries it out (target contract, encoder, decoder), its words for the proposal page and for the
 * attack detectors, and its form in the proposal builder (fields with labels, how to fill them
 * from the chain's current values or from a change, and how to read them back into a change, with
 * refusals in words). How it applies to a snapshot and what it must satisfy is the engine's
 * (CHANGE_RULES in engine/preview/applyChanges.ts). Once executed, the event its contract emits
 * says what it did (old → new), which an executed proposal's page shows. The registry (./index.ts) is typed over every
 * ParamChange kind, so a kind without any of these parts does not compile.
 *
 * Values travel as exact integers: a form shows a chain value as an exact decimal string and
 * reads it back to the same integer, never through a float.
 */

import { decodeFunctionData, encodeFunctionData, type Abi, type Address, type ContractEventName, type ContractFunctionArgs, type ContractFunctionName, type DecodeEventLogReturnType, type Hex } from "viem";
import { formatDuration, type ChangeKind, type ChangeOf, type MarketParams, type ParamChange, type ProtocolSnapshot } from "../../../engine/index.ts";
import { messageOf } from "../../errors/messageOf.ts";
import type { Deployment, DeploymentContractName } from "../../contracts/deployment.ts";
import { BackstopError } from "../../errors/backstopError.ts";

/** One call of a proposal: what the governor's propose() takes, per action. */
export interface ProposalCall {
  target: Address;
  value: bigint;
  calldata: Hex;
}

/** The call that carries out a change of one kind, both ways. */
export interface ActionCall<C> {
  /** The deployment contract it is sent to (the clearinghouse, the timelock itself, …). */
  contract: DeploymentContractName;
  /** That contract's ABI (decodeCall reads a call's function name with it) and the function. */
  abi: Abi;
  functionName: string;
  encode(change: C): Hex;
  /** The change a call to the function carries, or why it is none (a sentence); throws on malformed arguments. */
  decode(data: Hex): C | string;
}

type Writable<TAbi extends Abi> = ContractFunctionName<TAbi, "nonpayable" | "payable">;
type ArgsOf<TAbi extends Abi, TName extends Writable<TAbi>> = ContractFunctionArgs<TAbi, "nonpayable" | "payable", TName>;

/** An ActionCall typed against the contract's ABI: `args` and `change` see the function's own argument types. */
export function callOn<const TAbi extends Abi, TName extends Writable<TAbi>, C>(
  contract: DeploymentContractName,
  abi: TAbi,
  functionName: TName,
  codec: { args(change: C): ArgsOf<TAbi, TName>; change(args: ArgsOf<TAbi, TName>): C | string },
): ActionCall<C> {
  return {
    contract,
    abi,
    functionName,
    encode: (change) => encodeFunctionData({ abi, functionName, args: codec.args(change) } as never),
    decode: (data) => codec.change((decodeFunctionData({ abi, data }) as unknown as { args: ArgsOf<TAbi, TName> }).args),
  };
}

/**
 * What an executed change did, read from the event its contract emitted: the change now in force,
 * and the change that puts back what was there — absent when nothing can (a payout), which is
 * fine: what it is used for is the state before the execution, and reserves move no liquidation.
 */
export interface RecordedChange<C extends ParamChange = ParamChange> {
  after: C;
  before?: C;
}

/** The event a kind's call emits on its contract, read back into a RecordedChange, and said in words (past tense). */
export interface ActionRecord<C extends ParamChange> {
  eventName: string;
  read(args: unknown): RecordedChange<C>;
  describe(recorded: RecordedChange<C>, snapshot: ProtocolSnapshot): ActionDescription;
}

/** An ActionRecord typed against the contract's ABI: `read` sees the event's own argument types. */
export function recordedBy<const TAbi extends Abi, TName extends ContractEventName<TAbi>, C extends ParamChange>(
  abi: TAbi,
  eventName: TName,
  read: (args: DecodeEventLogReturnType<TAbi, TName>["args"]) => RecordedChange<C>,
  describe: ActionRecord<C>["describe"],
): ActionRecord<C> {
  return { eventName, read: (args) => read(args as DecodeEventLogReturnType<TAbi, TName>["args"]), describe };
}

/** A market as the builder sees it: chain values as decimal strings of the integers (exact). */
export interface BuilderMarket {
  id: number;
  symbol: string;
  params: Record<keyof MarketParams, string>;
}

export interface BuilderCollateral {
  id: number;
  symbol: string;
  decimals: number;
  weightWad: string;
  depositCapNative: string;
  oracleMaxAgeSec: string;
}

/** What a form knows of the chain: the markets and assets to pick from, and the deployment. */
export interface ActionContext {
  markets: BuilderMarket[];
  collaterals: BuilderCollateral[];
  deployment: Pick<Deployment, "contracts">;
}

/** A form's values, by field key, as typed (strings; a select's value is its option's value). */
export type FormValues = Readonly<Record<string, string>>;

export type FormField =
  | {
      key: string;
      label: string;
      input: "text" | "textarea";
      /** Under the input, e.g. "now 5". */
      hint?: string;
      placeholder?: string;
      monospace?: boolean;
    }
  | {
      key: string;
      label: string;
      input: "select";
      options: readonly { value: string; label: string }[];
      /** Picking another option refills the form from that subject's current values (a market, an asset). */
      refills?: boolean;
      /** Shown beside "What" rather than among the values (the market an action is about). */
      beside?: boolean;
    };

export interface FieldError {
  /** The field key to mark, when the refusal is about one field. */
  field?: string;
  message: string;
}

export type Parsed<C> = { ok: true; change: C; warnings: string[] } | { ok: false; errors: FieldError[] };

/** One entry of the builder's "What" menu: its label, and the values it presets (freeze: frozen = "true"). */
export interface FormOption {
  value: string;
  label: string;
  preset?: FormValues;
}

export interface ActionForm<C> {
  options: readonly FormOption[];
  /** The fields to show for these values (labels may name the market chosen). */
  fields(values: FormValues, context: ActionContext): FormField[];
  /** The values a form starts from: the subject in `prior` if it still exists (else the first), filled with its current values. */
  initial(context: ActionContext, prior: FormValues): Record<string, string>;
  /** The form that proposes exactly `change`. */
  fromChange(change: C, context: ActionContext): { option: string; values: Record<string, string> };
  /** The change the values propose, or every refusal in words. */
  parse(values: FormValues, context: ActionContext): Parsed<C>;
}

/** How the page words an action: a title and a line per value, current → proposed where the snapshot knows it. */
export interface ActionDescription {
  title: string;
  lines: string[];
}

/** Symbols by id, for words. */
export interface ActionNames {
  markets: readonly string[];
  collaterals: readonly string[];
}

/** What a description must say for the detectors to find the action in it (lower-case). */
export interface ActionWords {
  /** The market, asset or address it is about, if any, and the ways a description may name it. */
  subject?: string;
  aliases: string[];
  /** A word for what it does. */
  does: RegExp;
  /** The action in a few words, for the alert. */
  what: string;
  /** Unsaid, it is critical rather than a warning: money out, or less time to react. */
  grave?: boolean;
}

export interface GovernanceAction<K extends ChangeKind> {
  kind: K;
  call: ActionCall<ChangeOf<K>>;
  describe(change: ChangeOf<K>, snapshot: ProtocolSnapshot): ActionDescription;
  words(change: ChangeOf<K>, names: ActionNames): ActionWords;
  form: ActionForm<ChangeOf<K>>;
  /** Its event on `call.contract`, for an executed proposal's record. */
  recorded: ActionRecord<ChangeOf<K>>;
}

/** The registry's type: one complete action per ParamChange kind. */
export type GovernanceActions = { [K in ChangeKind]: GovernanceAction<K> };

const UINT256_MAX = 2n ** 256n - 1n;

/** Throws a sentence when a parsed value cannot be a uint256 argument (the encoder would throw instead of saying so). */
export function uint256(value: bigint): bigint {
  if (value < 0n) throw new BackstopError("must not be negative");
  if (value > UINT256_MAX) throw new BackstopError("is larger than the contract can store (2^256 − 1)");
  return value;
}

/** A whole number of seconds, as typed, or a sentence. */
export function wholeSeconds(raw: string): bigint {
  if (!/^\d+$/.test(raw.trim())) throw new BackstopError(`"${raw}" is not a whole number of seconds`);
  return uint256(BigInt(raw.trim()));
}

/** The kinds whose one value is a duration in whole seconds (grace period, cooldown, timelock delay). */
export type SecondsKind = { [K in ChangeKind]: ChangeOf<K> extends { kind: K; seconds: bigint } ? (keyof ChangeOf<K> extends "kind" | "seconds" ? K : never) : never }[ChangeKind];

/** A SecondsKind change's seconds (TypeScript cannot narrow ChangeOf<K> while K is generic). */
const secondsOf = <K extends SecondsKind>(change: ChangeOf<K>) => (change as unknown as { seconds: bigint }).seconds;

/** An executed duration change in words: "1 h → 2 h" ("?" where the event carries no old value). */
export function durationRecord<K extends SecondsKind>(title: string): ActionRecord<ChangeOf<K>>["describe"] {
  return ({ after, before }) => ({ title, lines: [`${before ? formatDuration(secondsOf(before)) : "?"} → ${formatDuration(secondsOf(after))}`] });
}

/**
 * The form of a kind whose one value is a duration: one "seconds" field, read as a whole number
 * of seconds (a uint256), then checked by `check` — refusals and warnings in words, each prefixed
 * with the field's `noun` ("Grace period: …").
 */
export function secondsForm<K extends SecondsKind>(
  kind: K,
  { option, optionLabel, fieldLabel, noun, check }: { option: string; optionLabel: string; fieldLabel: string; noun: string; check: (change: ChangeOf<K>) => { refusal?: string; warnings?: string[] } },
): ActionForm<ChangeOf<K>> {
  return {
    options: [{ value: option, label: optionLabel }],
    fields: () => [{ key: "seconds", label: fieldLabel, input: "text" }],
    initial: (_, prior) => ({ seconds: prior.seconds ?? "" }),
    fromChange: (change) => ({ option, values: { seconds: String(secondsOf(change)) } }),
    parse(values) {
      let seconds: bigint;
      try {
        seconds = wholeSeconds(values.seconds ?? "");
      } catch (e) {
        return { ok: false, errors: [{ field: "seconds", message: `${noun}: ${messageOf(e)}` }] };
      }
      const change = { kind, seconds } as ChangeOf<K>;
      const { refusal, warnings = [] } = check(change);
      return refusal ? { ok: false, errors: [{ field: "seconds", message: `${noun}: ${refusal}` }] } : { ok: true, change, warnings };
    },
  };
}

/** The kinds that switch one market's flag on or off (freeze, pause). */
export type MarketSwitchKind = "setMarketFrozen" | "setMarketPaused";
type SwitchFlag<K extends MarketSwitchKind> = K extends "setMarketFrozen" ? "frozen" : "paused";

/**
 * The form of a market switch: the market, and an option each for on and off (the flag preset
 * by the option, as "true" or "false").
 */
export function marketSwitchForm<K extends MarketSwitchKind>(kind: K, flag: SwitchFlag<K>, on: { value: string; label: string }, off: { value: string; label: string }): ActionForm<ChangeOf<K>> {
  // TypeScript cannot narrow ChangeOf<K> while K is generic: both kinds are { kind, marketId, <flag>: boolean }.
  const fields = (change: ChangeOf<K>) => change as unknown as { marketId: number } & Record<SwitchFlag<K>, boolean>;
  const isOn = (change: ChangeOf<K>) => fields(change)[flag];
  return {
    options: [
      { ...on, preset: { [flag]: "true" } },
      { ...off, preset: { [flag]: "false" } },
    ],
    fields: (_, context) => [marketField(context)],
    initial: (context, prior) => ({ marketId: pick(context.markets.map((m) => m.id), prior, "marketId") }),
    fromChange: (change) => ({ option: isOn(change) ? on.value : off.value, values: { marketId: String(fields(change).marketId), [flag]: String(isOn(change)) } }),
    parse(values, context) {
      const market = context.markets.find((m) => String(m.id) === values.marketId);
      if (!market) return { ok: false, errors: [{ field: "marketId", message: `There is no market ${values.marketId}.` }] };
      return { ok: true, change: { kind, marketId: market.id, [flag]: values[flag] === "true" } as unknown as ChangeOf<K>, warnings: [] };
    },
  };
}

/** The subject named in `prior` under `key` if it exists, else the first: its id as a string. */
export function pick(ids: readonly number[], prior: FormValues, key: string): string {
  const wanted = prior[key];
  return wanted !== undefined && ids.some((id) => String(id) === wanted) ? wanted : String(ids[0] ?? 0);
}

/** The Market select, beside "What". */
export function marketField(context: ActionContext, refills = false): FormField {
  return { key: "marketId", label: "Market", input: "select", options: context.markets.map((m) => ({ value: String(m.id), label: m.symbol })), refills, beside: true };
}

/** The Asset select. */
export function assetField(context: ActionContext): FormField {
  return { key: "assetId", label: "Asset", input: "select", options: context.collaterals.map((c) => ({ value: String(c.id), label: c.symbol })), refills: true };
}

/** Names for words: "ETH-PERP" and "eth", or "market 7" for one the page does not know. */
export const aliasesOf = (name: string) => [name.toLowerCase(), name.replace(/-PERP$/, "").toLowerCase()];
export const marketName = (names: ActionNames, id: number) => names.markets[id] ?? `market ${id}`;
export const assetName = (names: ActionNames, id: number) => names.collaterals[id] ?? `asset ${id}`;
