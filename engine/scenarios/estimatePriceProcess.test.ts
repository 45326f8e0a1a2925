import { describe, expect, it } from "vitest";
import { estimatePriceProcess, type PricePost } from "./estimatePriceProcess.ts";

const FALLBACK = 0.8 / Math.sqrt(365 * 86_400);

/** Posts every `everySec` seconds from t = 0, starting at `start` and multiplied by e^{r} for each return in turn. */
function walk(returns: number[], { start = 100, everySec = 12, t0 = 0 } = {}): PricePost[] {
  const posts: PricePost[] = [{ timestampSec: t0, price: start }];
  for (const r of returns) posts.push({ timestampSec: posts.at(-1)!.timestampSec + everySec, price: posts.at(-1)!.price * Math.exp(r) });
  return posts;
}
const alternating = (n: number, size: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? size : -size));

describe("estimatePriceProcess", () => {
  it("the header's example: ±0.2 % every 12 s gives σ² = 4·10⁻⁶ / 12 per second", () => {
    const p = estimatePriceProcess([walk(alternating(20, 0.002))]);
    expect(p.volPerSqrtSec[0]).toBeCloseTo(Math.sqrt(4e-6 / 12), 12);
    expect(p.returns).toEqual([20]);
    expect(p.fallback).toEqual([false]);
    expect(p.correlation).toEqual([[1]]);
  });

  it("variance is per second: the same moves twice as far apart give σ/√2", () => {
    const [near, far] = [walk(alternating(10, 0.01)), walk(alternating(10, 0.01), { everySec: 24 })];
    const p = estimatePriceProcess([near, far]);
    expect(p.volPerSqrtSec[1]! * Math.SQRT2).toBeCloseTo(p.volPerSqrtSec[0]!, 14);
  });

  it("with fewer returns than minReturns the fallback of 80 % a year is used, and says so", () => {
    const p = estimatePriceProcess([walk(alternating(7, 0.01)), walk(alternating(8, 0.01))]);
    expect(p.volPerSqrtSec[0]).toBe(FALLBACK);
    expect(p.fallback).toEqual([true, false]);
    expect(p.returns).toEqual([7, 8]);
    expect(estimatePriceProcess([walk([0.01, 0.02])], { minReturns: 2 }).fallback).toEqual([false]);
    expect(estimatePriceProcess([[]], { fallbackVolPerSqrtSec: 0.5 }).volPerSqrtSec).toEqual([0.5]);
  });

  it("skips a step whose time does not advance or whose price is not positive", () => {
    const posts: PricePost[] = [
      { timestampSec: 0, price: 100 },
      { timestampSec: 10, price: 110 }, // r = ln 1.1 over 10 s
      { timestampSec: 10, price: 120 }, // same time: skipped
      { timestampSec: 20, price: 0 }, // zero price: skipped (and the next step from it)
      { timestampSec: 30, price: 121 }, // from 0: skipped
      { timestampSec: 40, price: 133.1 }, // r = ln 1.1 over 10 s
    ];
    const p = estimatePriceProcess([posts], { minReturns: 1 });
    expect(p.returns).toEqual([2]);
    expect(p.volPerSqrtSec[0]).toBeCloseTo(Math.sqrt((2 * Math.log(1.1) ** 2) / 20), 14);
  });

  it("markets moving together correlate +1, in opposite ways −1; the matrix is symmetric with ones on the diagonal", () => {
    const r = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02, -0.005, 0.01];
    const p = estimatePriceProcess([walk(r), walk(r.map((x) => 2 * x), { start: 5 }), walk(r.map((x) => -x))]);
    expect(p.correlation[0]![1]).toBeCloseTo(1, 12);
    expect(p.correlation[0]![2]).toBeCloseTo(-1, 12);
    expect(p.correlation[1]![2]).toBeCloseTo(-1, 12);
    for (let a = 0; a < 3; a++) {
      expect(p.correlation[a]![a]).toBe(1);
      for (let b = 0; b < 3; b++) expect(p.correlation[a]![b]).toBe(p.correlation[b]![a]);
    }
  });

  it("correlation is Σ r_a·r_b / √(Σ r_a² · Σ r_b²) over the posts at the same time only", () => {
    // a: 100 → 110 → 99 (ln 1.1, ln 0.9); b: 50 → 55 → 55 (ln 1.1, 0), then a post a never has.
    const a = [{ timestampSec: 0, price: 100 }, { timestampSec: 12, price: 110 }, { timestampSec: 24, price: 99 }];
    const b = [{ timestampSec: 0, price: 50 }, { timestampSec: 12, price: 55 }, { timestampSec: 24, price: 55 }, { timestampSec: 30, price: 80 }];
    const [l11, l09] = [Math.log(1.1), Math.log(0.9)];
    expect(estimatePriceProcess([a, b]).correlation[0]![1]).toBeCloseTo((l11 * l11) / Math.sqrt((l11 ** 2 + l09 ** 2) * l11 ** 2), 14);
  });

  it("markets that never post at the same time, or one that never moves, have correlation 0", () => {
    const r = alternating(10, 0.01);
    const flat = walk(Array.from({ length: 10 }, () => 0));
    const p = estimatePriceProcess([walk(r), walk(r, { t0: 5 }), flat]);
    expect(p.correlation[0]![1]).toBe(0);
    expect(p.correlation[0]![2]).toBe(0);
    expect(p.volPerSqrtSec[2]).toBe(0);
  });

  it("no markets, no figures", () => {
    expect(estimatePriceProcess([])).toEqual({ volPerSqrtSec: [], correlation: [], returns: [], fallback: [] });
  });
});
