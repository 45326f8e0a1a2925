import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExactColumn, growExactColumn, readExact, writeExact } from "./exactColumn.ts";

const TWO_53 = 2n ** 53n;
const TWO_106 = 2n ** 106n;

describe("exactColumn", () => {
  it.each([
    ["zero", 0n, 0, 0],
    ["one wei", 1n, 1, 0],
    ["minus one wei", -1n, -1, 0],
    ["2⁵³ + 1, the header's example: hi 2⁵³, lo 1", TWO_53 + 1n, 2 ** 53, 1],
    ["$1 in WAD (10¹⁸ is a double exactly)", 10n ** 18n, 1e18, 0],
    ["2¹⁰⁶ − 1: hi rounds up to 2¹⁰⁶, lo −1", TWO_106 - 1n, 2 ** 106, -1],
  ])("%s is stored as hi + lo and read back exactly", (_name, x, hi, lo) => {
    const column = createExactColumn(4);
    writeExact(column, 2, x);
    expect(column.hi[2]).toBe(hi);
    expect(column.lo[2]).toBe(lo);
    expect(column.wide.size).toBe(0);
    expect(readExact(column, 2)).toBe(x);
  });

  it.each([
    ["2¹⁰⁸ + 2⁵⁴ + 1 (rounds down to 2¹⁰⁸, the rest is above 2⁵³)", 2n ** 108n + 2n ** 54n + 1n],
    ["−(2²⁰⁰ + 2¹⁰⁰)", -(2n ** 200n + 2n ** 100n)],
    ["2²⁵⁶ − 2⁶⁰ − 1 (rounds up to 2²⁵⁶, the rest is −(2⁶⁰ + 1))", 2n ** 256n - 2n ** 60n - 1n],
  ])("a value whose rest is wider than 2⁵³, %s, keeps hi = Number(x), lo NaN, and its exact value aside", (_name, x) => {
    const column = createExactColumn(2);
    writeExact(column, 1, x);
    expect(column.hi[1]).toBe(Number(x));
    expect(column.lo[1]).toBeNaN();
    expect(readExact(column, 1)).toBe(x);
  });

  it("overwriting a wide row with a narrow value or zero forgets the wide value", () => {
    const column = createExactColumn(2);
    writeExact(column, 0, 2n ** 200n);
    writeExact(column, 1, 2n ** 201n);
    writeExact(column, 0, 7n);
    writeExact(column, 1, 0n);
    expect(column.wide.size).toBe(0);
    expect([readExact(column, 0), readExact(column, 1)]).toEqual([7n, 0n]);
  });

  it("a fresh column reads zero in every row", () => {
    const column = createExactColumn(3);
    expect([0, 1, 2].map((row) => readExact(column, row))).toEqual([0n, 0n, 0n]);
  });

  it("a value past 2¹⁰⁶ whose rest is small stays narrow: 2²⁵⁶ − 1 is hi 2²⁵⁶, lo −1", () => {
    const column = createExactColumn(1);
    writeExact(column, 0, 2n ** 256n - 1n);
    expect([column.hi[0], column.lo[0], column.wide.size]).toEqual([2 ** 256, -1, 0]);
    expect(readExact(column, 0)).toBe(2n ** 256n - 1n);
  });

  it("growing keeps every value, wide ones included; a column already large enough is returned as is", () => {
    const column = createExactColumn(2);
    writeExact(column, 0, TWO_53 + 3n);
    writeExact(column, 1, -(2n ** 150n));
    expect(growExactColumn(column, 2)).toBe(column);
    const grown = growExactColumn(column, 5);
    expect(grown.hi.length).toBe(5);
    writeExact(grown, 4, 9n);
    expect([0, 1, 2, 3, 4].map((row) => readExact(grown, row))).toEqual([TWO_53 + 3n, -(2n ** 150n), 0n, 0n, 9n]);
  });

  it("test_fuzz_any_int256_survives_a_write_and_a_read_and_hi_is_the_nearest_double", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }), fc.integer({ min: 0, max: 7 }), (x, row) => {
        const column = createExactColumn(8);
        writeExact(column, row, x);
        expect(readExact(column, row)).toBe(x);
        expect(column.hi[row]).toBe(Number(x));
      }),
      { numRuns: 2000, seed: 21 },
    );
  });
});
