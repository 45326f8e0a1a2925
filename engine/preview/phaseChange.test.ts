import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateMarketParams } from "../validation/validateParams.ts";
import type { MarketParams } from "../types.ts";
import { phaseChange } from "./phaseChange.ts";

const pct = (x: number) => BigInt(Math.round(x * 1e4)) * 10n ** 14n;
const params = (imr: number, mmr: number, penalty: number): MarketParams => ({ imrWad: pct(imr), mmrWad: pct(mmr), liquidationPenaltyWad: pct(penalty), keeperShareWad: pct(0.5), oiCapUsd: 10n ** 26n, concentrationCapWad: pct(0.2), oracleMaxAgeSec: 3600n });

describe("phaseChange", () => {
  it("MMR 10 % → 20 % in two steps: 15 %, then exactly the target", () => {
    const steps = phaseChange(params(0.2, 0.1, 0.02), params(0.3, 0.2, 0.02), 2);
    expect(steps.map((s) => [s.imrWad, s.mmrWad])).toEqual([[pct(0.25), pct(0.15)], [pct(0.3), pct(0.2)]]);
  });

  it("test_fuzz_every_step_between_two_valid_parameter_sets_is_valid_and_the_last_is_the_target", () => {
    const valid = fc.record({ mmr: fc.double({ min: 0.005, max: 0.45, noNaN: true }), gap: fc.double({ min: 0.001, max: 0.5, noNaN: true }), penaltyShare: fc.double({ min: 0, max: 0.9, noNaN: true }) }).map(({ mmr, gap, penaltyShare }) => params(Math.min(1, mmr + gap), mmr, mmr * penaltyShare));
    fc.assert(
      fc.property(valid, valid, fc.integer({ min: 1, max: 6 }), (from, to, n) => {
        fc.pre(validateMarketParams(from).length === 0 && validateMarketParams(to).length === 0);
        const steps = phaseChange(from, to, n);
        expect(steps).toHaveLength(n);
        expect(steps.at(-1)).toEqual(to);
        for (const s of steps) expect(validateMarketParams(s)).toEqual([]);
      }),
    );
  });
});
