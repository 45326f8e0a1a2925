/**
 * createWatchdog({ forkUrl, deployment, everyBlocks }) — every queued proposal re-executed on a
 * fork of the live chain every `everyBlocks` blocks, compared with the execution voters saw (the
 * fork of the block it was queued in, kept once made): when the two depart (compareOutcomes: a
 * new revert, a changed code hash, a different state or storage diff, more accounts liquidated),
 * a critical alert names the differences and points at the proposal page, which offers the
 * guardian's cancel.
 *
 * Cost: one fork per pass, every `everyBlocks` blocks, whatever the number of queued proposals:
 * each is simulated on it between evm_snapshot and evm_revert, and the fork's lens snapshot is
 * read once (lib/fork/forkChain). What voters saw is simulated once per proposal, on a fork of its
 * queue block, and kept. The governor's events (proposals created, queued, executed, canceled) are
 * read once: each pass reads only the blocks since the last, and one `state` read per proposal
 * its events leave queued confirms it (an expired one drops out there). A pass still running when
 * the next is due is not doubled — the next block after it finishes starts the next. A proposal
 * no longer queued drops out with its alert.
 */

import type { Address, Hex, PublicClient } from "viem";
import type { Alert } from "../../engine/index.ts";
import { readProposalStages } from "../actions/readProposalRecord.ts";
import { decodeCall, type ProposalCall } from "../codec/governanceCodec.ts";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import { codeHashOf, type Deployment } from "../contracts/deployment.ts";
import { messageOf } from "../errors/messageOf.ts";
import { compareOutcomes, type WatchedOutcome } from "./compareOutcomes.ts";
import { forkChain, type Fork } from "./forkChain.ts";
import { createQueuedProposalReader, type QueuedProposal } from "./createQueuedProposalReader.ts";

export interface WatchdogFinding {
  proposalId: bigint;
  /** The block voters' simulation forked (the proposal's queue block) and the one compared with it. */
  seenAt: bigint;
  checkedAt: bigint;
  /** Empty: it still does what voters saw. */
  differences: string[];
  /** The simulation could not run, in words (a warning, not a critical alert). */
  error?: string;
}

export interface Watchdog {
  /** A new block: starts a pass when one is due and none is running. */
  onBlock(client: PublicClient, blockNumber: bigint): void;
  /** One pass at `blockNumber`, awaited (what onBlock runs). */
  check(client: PublicClient, blockNumber: bigint): Promise<WatchdogFinding[]>;
  /** The latest pass's findings; the critical alerts of those that departed, and a warning for each that could not be checked. */
  findings(): WatchdogFinding[];
  alerts(): Alert[];
  /** The latest pass's cost. */
  lastPass(): { blockNumber: bigint; proposals: number; ms: number } | undefined;
}

export interface CreateWatchdogParameters {
  forkUrl: string;
  deployment: Deployment;
  /** Re-simulate every this many blocks (default 10). */
  everyBlocks?: bigint;
}

/** The alert a departed proposal raises: its id is `watchdog:<proposalId>`. */
export function watchdogAlert(finding: WatchdogFinding): Alert {
  return {
    id: `watchdog:${finding.proposalId}`,
    severity: "critical",
    title: `Queued proposal ${finding.proposalId.toString().slice(0, 10)}… no longer does what voters saw`,
    detail: `Re-executed on a fork of block #${finding.checkedAt} and compared with the fork of block #${finding.seenAt}, where it was queued: ${finding.differences.join("; ")}. The guardian can cancel it from the proposal page before it runs.`,
    href: `/governance/${finding.proposalId}`,
  };
}

/** A proposal the watchdog could not re-execute: not a departure, but not watched either. */
export function watchdogFailure(finding: WatchdogFinding): Alert {
  return {
    id: `watchdog-failed:${finding.proposalId}`,
    severity: "warning",
    title: `Queued proposal ${finding.proposalId.toString().slice(0, 10)}… could not be re-executed on a fork`,
    detail: `At block #${finding.checkedAt}: ${finding.error}. Until a check succeeds, a change in what it does would go unnoticed.`,
    href: `/governance/${finding.proposalId}`,
  };
}

async function codeHashes(client: PublicClient, addresses: readonly Address[], blockNumber: bigint): Promise<Record<string, Hex>> {
  const unique = [...new Set(addresses.map((a) => a.toLowerCase() as Address))];
  const hashes = await Promise.all(unique.map(async (address) => codeHashOf(await client.getCode({ address, blockNumber }))));
  return Object.fromEntries(unique.map((a, i) => [a, hashes[i]!]));
}

