import { describe, expect, it } from "vitest";
import { deriveNotifyEvents, type DeriveNotifyEventsParameters } from "./notifyEvent.ts";

type Proposal = DeriveNotifyEventsParameters["proposals"][number];

/** Fake proposals (a pure function's unit test): only the fields the derivation reads. */
const proposal = (over: Partial<Proposal>): Proposal => ({ id: 7n, description: "# Raise SOL-PERP margin\n\nbody", state: "Pending", voteEnd: 200n, eta: 0n, forVotes: 0n, againstVotes: 0n, ...over });
const at = { chainId: 31337, blockNumber: 100n, timestampSec: 1_000_000n, blockTimeSec: 12, alerts: [] };
const keys = (over: Partial<DeriveNotifyEventsParameters>) => deriveNotifyEvents({ ...at, proposals: [], ...over }).map((e) => e.key);

describe("deriveNotifyEvents (fake proposals and alerts)", () => {
  it.each([
    ["a pending proposal is only new", proposal({ state: "Pending" }), ["created"]],
    ["an active one with 100 blocks of 12 s left (20 min) ends soon", proposal({ state: "Active", voteEnd: 200n }), ["created", "voting-ends-soon"]],
    ["an active one with 7,201 blocks of 12 s left (just over 24 h) does not yet", proposal({ state: "Active", voteEnd: 100n + 7_201n }), ["created"]],
    ["an active one with exactly 24 h left does", proposal({ state: "Active", voteEnd: 100n + 7_200n }), ["created", "voting-ends-soon"]],
    ["a succeeded one is decided as succeeded", proposal({ state: "Succeeded" }), ["created", "succeeded"]],
    ["a defeated one is decided as defeated", proposal({ state: "Defeated" }), ["created", "defeated"]],
    ["a queued one whose eta is one second away is queued, not executable", proposal({ state: "Queued", eta: 1_000_001n }), ["created", "queued"]],
    ["a queued one at its eta is executable", proposal({ state: "Queued", eta: 1_000_000n }), ["created", "queued", "executable"]],
    ["an executed one is executed", proposal({ state: "Executed" }), ["created", "executed"]],
    ["a canceled one is only new", proposal({ state: "Canceled" }), ["created"]],
  ])("%s", (_, p, states) => {
    expect(keys({ proposals: [p] })).toEqual(states.map((s) => `31337:proposal:7:${s}`));
  });

  it("the same state at a later block derives the same keys (the store's unique key makes it one event)", () => {
    const p = proposal({ state: "Queued", eta: 1n });
    expect(keys({ proposals: [p], blockNumber: 101n, timestampSec: 1_000_012n })).toEqual(keys({ proposals: [p] }));
  });

  it("critical alerts are events keyed by their episode; the watchdog's are watchdog findings; warnings are not events", () => {
    const events = deriveNotifyEvents({
      ...at,
      proposals: [],
      alerts: [
        { id: "negative-equity", severity: "critical", title: "Unrecognised bad debt", detail: "…", raisedBlock: 90n },
        { id: "watchdog:7", severity: "critical", title: "Queued proposal 7 no longer does what voters saw", detail: "…", href: "/governance/7", raisedBlock: 95n },
        { id: "watchdog-failed:8", severity: "warning", title: "could not be re-executed", detail: "…", raisedBlock: 95n },
      ],
    });
    expect(events.map((e) => [e.kind, e.key, e.path])).toEqual([
      ["alert.critical", "31337:alert:negative-equity:90", "/"],
      ["watchdog.finding", "31337:alert:watchdog:7:95", "/governance/7"],
    ]);
  });
});
