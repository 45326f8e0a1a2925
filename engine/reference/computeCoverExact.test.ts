import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCover } from "../reserves/computeCover.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { computeCoverExact } from "./computeCoverExact.ts";

const shocks = fc.array(fc.double({ min: -0.99, max: 0.99, noNaN: true }), { minLength: 3, maxLength: 3 });

describe("computeCover (screened) against computeCoverExact (every account in bigint)", () => {
  it("test_fuzz_same_cover: the same Cover-1, Cover-2 and largest accounts on adversarial venues", () => {
    fc.assert(
      fc.property(arbitraryVenue, fc.array(arbitraryAccountShape, { minLength: 0, maxLength: 12 }), shocks, (venue, shapes, shock) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n, false));
        const s = { ...venue, accounts };
        expect(computeCover(s, shock)).toEqual(computeCoverExact(s, shock));
      }),
      { numRuns: 300 },
    );
  });

  it("ranks equal deficits by address, as the reference does, on a synthetic venue with every account twice", () => {
    const s = syntheticSnapshot(300, { seed: 21 });
    const twins = s.accounts.map((a, i) => ({ ...a, address: `0x${(0xf00000 + i).toString(16).padStart(40, "0")}` as const }));
    const doubled = { ...s, accounts: [...twins, ...s.accounts] };
    for (const shock of [[-0.55, -0.5, -0.6], [0.3, 0.3, 0.3], [0, 0, 0]]) {
      const cover = computeCover(doubled, shock);
      expect(cover).toEqual(computeCoverExact(doubled, shock));
      if (shock[0] !== 0) expect(cover.largest[0]!.deficitUsd).toBe(cover.largest[1]!.deficitUsd);
    }
  });
});
