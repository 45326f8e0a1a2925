/**
 * draftTypedData({ id, content, version, chainId }) — the EIP-712 message an author signs to
 * save a draft: it binds the draft's id, the keccak-256 of its content (the exact JSON text
 * stored), the version the save makes and the chain, so a signature saves that content as that
 * version of that draft on that chain and nothing else: replayed later it names a version already
 * taken, and another draft or chain does not accept it.
 */

import { keccak256, stringToHex, type Hex, type TypedDataDefinition } from "viem";

export const DRAFT_TYPES = {
  Draft: [
    { name: "id", type: "string" },
    { name: "contentHash", type: "bytes32" },
    { name: "version", type: "uint256" },
  ],
} as const;

export interface DraftTypedDataParameters {
  id: string;
  /** The content as the JSON text that is stored (lib/api/wire draftContentWire). */
  content: string;
  version: number;
  chainId: number;
}

export type DraftTypedDataReturnType = TypedDataDefinition<typeof DRAFT_TYPES, "Draft">;

/** The keccak-256 of a draft's content text, as UTF-8. */
export function draftContentHash(content: string): Hex {
  return keccak256(stringToHex(content));
}

export function draftTypedData({ id, content, version, chainId }: DraftTypedDataParameters): DraftTypedDataReturnType {
  return {
    domain: { name: "Backstop drafts", version: "1", chainId },
    types: DRAFT_TYPES,
    primaryType: "Draft",
    message: { id, contentHash: draftContentHash(content), version: BigInt(version) },
  };
}
