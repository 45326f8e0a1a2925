import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, createTriggerQueue, drainTriggers, pushTrigger } from "./triggerQueue.ts";

type Entry = [key: number, row: number, version: number];

/** Keys of every sign and scale, clustered (prices a few ulps apart share a bucket) and spread. */
const key = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, 1, 2842.5, 2842.5000000000005, 2842.4999999999995, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE),
  fc.double({ min: 2800, max: 2900, noNaN: true }),
);
const entry = fc.tuple(key, fc.nat({ max: 2 ** 31 - 1 }), fc.nat({ max: 2 ** 31 - 1 }));

describe("triggerQueue", () => {
  it("test_fuzz_a_drain_takes_exactly_the_entries_at_or_above_the_probe_each_once", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(entry, { maxLength: 60 }), key), { maxLength: 12 }), (rounds) => {
        const queue = createTriggerQueue(1);
        let present: Entry[] = [];
        // Rounds as the cascade runs them: pushes, then one drain at the round's price.
        for (const [pushed, probe] of rounds) {
          for (const e of pushed) {
            pushTrigger(queue, ...e);
            present.push(e);
          }
          const drained: [number, number][] = [];
          drainTriggers(queue, probe, (row, version) => drained.push([row, version]));
          const expected = present.filter((e) => e[0] >= probe);
          present = present.filter((e) => !(e[0] >= probe));
          const sorted = (xs: [number, number][]) => xs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(sorted(drained)).toEqual(sorted(expected.map((e) => [e[1], e[2]])));
          expect(queue.size).toBe(present.length);
        }
        const rest: [number, number][] = [];
        drainTriggers(queue, -Infinity, (row, version) => rest.push([row, version]));
        expect(rest.length).toBe(present.length);
      }),
      { numRuns: 400, seed: 4 },
    );
  });

  it("test_fuzz_buckets_never_decrease_as_the_key_grows (what lets a drain skip every bucket below the probe's)", () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        if (a < b) expect(bucketOf(a)).toBeLessThanOrEqual(bucketOf(b));
        if (a === b) expect(bucketOf(a)).toBe(bucketOf(b));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it("keys a factor 2⁻¹⁴ or more apart sit in different buckets; −0 and 0 in the same", () => {
    expect(bucketOf(2842)).toBeLessThan(bucketOf(2842 * (1 + 2 ** -13)));
    expect(bucketOf(-0)).toBe(bucketOf(0));
    expect(bucketOf(-1)).toBeLessThan(bucketOf(0));
  });

  it("refuses a NaN key, which no probe would ever cross", () => {
    expect(() => pushTrigger(createTriggerQueue(), NaN, 0, 0)).toThrow(RangeError);
  });
});
