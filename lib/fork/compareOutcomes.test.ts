import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { compareOutcomes, type WatchedOutcome } from "./compareOutcomes.ts";

const target = "0x00000000000000000000000000000000000000aa" as Address;
const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
const codeHash = (prefix: string) => `0x${prefix.padEnd(64, "0")}` as Hex;

/** What voters saw: one call that succeeds, ETH-PERP MMR 5% → 10%, accounts 1 and 2 liquidated, one slot written. */
const seen: WatchedOutcome = {
  forkBlock: 100n,
  simulation: {
    executes: true,
    calls: [{ target, value: 0n, calldata: "0x", status: "success", gasUsed: 50_000n, events: [] }],
    stateChanges: [{ what: "ETH-PERP Maintenance margin (MMR)", before: "5%", after: "10%" }],
    newlyLiquidatable: [a(1), a(2)],
    storageChanges: [{ address: target, slot: hash(16), before: hash(5), after: hash(10) }],
    contracts: [
      { address: target, codeHash: codeHash("c0de5eed") },
      { address: a(0xbe), codeHash: codeHash("be9191") },
    ],
  },
  codeHashes: { [target]: codeHash("c0de5eed") },
};
const now = (change: (o: WatchedOutcome) => void): WatchedOutcome => {
  const o = structuredClone(seen);
  o.forkBlock = 110n;
  change(o);
  return o;
};

describe("compareOutcomes", () => {
  it.each<[string, WatchedOutcome, string[]]>([
    ["the same execution ten blocks later departs in nothing", now(() => {}), []],
    [
      "a call that now reverts names the call and its reason, and the state it no longer changes",
      now((o) => {
        o.simulation.calls[0] = { ...o.simulation.calls[0]!, status: "reverted", revert: "the caller lacks the governance role" };
        o.simulation.executes = false;
        o.simulation.stateChanges = [];
        o.simulation.storageChanges = [];
        o.simulation.newlyLiquidatable = [];
      }),
      ["call 1 now reverts: the caller lacks the governance role", "ETH-PERP Maintenance margin (MMR): voters saw it end at 10%; now it is not changed", "1 storage slot ends elsewhere than voters saw (first: 0x00000000000000000000000000000000000000aa:0x0000000000000000000000000000000000000000000000000000000000000010)"],
    ],
    ["a target whose code hash changed", now((o) => (o.codeHashes[target] = codeHash("badc0de1"))), [`the code of ${target} changed (0xc0de5eed… → 0xbadc0de1…)`]],
    [
      "a governable value that ends elsewhere, and one changed that voters did not see",
      now((o) => {
        o.simulation.stateChanges = [
          { what: "ETH-PERP Maintenance margin (MMR)", before: "5%", after: "12%" },
          { what: "ADL mode", before: "queue", after: "pro-rata" },
        ];
      }),
      ["ETH-PERP Maintenance margin (MMR): voters saw it end at 10%; now it ends at 12%", "ADL mode: now changed, to pro-rata, which voters did not see"],
    ],
    [
      "a proxy target pointed at another implementation: its own code is the same, the calls now reach code voters' execution did not",
      now((o) => (o.simulation.contracts = [o.simulation.contracts![0]!, { address: a(0xba), codeHash: codeHash("ba0bab") }])),
      [`the calls now reach ${a(0xba)} (code 0xba0bab00…), which the execution voters saw did not`],
    ],
    ["more accounts liquidated than voters were shown", now((o) => (o.simulation.newlyLiquidatable = [a(1), a(2), a(3)])), ["3 accounts newly liquidatable, where voters were shown 2 (1 not among them)"]],
    ["other accounts but no more than voters were shown stay within what they saw", now((o) => (o.simulation.newlyLiquidatable = [a(1), a(3)])), []],
    ["fewer accounts liquidated is not a departure to alarm about", now((o) => (o.simulation.newlyLiquidatable = [a(1)])), []],
  ])("%s", (_, outcome, expected) => {
    expect(compareOutcomes(seen, outcome)).toEqual(expected);
  });

  /** Voters were shown, on the proposal page, a band of accounts newly liquidatable across the execution window; the simulation at the queue block liquidated 2. */
  it.each<[string, { p5: number; p95: number }, Address[], string[]]>([
    ["more accounts than the simulation voters saw, but inside the band the page showed them, is not a departure", { p5: 2, p95: 6 }, [a(1), a(2), a(3), a(4), a(5), a(6)], []],
    ["above the band's 95th percentile is, named with the band and the count", { p5: 2, p95: 6 }, [a(1), a(2), a(3), a(4), a(5), a(6), a(7)], ["7 accounts newly liquidatable, above what voters were shown (2–6 across the execution window, 2 at the queue block)"]],
    ["a band below the count at the queue block (a count on a knife-edge, which any move lowers): the count is what voters were shown", { p5: 1, p95: 1 }, [a(1), a(2)], []],
  ])("%s", (_, band, liquidated, expected) => {
    expect(compareOutcomes({ ...seen, band }, now((o) => (o.simulation.newlyLiquidatable = liquidated)))).toEqual(expected);
  });
});
