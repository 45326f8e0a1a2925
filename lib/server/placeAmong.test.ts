import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { placeAmong } from "./placeAmong.ts";

describe("placeAmong", () => {
  it("puts the item after every unmoved place that precedes it and before every one that does not, wherever the moved ones are", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 20 }), moved: fc.boolean() }), { maxLength: 40 }), fc.integer({ min: -1, max: 21 }), fc.nat(), (places, item, start) => {
        // In order but for the moved places, whose keys are anything.
        const keys = places.map((p) => p.key).sort((a, b) => a - b).map((key, k) => (places[k]!.moved ? 20 - key : key));
        const moved = (k: number) => places[k]!.moved;
        const precedes = (k: number) => keys[k]! <= item;
        const from = places.length ? start % (places.length + 1) : 0;
        const place = placeAmong(from, places.length, moved, precedes);
        expect(place).toBeGreaterThanOrEqual(from);
        expect(place).toBeLessThanOrEqual(places.length);
        // Where the moved places fall does not matter (a merge skips them); the unmoved ones are split by the item.
        for (let k = from; k < places.length; k++) if (!moved(k)) expect(precedes(k)).toBe(k < place);
      }),
      { numRuns: 500 },
    );
  });
});
