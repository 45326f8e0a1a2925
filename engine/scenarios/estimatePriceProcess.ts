/**
 * The price process the preview band simulates, measured from the oracle's own history: each
 * market's volatility per √second and the correlation of their moves, as a driftless
 * geometric random walk (the demo's feed is one; over days, drift is noise next to volatility).
 *
 *   r_i = ln(p_i / p_{i−1}) for consecutive posts of one feed, Δt_i = t_i − t_{i−1} seconds
 *   σ² = Σ r_i² / Σ Δt_i                         (per second: a random walk's variance grows with t)
 *   ρ_ab = Σ r_a r_b / √(Σ r_a² · Σ r_b²)        over posts of a and b at the same time
 *
 * Example: ETH posted every 12 s moving ±0.2 % (r² ≈ 4·10⁻⁶): σ² ≈ 3.3·10⁻⁷ /s, σ ≈ 5.8·10⁻⁴ /√s —
 * over a 1-day window (86,400 s) a 1-σ move of e^{±0.17}: about ±17 %.
 * With fewer than `minReturns` returns for a market its σ is `fallbackVolPerSqrtSec` (the page says so).
 */

export interface PricePost {
  timestampSec: number;
  price: number;
}

export interface PriceProcess {
  /** Per market: σ per √second of the log price. */
  volPerSqrtSec: number[];
  /** Correlation of the markets' log returns (symmetric, ones on the diagonal). */
  correlation: number[][];
  /** Per market: how many returns the estimate rests on. */
  returns: number[];
  /** Per market: true where too few returns were seen and the fallback volatility is used. */
  fallback: boolean[];
}

export interface EstimatePriceProcessOptions {
  minReturns?: number;
  /** Used for a market with too little history: 80 % a year, per √second. */
  fallbackVolPerSqrtSec?: number;
}

const YEAR_SEC = 365 * 86_400;

/** σ per √second and correlations from each market's posts, oldest first (see the header). */
export function estimatePriceProcess(postsPerMarket: readonly (readonly PricePost[])[], { minReturns = 8, fallbackVolPerSqrtSec = 0.8 / Math.sqrt(YEAR_SEC) }: EstimatePriceProcessOptions = {}): PriceProcess {
  const byTime = postsPerMarket.map(() => new Map<number, number>());
  const volPerSqrtSec: number[] = [];
  const returns: number[] = [];
  const fallback: boolean[] = [];
  postsPerMarket.forEach((posts, m) => {
    let sumSq = 0;
    let sumDt = 0;
    let n = 0;
    for (let i = 1; i < posts.length; i++) {
      const dt = posts[i]!.timestampSec - posts[i - 1]!.timestampSec;
      if (dt <= 0 || !(posts[i]!.price > 0) || !(posts[i - 1]!.price > 0)) continue;
      const r = Math.log(posts[i]!.price / posts[i - 1]!.price);
      sumSq += r * r;
      sumDt += dt;
      n++;
      byTime[m]!.set(posts[i]!.timestampSec, r);
    }
    const usable = n >= minReturns && sumDt > 0;
    volPerSqrtSec.push(usable ? Math.sqrt(sumSq / sumDt) : fallbackVolPerSqrtSec);
    returns.push(n);
    fallback.push(!usable);
  });
  const correlation = postsPerMarket.map((_, a) =>
    postsPerMarket.map((__, b) => {
      if (a === b) return 1;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (const [t, ra] of byTime[a]!) {
        const rb = byTime[b]!.get(t);
        if (rb === undefined) continue;
        ab += ra * rb;
        aa += ra * ra;
        bb += rb * rb;
      }
      return aa > 0 && bb > 0 ? Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))) : 0;
    }),
  );
  return { volPerSqrtSec, correlation, returns, fallback };
}
