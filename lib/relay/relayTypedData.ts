/**
 * The EIP-712 messages a voter signs for the relay, built the same way in the wallet (to sign)
 * and on the server (to find the digest the relay deduplicates on): OpenZeppelin 5's Governor
 * ballots — `Ballot`, or `ExtendedBallot` when a reason or params come with the vote — with the
 * governor's per-voter nonce, and ERC20Votes' `Delegation`, with the token's. The domain is what
 * the contract reports (EIP-5267 `eip712Domain()`), never a name typed here.
 */

import { hashTypedData, type Address, type Hex, type TypedDataDomain } from "viem";

export const ballotTypes = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

export const extendedBallotTypes = {
  ExtendedBallot: [...ballotTypes.Ballot, { name: "reason", type: "string" }, { name: "params", type: "bytes" }],
} as const;

export const delegationTypes = {
  Delegation: [
    { name: "delegatee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** A vote as signed: `reason` present (even empty) means an ExtendedBallot. */
export interface SignedVote {
  proposalId: bigint;
  /** 0 Against, 1 For, 2 Abstain. */
  support: number;
  voter: Address;
  nonce: bigint;
  reason?: string;
  params?: Hex;
}

export interface SignedDelegation {
  delegatee: Address;
  nonce: bigint;
  /** Seconds (chain time) after which the token refuses the signature. */
  expiry: bigint;
}

/** The domain as `eip712Domain()` answers it: [fields, name, version, chainId, verifyingContract, salt, extensions]. */
export type Eip712DomainTuple = readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];

export function domainOf([, name, version, chainId, verifyingContract]: Eip712DomainTuple): TypedDataDomain {
  return { name, version, chainId: Number(chainId), verifyingContract };
}

/** The typed data of a vote, for `signTypedData` and `hashTypedData`. */
export function ballotTypedData(domain: TypedDataDomain, vote: SignedVote) {
  const { proposalId, support, voter, nonce } = vote;
  if (vote.reason === undefined && vote.params === undefined) {
    return { domain, types: ballotTypes, primaryType: "Ballot", message: { proposalId, support, voter, nonce } } as const;
  }
  return { domain, types: extendedBallotTypes, primaryType: "ExtendedBallot", message: { proposalId, support, voter, nonce, reason: vote.reason ?? "", params: vote.params ?? "0x" } } as const;
}

/** The typed data of a delegation, for `signTypedData` and `hashTypedData`. */
export function delegationTypedData(domain: TypedDataDomain, delegation: SignedDelegation) {
  return { domain, types: delegationTypes, primaryType: "Delegation", message: delegation } as const;
}

/** The digest the contract checks the signature against: what the relay's log is keyed on. */
export const ballotDigest = (domain: TypedDataDomain, vote: SignedVote): Hex => hashTypedData(ballotTypedData(domain, vote) as never);
export const delegationDigest = (domain: TypedDataDomain, delegation: SignedDelegation): Hex => hashTypedData(delegationTypedData(domain, delegation));
