/**
 * compareOutcomes(seen, now) — how a proposal's fork execution now departs from the one voters
 * saw, in words; empty when it does the same. The watchdog (lib/fork/createWatchdog.ts) raises a
 * critical alert on any difference.
 *
 *   a new revert        a call that succeeded now reverts (or the reverse: a call that reverted
 *                       now runs — a proposal voted through as harmless because it reverted)
 *   code changed        a target's (or a contract of the call tree's) code hash differs, or the
 *                       calls now reach a contract the execution voters saw did not (a proxy
 *                       pointed at another implementation: its own code is unchanged)
 *   a different diff    a governable value the execution changes ends elsewhere, is changed only
 *                       in one of the two, or a storage slot of a touched contract ends elsewhere
 *   more liquidations   accounts newly liquidatable now above what voters were shown: the
 *                       proposal page's band across the execution window (its 95th percentile)
 *                       as it stood when voting ended, or the count at the queue block where
 *                       that is higher; for calls the decoder cannot read (no
 *                       band on the page) the count of the simulation they saw, accounts that
 *                       were in it not counting against it
 *
 * Example: voters saw "ETH-PERP MMR 5% → 10%, 12 accounts liquidatable"; the target's code is
 * swapped and the call now reverts → ["call 1 now reverts: …", "the code of 0xab… changed
 * (0x12… → 0x9f…)", "ETH-PERP Maintenance margin (MMR): voters saw it end at 10%; now it is not
 * changed"].
 */

import type { Address, Hex } from "viem";
import type { ProposalSimulation } from "./simulateOnFork.ts";

/** A simulation with the code hash of every contract it depends on (the targets, the call tree). */
export interface WatchedOutcome {
  forkBlock: bigint;
  simulation: Pick<ProposalSimulation, "calls" | "executes" | "stateChanges" | "newlyLiquidatable"> & Partial<Pick<ProposalSimulation, "storageChanges" | "contracts">>;
  /** Lower-case address → keccak256 of its runtime code at forkBlock ("0x" code hashes alike). */
  codeHashes: Record<string, Hex>;
  /** The band of accounts newly liquidatable across the execution window voters were shown, if the page showed one. */
  band?: { p5: number; p95: number };
}

const short = (h: string) => `${h.slice(0, 10)}…`;

export function compareOutcomes(seen: WatchedOutcome, now: WatchedOutcome): string[] {
  const differences: string[] = [];
  seen.simulation.calls.forEach((was, i) => {
    const is = now.simulation.calls[i];
    if (!is || is.status === was.status) return;
    if (is.status === "reverted") differences.push(`call ${i + 1} now reverts: ${is.revert ?? "no reason given"}`);
    else if (was.status === "reverted" && is.status === "success") differences.push(`call ${i + 1} reverted when voters saw it and now succeeds`);
    else if (is.status === "not run") differences.push(`call ${i + 1} no longer runs: an earlier call reverts`);
  });
  for (const [address, was] of Object.entries(seen.codeHashes)) {
    const is = now.codeHashes[address];
    if (is !== undefined && is !== was) differences.push(`the code of ${address} changed (${short(was)} → ${short(is)})`);
  }
  if (seen.simulation.contracts && now.simulation.contracts) {
    const reached = new Set(seen.simulation.contracts.map((c) => c.address.toLowerCase()));
    for (const c of now.simulation.contracts) {
      if (!reached.has(c.address.toLowerCase())) differences.push(`the calls now reach ${c.address.toLowerCase()} (code ${short(c.codeHash)}), which the execution voters saw did not`);
    }
  }
  const seenEnd = new Map(seen.simulation.stateChanges.map((c) => [c.what, c.after]));
  const nowEnd = new Map(now.simulation.stateChanges.map((c) => [c.what, c.after]));
  for (const [what, after] of seenEnd) {
    const is = nowEnd.get(what);
    if (is === undefined) differences.push(`${what}: voters saw it end at ${after}; now it is not changed`);
    else if (is !== after) differences.push(`${what}: voters saw it end at ${after}; now it ends at ${is}`);
  }
  for (const [what, after] of nowEnd) if (!seenEnd.has(what)) differences.push(`${what}: now changed, to ${after}, which voters did not see`);
  if (seen.simulation.storageChanges && now.simulation.storageChanges) {
    const key = (c: { address: Address; slot: Hex }) => `${c.address.toLowerCase()}:${c.slot}`;
    const seenSlots = new Map(seen.simulation.storageChanges.map((c) => [key(c), c.after]));
    const nowSlots = new Map(now.simulation.storageChanges.map((c) => [key(c), c.after]));
    const moved = [...new Set([...seenSlots.keys(), ...nowSlots.keys()])].filter((k) => seenSlots.get(k) !== nowSlots.get(k));
    if (moved.length) differences.push(`${moved.length} storage slot${moved.length === 1 ? "" : "s"} end${moved.length === 1 ? "s" : ""} elsewhere than voters saw (first: ${moved[0]})`);
  }
  const count = now.simulation.newlyLiquidatable.length;
  if (seen.band) {
    // The band's top, or the count at the queue block where that is above it (a count on a knife-edge, which any move lowers).
    const shownAtQueue = seen.simulation.newlyLiquidatable.length;
    if (count > Math.max(seen.band.p95, shownAtQueue)) differences.push(`${count} accounts newly liquidatable, above what voters were shown (${seen.band.p5}–${seen.band.p95} across the execution window, ${shownAtQueue} at the queue block)`);
  } else {
    const shown = new Set(seen.simulation.newlyLiquidatable.map((a) => a.toLowerCase()));
    const outside = now.simulation.newlyLiquidatable.filter((a) => !shown.has(a.toLowerCase()));
    if (outside.length && count > seen.simulation.newlyLiquidatable.length) {
      differences.push(`${count} accounts newly liquidatable, where voters were shown ${seen.simulation.newlyLiquidatable.length} (${outside.length} not among them)`);
    }
  }
  return differences;
}
