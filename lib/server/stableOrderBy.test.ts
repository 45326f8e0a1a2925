import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableOrderBy } from "./stableOrderBy.ts";

/** The definition: a stable comparison sort of `start` by key (Array.prototype.sort is stable). */
const bySort = (keys: number[], start: number[]) => [...start].sort((i, j) => (keys[i]! < keys[j]! ? -1 : keys[i]! > keys[j]! ? 1 : 0));

describe("stableOrderBy", () => {
  it.each([
    { name: "the header's example", keys: [2, -1, 2, Infinity], start: [3, 2, 1, 0], order: [1, 2, 0, 3] },
    { name: "−0 and +0 are equal keys: start's order between them stands", keys: [0, -0, 0], start: [2, 1, 0], order: [2, 1, 0] },
    { name: "negatives order by value, the largest magnitude first", keys: [-1e-300, -5, -Infinity, -0.5], start: [0, 1, 2, 3], order: [2, 1, 3, 0] },
    { name: "no rows", keys: [], start: [], order: [] },
  ])("$name", ({ keys, start, order }) => {
    expect([...stableOrderBy(Float64Array.from(keys), Int32Array.from(start))]).toEqual(order);
  });

  it("writes the order into the array it is given, and returns that array", () => {
    const into = new Int32Array(4);
    expect(stableOrderBy(Float64Array.from([2, -1, 2, Infinity]), Int32Array.from([3, 2, 1, 0]), into)).toBe(into);
    expect([...into]).toEqual([1, 2, 0, 3]);
  });

  it("orders any finite and infinite keys as a stable comparison sort does, ties in start's order", () => {
    const key = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, -1, Infinity, -Infinity, 2 ** -1074, 1.5));
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 300 }).chain((keys) => fc.tuple(fc.constant(keys), fc.shuffledSubarray([...keys.keys()], { minLength: keys.length }))),
        ([keys, start]) => {
          const sorted = new Float64Array(keys.length);
          const order = bySort(keys, start);
          expect([...stableOrderBy(Float64Array.from(keys), Int32Array.from(start), undefined, sorted)]).toEqual(order);
          // The keys in that order, each the same number (−0 as +0).
          expect([...sorted]).toEqual(order.map((row) => keys[row]! + 0));
        },
      ),
      // Calls of every size one after the other: the arrays kept from a longer call hold its rows past this one's.
      { numRuns: 300 },
    );
  });

  it("orders keys that differ only in their low 32 bits, in runs short and long, as a comparison sort does", () => {
    // 1 + k·2⁻⁵² for k < 2²⁰ share their high word: runs of equal high words, ordered by the low word (by insertion up to 48, by comparison past it).
    const near = (k: number) => 1 + k * 2 ** -52;
    const key = fc.oneof(fc.integer({ min: 0, max: 2 ** 20 - 1 }).map(near), fc.integer({ min: 0, max: 5 }).map(near), fc.integer({ min: 0, max: 5 }).map((k) => -near(k)), fc.constant(2));
    fc.assert(
      fc.property(
        fc.array(key, { minLength: 1, maxLength: 400, size: "max" }).chain((keys) => fc.tuple(fc.constant(keys), fc.shuffledSubarray([...keys.keys()], { minLength: keys.length }))),
        ([keys, start]) => {
          const sorted = new Float64Array(keys.length);
          const order = bySort(keys, start);
          expect([...stableOrderBy(Float64Array.from(keys), Int32Array.from(start), undefined, sorted)]).toEqual(order);
          expect([...sorted]).toEqual(order.map((row) => keys[row]!));
        },
      ),
      { numRuns: 300 },
    );
  });
});
