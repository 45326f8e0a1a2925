/**
 * What a contract's runtime bytecode says about whether the code a proposal calls can change
 * under it: opcodes found by walking the code (PUSH1…PUSH32 data skipped, so constants are not
 * mistaken for instructions), the EIP-1167 minimal-proxy shape, and the EIP-1967 storage slots a
 * proxy keeps its implementation in.
 */

import type { Hex } from "viem";

export const EIP1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc" as const;

const SELFDESTRUCT = 0xff;
const DELEGATECALL = 0xf4;
const CALLCODE = 0xf2;
const PUSH1 = 0x60;
const PUSH32 = 0x7f;

export interface CodeFeatures {
  size: number;
  selfdestruct: boolean;
  delegatecall: boolean;
  /** EIP-1167: the whole code is a fixed forwarder to one address. */
  minimalProxyTo?: `0x${string}`;
}

/** Opcode scan of runtime code; never throws (a malformed hex string reads as no code). */
export function scanCode(code: Hex | undefined): CodeFeatures {
  const hex = code && /^0x([0-9a-fA-F]{2})*$/.test(code) ? code.slice(2).toLowerCase() : "";
  const bytes = hex.length / 2;
  let selfdestruct = false;
  let delegatecall = false;
  for (let i = 0; i < bytes; i++) {
    const op = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    if (op >= PUSH1 && op <= PUSH32) i += op - PUSH1 + 1;
    else if (op === SELFDESTRUCT) selfdestruct = true;
    else if (op === DELEGATECALL || op === CALLCODE) delegatecall = true;
  }
  const minimal = /^363d3d373d3d3d363d73([0-9a-f]{40})5af43d82803e903d91602b57fd5bf3$/.exec(hex);
  return { size: bytes, selfdestruct, delegatecall, ...(minimal ? { minimalProxyTo: `0x${minimal[1]}` as const } : {}) };
}

/** The address in the low 20 bytes of a storage word (undefined when the word is zero). */
export function addressInSlot(word: Hex | undefined): `0x${string}` | undefined {
  if (!word || !/^0x[0-9a-fA-F]*$/.test(word)) return undefined;
  const hex = word.slice(2).padStart(64, "0").slice(24).toLowerCase();
  return /^0+$/.test(hex) ? undefined : `0x${hex}`;
}