export function createWatchdog({ forkUrl, deployment, everyBlocks = 10n }: CreateWatchdogParameters): Watchdog {
  /** What voters saw, per proposal and queue block. */
  const seen = new Map<string, Promise<WatchedOutcome>>();
  const queuedProposals = createQueuedProposalReader({ deployment });
  let latest: WatchdogFinding[] = [];
  let last: { blockNumber: bigint; proposals: number; ms: number } | undefined;
  let running = false;
  let lastChecked: bigint | undefined;

  async function outcome(client: PublicClient, fork: Fork, calls: ProposalCall[]): Promise<WatchedOutcome> {
    const simulation = await fork.simulate({ deployment, calls });
    const contracts = [...calls.map((c) => c.target), ...simulation.contracts.map((c) => c.address)];
    return { forkBlock: fork.blockNumber, simulation, codeHashes: await codeHashes(client, contracts, fork.blockNumber) };
  }

  /**
   * What voters saw, made once and kept: the proposal on a fork of its queue block, and the band
   * of newly liquidatable accounts the proposal page showed them when voting ended (its stage
   * table: lib/actions/readProposalStages) — none for calls the decoder cannot read.
   */
  function votersSaw(client: PublicClient, proposal: QueuedProposal): Promise<WatchedOutcome> {
    const key = `${proposal.id}:${proposal.queuedAt}`;
    let voters = seen.get(key);
    if (!voters) {
      voters = (async () => {
        const fork = await forkChain({ forkUrl, blockNumber: proposal.queuedAt });
        const simulated = await outcome(client, fork, proposal.calls).finally(() => fork.stop());
        return { ...simulated, band: await bandShown(client, proposal) };
      })();
      seen.set(key, voters);
      voters.catch(() => seen.delete(key));
    }
    return voters;
  }

  async function bandShown(client: PublicClient, proposal: QueuedProposal): Promise<WatchedOutcome["band"]> {
    const changes = proposal.calls.flatMap((c) => {
      const d = decodeCall(c, deployment);
      return d.kind === "change" ? [d.change] : [];
    });
    if (!changes.length) return undefined;
    const voteEnd = await client.readContract({ address: deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "proposalDeadline", args: [proposal.id], blockNumber: proposal.queuedAt });
    const stages = await readProposalStages(client, { deployment, proposal: { id: proposal.id, createdBlock: proposal.createdBlock, voteEnd }, changes, snapshot: { blockNumber: proposal.queuedAt } });
    const band = stages.filter((s) => s.band).at(-1)?.band;
    return band && { p5: band.p5, p95: band.p95 };
  }

  async function check(client: PublicClient, blockNumber: bigint): Promise<WatchdogFinding[]> {
    const started = performance.now();
    const queued = await queuedProposals(client, blockNumber);
    const findings: WatchdogFinding[] = [];
    // One fork of this block for every queued proposal: each simulation leaves it as it found it.
    const fork: Fork | { error: string } | undefined = queued.length ? await forkChain({ forkUrl, blockNumber }).catch((error: unknown) => ({ error: messageOf(error) })) : undefined;
    try {
      for (const proposal of queued) {
        const finding = { proposalId: proposal.id, seenAt: proposal.queuedAt, checkedAt: blockNumber };
        try {
          if (!fork || "error" in fork) throw new Error(fork?.error);
          const voters = await votersSaw(client, proposal);
          findings.push({ ...finding, differences: compareOutcomes(voters, await outcome(client, fork, proposal.calls)) });
        } catch (error) {
          findings.push({ ...finding, differences: [], error: messageOf(error) });
        }
      }
    } finally {
      if (fork && !("error" in fork)) await fork.stop();
    }
    // What voters saw of proposals no longer queued is not needed again.
    const live = new Set(queued.map((p) => p.id.toString()));
    for (const k of seen.keys()) if (!live.has(k.split(":")[0]!)) seen.delete(k);
    latest = findings;
    last = { blockNumber, proposals: queued.length, ms: performance.now() - started };
    return findings;
  }

  return {
    onBlock(client, blockNumber) {
      if (running || (lastChecked !== undefined && blockNumber - lastChecked < everyBlocks && blockNumber >= lastChecked)) return;
      running = true;
      lastChecked = blockNumber;
      check(client, blockNumber)
        .catch(() => undefined)
        .finally(() => {
          running = false;
        });
    },
    check,
    findings: () => latest,
    alerts: () => latest.flatMap((f): Alert[] => (f.differences.length ? [watchdogAlert(f)] : f.error ? [watchdogFailure(f)] : [])),
    lastPass: () => last,
  };
}
