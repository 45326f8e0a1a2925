/**
 * "Why is my voting power what it is?" answered from the chain's facts: a holder's tokens vote
 * only once delegated (to themselves or to someone else), and a proposal weighs the power each
 * voter held at its snapshot block, so power gained after the snapshot counts from the next
 * proposal on (OpenZeppelin Governor with ERC20Votes: getPastVotes(voter, proposalSnapshot)).
 *
 * Example: 500 tokens never delegated → "they do not vote", with the one-click fix (delegate to
 * yourself); delegated to yourself at block 120 while proposal P's snapshot is block 100 → you
 * have 500 votes now, 0 at P's snapshot: P cannot count them, the next proposal will.
 */

import { formatUnits, zeroAddress, type Address } from "viem";

export interface VotingPowerFacts {
  self: Address;
  balance: bigint;
  /** Whom the holder's tokens vote through (the zero address: nobody). */
  delegate: Address;
  /** Voting power now (own tokens delegated to self, plus what others delegate to this address). */
  votes: bigint;
  proposals: {
    id: string;
    title: string;
    state: "Pending" | "Active";
    snapshotBlock: bigint;
    /** Power at the snapshot; null while the snapshot block is still ahead. */
    votesAtSnapshot: bigint | null;
    hasVoted: boolean;
  }[];
}

export interface VotingPowerExplanation {
  headline: string;
  /** The one action that gives the holder a vote, when there is one. */
  fix: "delegate-to-self" | null;
  proposals: { id: string; title: string; line: string }[];
}

const votesOf = (x: bigint) => `${Number(formatUnits(x, 18)).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

export function explainVotingPower(f: VotingPowerFacts): VotingPowerExplanation {
  const self = f.delegate.toLowerCase() === f.self.toLowerCase();
  const fromOthers = self ? f.votes - f.balance : f.votes;
  let headline: string;
  let fix: VotingPowerExplanation["fix"] = null;
  if (f.balance > 0n && f.delegate === zeroAddress) {
    headline = `You hold ${votesOf(f.balance)} tokens, but they do not vote: tokens vote only once delegated, to yourself or to someone you trust.${fromOthers > 0n ? ` You do vote with ${votesOf(fromOthers)} that others delegated to you.` : ""}`;
    fix = "delegate-to-self";
  } else if (f.balance > 0n && !self) {
    headline = `Your ${votesOf(f.balance)} tokens vote through ${short(f.delegate)}, not through you.${fromOthers > 0n ? ` You vote with ${votesOf(fromOthers)} that others delegated to you.` : " Your own voting power is 0."}`;
  } else if (f.votes > 0n) {
    headline = `You vote with ${votesOf(f.votes)}${self && f.balance > 0n ? `: your ${votesOf(f.balance)} tokens${fromOthers > 0n ? ` and ${votesOf(fromOthers)} delegated to you` : ""}` : " delegated to you"}.`;
  } else {
    headline = "You hold no tokens and nobody delegates to you: you have no voting power. Acquire tokens and delegate them, or ask a holder to delegate to you.";
  }
  const proposals = f.proposals.map((p) => {
    const at = `its snapshot, block #${p.snapshotBlock}`;
    let line: string;
    if (p.votesAtSnapshot === null) line = `Voting power counts at ${at}, still ahead: delegate before then and it counts. Today you would vote with ${votesOf(f.votes)}.`;
    else if (p.hasVoted) line = `You voted, with the ${votesOf(p.votesAtSnapshot)} you held at ${at}.`;
    else if (p.votesAtSnapshot === 0n && f.votes > 0n) line = `You had no voting power at ${at}: the ${votesOf(f.votes)} you have now came later and count from the next proposal on. A vote weighs the power held at the snapshot, so power cannot be gathered once a proposal is known.`;
    else if (p.votesAtSnapshot === 0n) line = `You had no voting power at ${at}: you cannot vote on it.`;
    else if (p.votesAtSnapshot < f.votes) line = `You can vote with ${votesOf(p.votesAtSnapshot)} (your power at ${at}); the ${votesOf(f.votes - p.votesAtSnapshot)} that came later count from the next proposal on.`;
    else line = `You can vote with ${votesOf(p.votesAtSnapshot)}, your power at ${at}.`;
    return { id: p.id, title: p.title, line };
  });
  return { headline, fix, proposals };
}
