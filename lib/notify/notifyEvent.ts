/**
 * deriveNotifyEvents({ chainId, blockNumber, timestampSec, blockTimeSec, proposals, alerts }) —
 * what one block says subscribers should hear about, as events each named by a stable
 * idempotency key. The same state seen at the next block derives the same keys, so the store
 * (notifyStore.enqueueEvents, a unique key) keeps each event once however often it is derived:
 * the diff against what was already emitted is the key, not a memory of the previous block.
 *
 * Keys, for chain id C:
 * - `C:proposal:<id>:created | voting-ends-soon | succeeded | defeated | queued | executable | executed`
 * - `C:alert:<alertId>:<raisedBlock>`, one per episode of an alert: raised, cleared, raised again
 *   is a new event (the episode's first block comes with the alert, notifyStore.alertEpisodes).
 *
 * Only a proposal's current state is an event: a proposal queued and executed between two blocks
 * the server read is announced as executed, not queued first.
 */

import type { Alert } from "../../engine/index.ts";
import { proposalTitle, type ProposalSummary } from "../actions/readProposals.ts";

export const NOTIFY_EVENT_KINDS = ["proposal.created", "proposal.voting-ends-soon", "proposal.decided", "proposal.queued", "proposal.executable", "proposal.executed", "alert.critical", "watchdog.finding"] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

/** What each kind is called on the page and in messages. */
export const NOTIFY_EVENT_LABELS = {
  "proposal.created": "New proposal",
  "proposal.voting-ends-soon": "Voting ends within 24 h",
  "proposal.decided": "Succeeded or defeated",
  "proposal.queued": "Queued in the timelock",
  "proposal.executable": "Executable (timelock passed)",
  "proposal.executed": "Executed",
  "alert.critical": "Critical risk alert",
  "watchdog.finding": "Watchdog finding",
} as const satisfies Record<NotifyEventKind, string>;

/** "Voting ends soon" is announced once the estimated time left is at most this. */
export const VOTING_ENDS_SOON_SEC = 24 * 60 * 60;

export interface NotifyEvent {
  /** The idempotency key: stable for one fact, sent with every delivery of it. */
  key: string;
  kind: NotifyEventKind;
  chainId: number;
  /** The block it was first seen at. */
  blockNumber: string;
  title: string;
  text: string;
  /** Where Backstop shows its subject, relative to the dashboard (e.g. /governance/123). */
  path: string;
  /** The subject's identifiers: proposalId and state, or alertId and severity. */
  subject: Record<string, string>;
}

export interface DeriveNotifyEventsParameters {
  chainId: number;
  blockNumber: bigint;
  timestampSec: bigint;
  /** Mean seconds per block, to turn the blocks of voting left into time. */
  blockTimeSec: number;
  proposals: readonly Pick<ProposalSummary, "id" | "description" | "state" | "voteEnd" | "eta" | "forVotes" | "againstVotes">[];
  /** The block's alerts, each with the block its current episode began at. */
  alerts: readonly (Alert & { raisedBlock: bigint })[];
}

export function deriveNotifyEvents({ chainId, blockNumber, timestampSec, blockTimeSec, proposals, alerts }: DeriveNotifyEventsParameters): NotifyEvent[] {
  const events: NotifyEvent[] = [];
  for (const p of proposals) {
    const title = proposalTitle(p);
    const event = (kind: NotifyEventKind, state: string, heading: string, text: string) =>
      events.push({ key: `${chainId}:proposal:${p.id}:${state}`, kind, chainId, blockNumber: blockNumber.toString(), title: `${heading}: ${title}`, text, path: `/governance/${p.id}`, subject: { proposalId: p.id.toString(), state } });
    event("proposal.created", "created", "New proposal", `Proposal ${shortId(p.id)} was created; voting ends at block #${p.voteEnd}.`);
    switch (p.state) {
      case "Active": {
        const leftSec = Number(p.voteEnd - blockNumber) * blockTimeSec;
        if (leftSec <= VOTING_ENDS_SOON_SEC) event("proposal.voting-ends-soon", "voting-ends-soon", "Voting ends soon", `Voting on proposal ${shortId(p.id)} ends at block #${p.voteEnd}, in about ${formatHours(leftSec)}.`);
        break;
      }
      case "Succeeded":
      case "Defeated":
        event("proposal.decided", p.state.toLowerCase(), p.state, `Proposal ${shortId(p.id)} ${p.state === "Succeeded" ? "passed" : "was defeated"}: ${p.forVotes} for, ${p.againstVotes} against (token units of 10⁻¹⁸).`);
        break;
      case "Queued":
        event("proposal.queued", "queued", "Queued", `Proposal ${shortId(p.id)} is queued in the timelock; it can be executed from ${isoTime(p.eta)}.`);
        if (p.eta > 0n && timestampSec >= p.eta) event("proposal.executable", "executable", "Executable", `Proposal ${shortId(p.id)}'s timelock delay has passed: anyone can execute it now.`);
        break;
      case "Executed":
        event("proposal.executed", "executed", "Executed", `Proposal ${shortId(p.id)} was executed.`);
        break;
    }
  }
  for (const alert of alerts) {
    if (alert.severity !== "critical") continue;
    const watchdog = alert.id.startsWith("watchdog:");
    events.push({
      key: `${chainId}:alert:${alert.id}:${alert.raisedBlock}`,
      kind: watchdog ? "watchdog.finding" : "alert.critical",
      chainId,
      blockNumber: blockNumber.toString(),
      title: alert.title,
      text: alert.detail,
      path: alert.href ?? "/",
      subject: { alertId: alert.id, severity: alert.severity },
    });
  }
  return events;
}

function shortId(id: bigint): string {
  const text = id.toString();
  return text.length > 12 ? `${text.slice(0, 10)}…` : text;
}

function formatHours(seconds: number): string {
  return seconds < 3600 ? `${Math.max(1, Math.round(seconds / 60))} min` : `${(seconds / 3600).toFixed(1)} h`;
}

function isoTime(unixSec: bigint): string {
  return new Date(Number(unixSec) * 1000).toISOString().replace(".000Z", "Z");
}
