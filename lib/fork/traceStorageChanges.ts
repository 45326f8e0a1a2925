/**
 * traceStorageChanges(client, hash) — the storage slots a mined transaction changed, per
 * contract, with their value before and after, from the node's prestateTracer in diff mode
 * (debug_traceTransaction; anvil and geth-style archive nodes answer it). A slot the diff lists
 * before but not after was zeroed. Used on a fork (what a proposal's calls write) and on the
 * chain itself (what its execution wrote), so the two compare slot for slot.
 */

import { getAddress, type Address, type Hex, type PublicClient } from "viem";

export interface SlotChange {
  address: Address;
  slot: Hex;
  before: Hex;
  after: Hex;
}

interface PrestateDiff {
  pre: Record<string, { storage?: Record<string, Hex> }>;
  post: Record<string, { storage?: Record<string, Hex> }>;
}

const ZERO_WORD = `0x${"0".repeat(64)}` as Hex;
const word = (h: Hex) => `0x${h.slice(2).padStart(64, "0")}` as Hex;

export async function traceStorageChanges(client: PublicClient, hash: Hex): Promise<SlotChange[]> {
  const d = (await client.request({ method: "debug_traceTransaction", params: [hash, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }] } as never)) as PrestateDiff;
  const changes: SlotChange[] = [];
  for (const address of new Set([...Object.keys(d.pre ?? {}), ...Object.keys(d.post ?? {})])) {
    const pre = d.pre?.[address]?.storage ?? {};
    const post = d.post?.[address]?.storage ?? {};
    for (const slot of new Set([...Object.keys(pre), ...Object.keys(post)])) {
      const before = word(pre[slot] ?? ZERO_WORD);
      const after = word(post[slot] ?? ZERO_WORD);
      if (before !== after) changes.push({ address: getAddress(address), slot: word(slot as Hex), before, after });
    }
  }
  return changes;
}
