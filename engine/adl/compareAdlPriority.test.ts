import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareAdlPriority, type Ranked } from "./compareAdlPriority.ts";

const address = fc.bigInt({ min: 0n, max: 2n ** 160n - 1n }).map((n) => `0x${n.toString(16).padStart(40, "0")}` as const);
const ranked = fc.record({ address, rank: fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }) });
const sign = (x: number) => Math.sign(x) || 0;

describe("compareAdlPriority", () => {
  it.each<[string, Ranked, Ranked, number]>([
    ["a higher rank is deleveraged first", { address: "0x0000000000000000000000000000000000000009", rank: 5n }, { address: "0x0000000000000000000000000000000000000001", rank: 4n }, -1],
    ["equal ranks: the lower address first", { address: "0x0000000000000000000000000000000000000001", rank: 5n }, { address: "0x0000000000000000000000000000000000000002", rank: 5n }, -1],
    ["equal ranks: addresses compare as numbers, not as strings of either case", { address: "0x00000000000000000000000000000000000000ff", rank: 0n }, { address: "0x00000000000000000000000000000000000000A0", rank: 0n }, 1],
    ["the same account is neither before nor after itself", { address: "0x00000000000000000000000000000000000000Ab", rank: 3n }, { address: "0x00000000000000000000000000000000000000aB", rank: 3n }, 0],
  ])("%s", (_, a, b, expected) => {
    expect(sign(compareAdlPriority(a, b))).toBe(expected);
  });

  it("test_fuzz_antisymmetric: a before b exactly when b after a", () => {
    fc.assert(fc.property(ranked, ranked, (a, b) => sign(compareAdlPriority(a, b)) === -sign(compareAdlPriority(b, a))));
  });

  it("test_fuzz_total_and_transitive: sorting any list gives ranks descending, ties by ascending address, whatever the input order", () => {
    fc.assert(
      fc.property(fc.array(ranked, { maxLength: 40 }), fc.nat(), (list, shift) => {
        const sorted = [...list].sort(compareAdlPriority);
        const rotated = [...list.slice(shift % (list.length || 1)), ...list.slice(0, shift % (list.length || 1))].sort(compareAdlPriority);
        expect(rotated).toEqual(sorted);
        for (let i = 1; i < sorted.length; i++) {
          const [prev, next] = [sorted[i - 1]!, sorted[i]!];
          expect(prev.rank > next.rank || (prev.rank === next.rank && BigInt(prev.address) <= BigInt(next.address))).toBe(true);
        }
      }),
    );
  });
});
