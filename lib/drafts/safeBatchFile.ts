/**
 * Proposal calls ⇄ a Safe{Wallet} Transaction Builder batch file (safe-global/safe-react-apps,
 * apps/tx-builder): the JSON its "Export" writes and its drag-and-drop reads.
 *
 * toSafeBatchFile writes each call as `to`, `value` and `data` (the exact calldata: the Transaction
 * Builder sends a transaction's data as it is) and signs the file with the Transaction Builder's
 * own checksum, so the Safe app opens it without the "modified file" warning.
 *
 * readSafeBatchFile reads a file back into calls, or says in words what is wrong with it: not
 * JSON, a field missing or malformed (named), a batch for another chain, a transaction that sends
 * ETH (a Backstop proposal's builder sends none), arguments that do not fit their method. A
 * transaction given as `contractMethod` + `contractInputsValues` without data is encoded here. A
 * checksum that does not match is a warning, as in the Safe app: the file was edited by hand.
 */

import { encodeFunctionData, keccak256, stringToHex, type AbiFunction, type AbiParameter, type Hex } from "viem";
import { safeBatchFileWire, type SafeBatchFileWire } from "../api/wire.ts";
import type { ProposalCall } from "../governance/actions/action.ts";
import { messageOf } from "../errors/messageOf.ts";

/** The Transaction Builder version Backstop writes files as. */
export const SAFE_TX_BUILDER_VERSION = "1.18.0";

export interface ToSafeBatchFileParameters {
  chainId: number;
  name: string;
  description?: string;
  /** Milliseconds since 1970: when the file is made. */
  createdAt: number;
  /** The Safe that will send the batch, when the author knows it (the timelock's proposer, say). */
  createdFromSafeAddress?: string;
}

export function toSafeBatchFile(calls: readonly ProposalCall[], { chainId, name, description = "", createdAt, createdFromSafeAddress = "" }: ToSafeBatchFileParameters): SafeBatchFileWire {
  const file: SafeBatchFileWire = {
    version: "1.0",
    chainId: String(chainId),
    createdAt,
    meta: { name, description, txBuilderVersion: SAFE_TX_BUILDER_VERSION, createdFromSafeAddress, createdFromOwnerAddress: "" },
    transactions: calls.map((c) => ({ to: c.target, value: c.value.toString(), data: c.calldata })),
  };
  return { ...file, meta: { ...file.meta, checksum: safeBatchChecksum(file) } };
}

export type ReadSafeBatchFileReturnType = { ok: true; calls: ProposalCall[]; name: string; description: string; warnings: string[] } | { ok: false; error: string };

/** The calls of a batch file's text, for `chainId`; or what is wrong with it, in a sentence. */
export function readSafeBatchFile(text: string, { chainId }: { chainId: number }): ReadSafeBatchFileReturnType {
  const refuse = (error: string) => ({ ok: false as const, error });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return refuse(`The file is not JSON (${messageOf(e)}): a Safe Transaction Builder file is the JSON its Export writes.`);
  }
  const parsed = safeBatchFileWire.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "the file";
    return refuse(`This is not a Safe Transaction Builder file Backstop can read: ${where} ${issue.message}.`);
  }
  const file = parsed.data;
  if (Number(file.chainId) !== chainId) return refuse(`The batch is for chain ${file.chainId}, but this Backstop serves chain ${chainId}: nothing was imported.`);
  const calls: ProposalCall[] = [];
  for (const [i, tx] of file.transactions.entries()) {
    if (tx.value !== "0") return refuse(`Transaction ${i + 1} sends ${tx.value} wei of ETH; a proposal from this builder sends none, so nothing was imported.`);
    const calldata = tx.data && tx.data !== "0x" ? tx.data : tx.contractMethod ? encodeMethod(tx.contractMethod, tx.contractInputsValues ?? {}) : tx.data === "0x" ? "0x" : undefined;
    if (calldata === undefined) return refuse(`Transaction ${i + 1} has neither data nor a contract method: there is no call to import.`);
    if (typeof calldata === "object") return refuse(`Transaction ${i + 1}: ${calldata.error}; nothing was imported.`);
    if (calldata.length % 2 !== 0) return refuse(`Transaction ${i + 1}: its data is not whole bytes (an odd number of hexadecimal digits); nothing was imported.`);
    calls.push({ target: tx.to.toLowerCase() as Hex, value: 0n, calldata: calldata.toLowerCase() as Hex });
  }
  // Over the file as written, not as parsed: the checksum covers every key, known or not.
  const { checksum } = file.meta;
  const warnings = checksum && checksum !== safeBatchChecksum(json as SafeBatchFileWire) ? ["The file's checksum does not match its contents: it was changed after the Transaction Builder wrote it. Check every action below."] : [];
  return { ok: true, calls, name: file.meta.name, description: file.meta.description ?? "", warnings };
}

/** A call's data from a Transaction Builder method and its inputs as the Safe app writes them (tuples and arrays as JSON). */
function encodeMethod(method: NonNullable<SafeBatchFileWire["transactions"][number]["contractMethod"]>, values: Record<string, string>): Hex | { error: string } {
  const abi: AbiFunction = { type: "function", name: method.name, inputs: method.inputs as AbiParameter[], outputs: [], stateMutability: method.payable ? "payable" : "nonpayable" };
  try {
    const args = method.inputs.map((input) => {
      const raw = values[input.name];
      if (raw === undefined) throw new Error(`${method.name} has no value for its input "${input.name}"`);
      return argumentOf(input.type, raw);
    });
    return encodeFunctionData({ abi: [abi], functionName: method.name, args });
  } catch (e) {
    return { error: `the arguments of ${method.name} do not fit its inputs (${messageOf(e).split("\n")[0]})` };
  }
}

function argumentOf(type: string, raw: string): unknown {
  if (type.endsWith("]") || type.startsWith("tuple")) return JSON.parse(raw) as unknown;
  if (/^u?int\d*$/.test(type)) return BigInt(raw);
  if (type === "bool") return raw === "true";
  return raw;
}

/**
 * The Transaction Builder's checksum of a file (its lib/checksum.ts): keccak-256 of a
 * serialisation with sorted keys, undefined as null, and the batch's name left out (renaming a
 * batch keeps it valid).
 */
export function safeBatchChecksum(file: SafeBatchFileWire): Hex {
  const meta: Record<string, unknown> = { ...file.meta, name: null };
  delete meta.checksum;
  return keccak256(stringToHex(serialize({ ...file, meta })));
}

function serialize(json: unknown): string {
  const replacer = (_: string, value: unknown) => (value === undefined ? null : value);
  if (Array.isArray(json)) return `[${json.map(serialize).join(",")}]`;
  if (typeof json === "object" && json !== null) {
    const keys = Object.keys(json).sort();
    return `{${JSON.stringify(keys, replacer)}${keys.map((k) => `${serialize((json as Record<string, unknown>)[k])},`).join("")}}`;
  }
  return JSON.stringify(json, replacer) ?? "null";
}
