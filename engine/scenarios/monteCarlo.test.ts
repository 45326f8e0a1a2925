import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { runMonteCarlo } from "./monteCarlo.ts";

const snapshot = syntheticSnapshot(150, { seed: 11, nearMaintenance: 0.2 });
const run = (over: Partial<Parameters<typeof runMonteCarlo>[0]> = {}) => runMonteCarlo({ snapshot, volatility: [0.05, 0.04, 0.08], paths: 60, seed: 3, ...over });

describe("runMonteCarlo", () => {
  it("same seed, same paths, same answer; another seed, other paths", () => {
    expect(run()).toEqual(run());
    expect(run({ seed: 4 }).liquidatedNotional).not.toEqual(run().liquidatedNotional);
  });

  it("VaR at q is the ⌈q·n⌉-th smallest loss, and expected shortfall the mean of the losses at or beyond it", () => {
    const result = run({ levels: [0.5, 0.9, 0.99] });
    const sorted = [...result.losses].sort((a, b) => a - b);
    for (const [key, q] of [["50%", 0.5], ["90%", 0.9], ["99%", 0.99]] as const) {
      const v = sorted[Math.ceil(q * sorted.length) - 1]!;
      const tail = sorted.filter((x) => x >= v);
      expect(result.var[key]).toBe(v);
      expect(result.expectedShortfall[key]).toBeCloseTo(tail.reduce((a, b) => a + b, 0) / tail.length, 9);
      expect(result.expectedShortfall[key]).toBeGreaterThanOrEqual(v);
    }
  });

  it("losses and liquidations are never negative, one per path; twenty times the volatility on the same draws liquidates more at the 99 % level", () => {
    const calm = run({ volatility: [0.01, 0.01, 0.01] });
    const wild = run({ volatility: [0.2, 0.2, 0.2] });
    for (const r of [calm, wild]) {
      expect(r.losses).toHaveLength(60);
      expect(r.liquidatedNotional).toHaveLength(60);
      expect(r.losses.every((x) => x >= 0) && r.liquidatedNotional.every((x) => x >= 0)).toBe(true);
    }
    expect(wild.liquidationsAtRisk["99%"]).toBeGreaterThan(calm.liquidationsAtRisk["99%"]!);
  });

  it("reports progress once per path", () => {
    const seen: number[] = [];
    run({ paths: 5, onPath: (done, total) => seen.push(done / total) });
    expect(seen).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
  });
});
