import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WAD } from "../math/wad.ts";
import { HEALTH_BUCKETS, healthBucketOf } from "./healthBucketOf.ts";

/** Each bucket's upper edge as a fraction (1, 11/10, 5/4, 3/2, 2, 3, 5), written out here: the oracle compares integers. */
const EDGES: [bigint, bigint][] = [[1n, 1n], [11n, 10n], [5n, 4n], [3n, 2n], [2n, 1n], [3n, 1n], [5n, 1n]];
const exactBucket = (equity: bigint, mm: bigint) => {
  if (mm === 0n) return HEALTH_BUCKETS.length - 1;
  const index = EDGES.findIndex(([num, den]) => equity * den < num * mm);
  return index === -1 ? HEALTH_BUCKETS.length - 1 : index;
};

describe("healthBucketOf", () => {
  it.each([
    ["the header's example: $1,100 over $1,000 is exactly 1.1, in 1.1–1.25", 1_100n, 1_000n, "1.1–1.25"],
    ["exactly at maintenance is not below it", 1_000n, 1_000n, "1–1.1"],
    ["a wei under maintenance is", 1_000n * WAD - 1n, 1_000n * WAD, "< 1"],
    ["negative equity", -5n, 1_000n, "< 1"],
    ["exactly 5", 5_000n, 1_000n, "≥ 5"],
    ["no maintenance margin (health ∞)", 1n, 0n, "≥ 5"],
  ])("%s", (_, equity, mm, label) => {
    const scale = equity > 10n ** 15n || equity < 0n ? 1n : WAD;
    expect(HEALTH_BUCKETS[healthBucketOf({ equityUsd: equity * scale, maintenanceMarginUsd: mm * scale })]!.label).toBe(label);
  });

  it("test_fuzz_the_bucket_is_the_exact_integer_comparison_even_a_wei_from_an_edge", () => {
    const nearEdge = fc.tuple(fc.constantFrom(...EDGES), fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: -3n, max: 3n })).map(([[num, den], mmUnits, wei]) => {
      const mm = mmUnits * den; // so that the edge's equity num·mm/den is an integer
      return { equity: (num * mm) / den + wei, mm };
    });
    const anywhere = fc.record({ equity: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), mm: fc.bigInt({ min: 0n, max: 10n ** 30n }) });
    fc.assert(
      fc.property(fc.oneof(nearEdge, anywhere), ({ equity, mm }) => {
        expect(healthBucketOf({ equityUsd: equity, maintenanceMarginUsd: mm })).toBe(exactBucket(equity, mm));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});
