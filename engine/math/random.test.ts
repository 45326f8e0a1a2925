import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.ts";

const draw = (seed: number, n: number) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r.next());
};

describe("seededRandom", () => {
  it("the same seed gives the same sequence; another seed another one", () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(43, 100)).not.toEqual(draw(42, 100));
  });

  it("seeds are taken as 32-bit unsigned integers: 2^32 + 7 is 7", () => {
    expect(draw(2 ** 32 + 7, 10)).toEqual(draw(7, 10));
  });

  it("next() stays in [0, 1) and fills it evenly (each tenth holds 10 % ± 1 % of 100,000 draws)", () => {
    const values = draw(1, 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const tenths = new Array<number>(10).fill(0);
    for (const v of values) tenths[Math.floor(v * 10)]!++;
    for (const count of tenths) expect(Math.abs(count - 10_000)).toBeLessThan(1_000);
  });

  it("normal() has mean 0 and variance 1 (within 0.02 over 100,000 draws), and is finite", () => {
    const r = seededRandom(9);
    const xs = Array.from({ length: 100_000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(xs.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
});
