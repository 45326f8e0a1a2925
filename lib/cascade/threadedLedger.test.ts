import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathFromMoves } from "../../engine/scenarios/scenarios.ts";
import { simulateCascade, type CascadeParameters } from "../../engine/cascade/simulateCascade.ts";
import { simulateCascadeExact } from "../../engine/reference/simulateCascadeExact.ts";
import type { SolventLedgerFactory } from "../../engine/cascade/solventLedger.ts";
import { arbitraryAdversarialCascade, arbitraryCascade } from "../../engine/testing/arbitraryCascades.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { threadedLedger } from "./threadedLedger.ts";

/** threadedLedger at every size, counting the cascades whose ledger ran on the thread. */
function countingLedger() {
  const factory = threadedLedger({ minRows: 0 });
  const counts = { thread: 0, inline: 0 };
  const ledger: SolventLedgerFactory = (setup) => {
    const made = factory(setup);
    counts[made.where]++;
    return made;
  };
  return { ledger, counts };
}

describe("the cascade's ledger on a worker thread", () => {
  it("test_fuzz_threaded_ledger_equals_the_full_rescan: random venues, bankruptcies and ADL flushing it mid-round, to the wei", () => {
    const { ledger, counts } = countingLedger();
    let liquidations = 0;
    fc.assert(
      fc.property(arbitraryCascade, (parameters) => {
        const threaded = simulateCascade({ ...parameters, ledger });
        expect(threaded).toEqual(simulateCascadeExact(parameters));
        liquidations += threaded.totals.liquidations;
      }),
      { numRuns: 80, seed: 31 },
    );
    expect(counts.thread).toBe(80);
    expect(liquidations).toBeGreaterThan(0);
  });

  it("adversarial venues: values too wide for the shared floats stay on the cascade's thread, and the outcome is the full rescan's", () => {
    const { ledger, counts } = countingLedger();
    fc.assert(
      fc.property(arbitraryAdversarialCascade, (parameters) => {
        expect(simulateCascade({ ...parameters, ledger })).toEqual(simulateCascadeExact(parameters));
      }),
      { numRuns: 80, seed: 37 },
    );
    expect(counts.thread).toBeGreaterThan(0);
    expect(counts.inline).toBeGreaterThan(0);
  });

  it("a long book falling 30 % over 48 steps: the thread's cascade equals the inline one, final state included", () => {
    const snapshot = syntheticSnapshot(3000, { seed: 5, nearMaintenance: 0.3 });
    const parameters: CascadeParameters = { snapshot, path: pathFromMoves(snapshot.markets.map(() => -0.3), 48), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 7.5e6 })), keeper: { gasCostUsd: 5 } };
    const { ledger, counts } = countingLedger();
    const threaded = simulateCascade({ ...parameters, ledger });
    expect(counts.thread).toBe(1);
    expect(threaded.totals.liquidations).toBeGreaterThan(300);
    expect(threaded).toEqual(simulateCascade(parameters));
  });
});
