/**
 * parseDelegateTarget(raw) — the address typed into the delegate form, or why it is not one.
 * Delegating to the zero address is allowed by the token (it withdraws your votes) and stays
 * allowed here.
 */

import { isAddress } from "viem";

export type ParseDelegateTargetReturnType = { ok: true; delegatee: `0x${string}` } | { ok: false; field: "delegatee"; message: string };

export function parseDelegateTarget(raw: string): ParseDelegateTargetReturnType {
  const text = raw.trim();
  if (text === "") return { ok: false, field: "delegatee", message: "Delegate address: type an address (0x followed by 40 hexadecimal characters)" };
  if (!isAddress(text, { strict: false })) return { ok: false, field: "delegatee", message: `Delegate address: “${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}” is not an address (0x followed by 40 hexadecimal characters)` };
  return { ok: true, delegatee: text as `0x${string}` };
}
