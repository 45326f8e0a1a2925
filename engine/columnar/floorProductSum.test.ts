import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExactColumn, writeExact } from "./exactColumn.ts";
import { addFloorProductOf, addFloorProducts, createFloorProductSum, fitsFloorProduct, floorProductTotal, ROWS_BETWEEN_CARRIES, splitDigits } from "./floorProductSum.ts";

const W = 10n ** 18n;
const floorDiv = (a: bigint, d: bigint) => (a >= 0n ? a / d : -((-a + d - 1n) / d));

/** Integers where limbs and folds are weakest: 0, ±1, near 2⁵³, 2⁶⁰, W and its multiples, up to past 2¹¹⁰. */
const integer = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 2n ** 53n - 1n, -(2n ** 53n) - 1n, 2n ** 60n, W - 1n, W, W + 1n, -W, 3n * W - 1n, 2n ** 105n + 7n, -(2n ** 106n) - 3n, 2n ** 110n, 2n ** 200n),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.bigInt({ min: -(2n ** 112n), max: 2n ** 112n }),
  fc.tuple(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: 0, max: 30 })).map(([m, e]) => BigInt(m) * 10n ** BigInt(e)),
);
const multiplier = fc.oneof(fc.constantFrom(0n, 1n, W - 1n, W, W + 1n, 2000n * W + W / 2n, 2n ** 100n + 1n, 10n ** 30n), fc.bigInt({ min: 0n, max: 10n ** 33n }));

describe("floorProductSum", () => {
  it("test_fuzz_floor_product_sum_equals_bigint: Σ floor(x·P/W) and Σx (P = 1e18) over any subset, rows too wide refused", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(integer, fc.boolean()), { minLength: 1, maxLength: 40 }), multiplier, (rows, p) => {
        const column = createExactColumn(rows.length);
        rows.forEach(([x], i) => writeExact(column, i, x));
        const sum = createFloorProductSum(p);
        let floors = 0n;
        let values = 0n;
        const chosen = rows.flatMap(([, picked], i) => (picked ? [i] : []));
        const refused = new Set(addFloorProducts(sum, column, chosen));
        for (const i of chosen) {
          const x = rows[i]![0];
          if (refused.has(i)) {
            expect(x >= 2n ** 106n || x <= -(2n ** 106n)).toBe(true);
            continue;
          }
          floors += floorDiv(x * p, W);
          values += x;
        }
        expect(floorProductTotal(sum)).toBe(floors);
        // With P = 1e18 every residue is 0: the total is Σx itself.
        const plain = createFloorProductSum(W);
        addFloorProducts(plain, column, chosen.filter((i) => !refused.has(i)));
        expect(floorProductTotal(plain)).toBe(values);
      }),
      { numRuns: 3000, seed: 41 },
    );
  });

  it("test_fuzz_carries_between_runs_keep_the_total: rows added across the carry every ROWS_BETWEEN_CARRIES rows, in calls of any size, one at a time too", () => {
    fc.assert(
      fc.property(fc.array(integer, { minLength: 1, maxLength: 30 }), multiplier, fc.nat({ max: 12 }), fc.nat({ max: 30 }), (xs, p, before, split) => {
        const column = createExactColumn(xs.length);
        xs.forEach((x, i) => writeExact(column, i, x));
        const sum = createFloorProductSum(p);
        // As if ROWS_BETWEEN_CARRIES − before rows (of zero) had been added already: the carry falls inside this call.
        sum.uncarried = ROWS_BETWEEN_CARRIES - before;
        const rows = xs.map((_, i) => i);
        const refused = new Set([...addFloorProducts(sum, column, rows.slice(0, split)), ...rows.slice(split).filter((i) => !addFloorProductOf(sum, column.hi[i]!, column.lo[i]!))]);
        expect(sum.uncarried).toBeLessThanOrEqual(ROWS_BETWEEN_CARRIES);
        const expected = xs.reduce((total, x, i) => (refused.has(i) ? total : total + floorDiv(x * p, W)), 0n);
        expect(floorProductTotal(sum)).toBe(expected);
      }),
      { numRuns: 2000, seed: 43 },
    );
  });

  it("a short of 3 wei at $2,000.50 floors toward −∞ (−6,002), as signedValue does", () => {
    const column = createExactColumn(2);
    writeExact(column, 0, -3n);
    writeExact(column, 1, 5n);
    const sum = createFloorProductSum(2000n * W + W / 2n);
    addFloorProducts(sum, column, [0]);
    expect(floorProductTotal(sum)).toBe(-6002n);
    addFloorProducts(sum, column, [1]);
    expect(floorProductTotal(sum)).toBe(-6002n + 10002n);
  });

  it("test_fuzz_digits_of_a_column_value_stay_under_2_30: the bound that lets 2²³ rows add up exactly (hi's low digits are 0 wherever lo's are not)", () => {
    const column = createExactColumn(1);
    const digits = new Float64Array(4);
    const wide = fc.oneof(fc.bigInt({ min: -(2n ** 109n), max: 2n ** 109n }), fc.integer({ min: 0, max: 108 }).chain((k) => fc.bigInt({ min: 2n ** BigInt(k), max: 2n ** BigInt(k + 1) }).map((x) => x - 1n)));
    fc.assert(
      fc.property(wide, fc.boolean(), (magnitude, negative) => {
        const x = negative ? -magnitude : magnitude;
        writeExact(column, 0, x);
        const [hi, lo] = [column.hi[0]!, column.lo[0]!];
        if (!fitsFloorProduct(hi, lo)) return;
        splitDigits(hi, lo, digits, 0);
        for (const d of digits) expect(Math.abs(d)).toBeLessThan(2 ** 30);
        expect(BigInt(digits[0]!) + (BigInt(digits[1]!) << 30n) + (BigInt(digits[2]!) << 60n) + (BigInt(digits[3]!) << 90n)).toBe(x);
      }),
      { numRuns: 20_000, seed: 61 },
    );
  });
});
