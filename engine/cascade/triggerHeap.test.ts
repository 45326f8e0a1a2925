import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTriggerHeap, popTrigger, pushTrigger, topTriggerKey, topTriggerRow, topTriggerVersion } from "./triggerHeap.ts";

type Entry = [key: number, row: number, version: number];

const entry = fc.tuple(
  fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, 2842.5, Infinity, -Infinity)),
  fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0, 1, 2 ** 31 - 1)),
  fc.oneof(fc.integer({ min: 0, max: 2 ** 22 - 1 }), fc.constantFrom(0, 1, 2 ** 22 - 1)),
);

describe("triggerHeap", () => {
  it("test_fuzz_every_pop_is_a_largest_key_present_with_its_own_row_and_version_and_every_entry_pops_once", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 300 }), fc.array(fc.nat({ max: 300 }), { maxLength: 6 }), (entries: Entry[], pauses) => {
        const heap = createTriggerHeap(1);
        const present: Entry[] = [];
        const popped: Entry[] = [];
        const popOne = () => {
          const key = topTriggerKey(heap);
          // == rather than toBe: −0 and 0 are the same key.
          expect(key === Math.max(...present.map((e) => e[0]))).toBe(true);
          const at = present.findIndex((e) => e[0] === key && e[1] === topTriggerRow(heap) && e[2] === topTriggerVersion(heap));
          expect(at).not.toBe(-1);
          popped.push(...present.splice(at, 1));
          popTrigger(heap);
        };
        // Pushes interleaved with pops, as cascade rounds do.
        let pushed = 0;
        for (const pause of [...pauses, entries.length]) {
          for (; pushed < Math.min(pause, entries.length); pushed++) {
            pushTrigger(heap, ...entries[pushed]!);
            present.push(entries[pushed]!);
          }
          if (heap.size > 0) popOne();
        }
        while (heap.size > 0) popOne();
        expect(present).toEqual([]);
        expect(popped.length).toBe(entries.length);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("refuses a version that would not fit beside the row", () => {
    expect(() => pushTrigger(createTriggerHeap(), 1, 0, 2 ** 22)).toThrow(RangeError);
  });
});
