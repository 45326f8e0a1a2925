import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addExactDouble, createExactSum, exactSumValue, resetExactSum } from "./exactSum.ts";

// Integers as an exact column holds them (hi = Number(x), lo = x − hi) across the whole range, and wider.
const arbitraryInteger = fc.oneof(
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
  fc.bigInt({ min: -(2n ** 106n), max: 2n ** 106n }),
  fc.bigInt({ min: -(2n ** 140n), max: 2n ** 140n }),
  fc.constantFrom(0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 96n) - 1n, 2n ** 128n - 2n ** 75n, 2n ** 128n),
);
const parts = (x: bigint) => {
  const hi = Number(x);
  return [hi, Number(x - BigInt(hi))] as const;
};

describe("exact sum of doubles", () => {
  it("test_fuzz_exact_sum_equals_the_bigint_sum: hi and lo parts of integers up to 2¹⁴⁰, both signs", () => {
    fc.assert(
      fc.property(fc.array(arbitraryInteger, { maxLength: 60 }), (xs) => {
        const sum = createExactSum();
        let expected = 0n;
        for (const x of xs) {
          const [hi, lo] = parts(x);
          // lo is exact only while |x − hi| ≤ 2⁵³ (the column keeps wider values apart): add what the doubles hold.
          addExactDouble(sum, hi);
          addExactDouble(sum, lo);
          expected += BigInt(hi) + BigInt(lo);
        }
        expect(exactSumValue(sum)).toBe(expected);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("stays exact past the carry: 2²¹ addends of 2⁵³ − 1, and reads again after a reset", () => {
    const sum = createExactSum();
    const n = 2 ** 21;
    for (let i = 0; i < n; i++) addExactDouble(sum, 2 ** 53 - 1);
    expect(exactSumValue(sum)).toBe(BigInt(n) * (2n ** 53n - 1n));
    resetExactSum(sum);
    addExactDouble(sum, -3);
    expect(exactSumValue(sum)).toBe(-3n);
  });

  it("refuses a number that is not an integer, in words", () => {
    expect(() => addExactDouble(createExactSum(), 0.5)).toThrow("exact sum: 0.5 is not an integer");
  });
});
