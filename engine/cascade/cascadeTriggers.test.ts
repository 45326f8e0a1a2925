import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateCascadeExact } from "../reference/simulateCascadeExact.ts";
import { arbitraryAdversarialCascade, arbitraryCancellingCascade, arbitraryCascade } from "../testing/arbitraryCascades.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { simulateCascade, type CascadeParameters } from "./simulateCascade.ts";

describe("cascade on price triggers", () => {
  it("test_fuzz_adversarial_venues_cascade_equals_the_full_rescan: extreme marks, sizes and ratios, margins at the line", () => {
    const seen = { liquidations: 0, insurance: 0, badDebtOrAdl: 0, dust: 0 };
    fc.assert(
      fc.property(arbitraryAdversarialCascade, (parameters) => {
        const fast = simulateCascade(parameters);
        expect(fast).toEqual(simulateCascadeExact(parameters));
        // The cascade reads its input's columns in place: a second one on the same snapshot finds them as they were.
        expect(simulateCascade(parameters)).toEqual(fast);
        seen.liquidations += fast.totals.liquidations > 0 ? 1 : 0;
        seen.badDebtOrAdl += fast.totals.badDebtUsd > 0 || fast.totals.adlAbsorbedUsd > 0 ? 1 : 0;
        seen.insurance += fast.totals.insuranceDrawUsd > 0 ? 1 : 0;
        seen.dust += fast.steps.some((step) => step.dustAccounts > 0) ? 1 : 0;
      }),
      { numRuns: 200, seed: 23 },
    );
    // The venues reach every layer: liquidations, reserves drawn, losses past them, dust.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });

  it("test_fuzz_triggers_hold_where_the_float_slope_cancels: maintenance ratio a wei short of 1, accounts at the line", () => {
    fc.assert(
      fc.property(arbitraryCancellingCascade, (parameters) => {
        expect(simulateCascade(parameters)).toEqual(simulateCascadeExact(parameters));
      }),
      { numRuns: 150, seed: 17 },
    );
  });

  it("test_fuzz_triggered_cascade_equals_the_full_rescan_to_the_wei: steps, totals, amplification and the final state", () => {
    fc.assert(
      fc.property(arbitraryCascade, (parameters) => {
        expect(simulateCascade(parameters)).toEqual(simulateCascadeExact(parameters));
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it("the property reaches every layer: liquidations, bankruptcies drawing reserves, ADL, dust and waiting accounts", () => {
    const seen = { liquidations: 0, insurance: 0, adl: 0, badDebt: 0, dust: 0, waiting: 0 };
    fc.assert(
      fc.property(arbitraryCascade, (parameters) => {
        const r = simulateCascade(parameters);
        seen.liquidations += r.totals.liquidations;
        seen.insurance += r.totals.insuranceDrawUsd > 0 ? 1 : 0;
        seen.adl += r.totals.adlAbsorbedUsd > 0 ? 1 : 0;
        seen.badDebt += r.totals.badDebtUsd > 0 ? 1 : 0;
        seen.dust += r.steps.some((s) => s.dustAccounts > 0) ? 1 : 0;
        seen.waiting += r.steps.some((s) => s.waitingAccounts > 0) ? 1 : 0;
      }),
      { numRuns: 300, seed: 15 },
    );
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])("a step cut short by maxRounds = %i, with liquidations and dust in its last round: the same dust notional as the full rescan", (maxRounds) => {
    // Dust the float proves (rewards far under $20 of gas) beside accounts worth liquidating, and a
    // fall deep enough that the spiral still liquidates when the rounds run out.
    const snapshot = syntheticSnapshot(300, { seed: 21, nearMaintenance: 0.6 });
    const parameters: CascadeParameters = { snapshot, path: [[-0.06, -0.06, -0.06], [-0.04, -0.04, -0.04]], impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 1e5 })), keeper: { gasCostUsd: 20 }, maxRounds };
    const fast = simulateCascade(parameters);
    expect(fast.steps[0]!.liquidations).toBeGreaterThan(0);
    expect(fast.steps[0]!.dustNotionalUsd).toBeGreaterThan(0);
    expect(fast).toEqual(simulateCascadeExact(parameters));
  });

  it("a long book falling 30 % over 48 steps into thin depth: the same cascade as the full rescan", () => {
    const snapshot = syntheticSnapshot(400, { seed: 9, nearMaintenance: 0.2 });
    const parameters: CascadeParameters = { snapshot, path: Array.from({ length: 48 }, () => [-0.0074, -0.0074, -0.0074]), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 2e6 })), keeper: { gasCostUsd: 5 } };
    const fast = simulateCascade(parameters);
    expect(fast.totals.liquidations).toBeGreaterThan(50);
    expect(fast).toEqual(simulateCascadeExact(parameters));
    expect(simulateCascade(parameters)).toEqual(fast);
  });

  it("bankrupt accounts, parked as dust, are liquidated as soon as a rebound makes them pay: a crash, a slow recovery, the same cascade as the full rescan", () => {
    // A −15 % step leaves accounts bankrupt before any keeper sees them (no reward: dust at any
    // gas); 200 steps of +0.1 % then lift their equity back through zero, a little each step. At
    // a gas of $0.000001 one pays its keeper a step or so after its equity turns positive: a
    // trigger that waited past its budget would leave it dust a step longer than the full rescan.
    const snapshot = syntheticSnapshot(400, { seed: 5, nearMaintenance: 0.5 });
    const parameters: CascadeParameters = {
      snapshot,
      path: [snapshot.markets.map(() => -0.15), ...Array.from({ length: 200 }, () => snapshot.markets.map(() => 0.001))],
      impact: snapshot.markets.map(() => ({ model: "linear" as const, depthUsd: Infinity })),
      keeper: { gasCostUsd: 0.000001 },
    };
    const fast = simulateCascade(parameters);
    expect(fast).toEqual(simulateCascadeExact(parameters));
    // Dust after the crash, and some of it liquidated on the way back up.
    expect(fast.steps[0]!.dustAccounts).toBeGreaterThan(10);
    expect(fast.steps.slice(1).reduce((n, step) => n + step.liquidations, 0)).toBeGreaterThan(5);
    expect(fast.steps.at(-1)!.dustAccounts).toBeLessThan(fast.steps[0]!.dustAccounts);
  });
});
