/**
 * ADL lights ranked exactly alone — every score a fraction of integers and every comparison made
 * by cross-multiplying them: the reference computeAdlLights (float scores, exact only where floats
 * are too close to order) is tested against. Not for production callers.
 */

import type { AdlLight } from "../adl/computeAdlLights.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { ProtocolSnapshot } from "../types.ts";

/** A score as num / den (den > 0), or infinite of num's sign (den 0). */
type Fraction = readonly [num: bigint, den: bigint];

/** Sign of a − b. */
function compareFractions([an, ad]: Fraction, [bn, bd]: Fraction): number {
  if (ad === 0n || bd === 0n) return Math.sign((ad === 0n ? Number(an > 0n) * 2 - 1 : 0) - (bd === 0n ? Number(bn > 0n) * 2 - 1 : 0));
  const d = an * bd - bn * ad;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** computeAdlLights' lights (`score` the fraction's float), by exact fractions alone. */
export function computeAdlLightsExact(snapshot: ProtocolSnapshot): Map<string, AdlLight> {
  const groups = new Map<string, { address: `0x${string}`; marketId: number; side: "long" | "short"; score: Fraction }[]>();
  for (const account of snapshot.accounts) {
    if (account.positions.length === 0) continue;
    const risk = computeAccountRisk(snapshot, account);
    const [equity, notional] = [risk.equityUsd, risk.notionalUsd];
    risk.positions.forEach((p, i) => {
      const open = account.positions[i]!.openNotionalUsd;
      const openAbs = open < 0n ? -open : open;
      // pnl% = upnl / |open|, effLev = notional / equity (∞ when equity ≤ 0): pnl% × effLev in profit, pnl% / effLev at a loss (0 when effLev is ∞).
      let score: Fraction;
      if (openAbs === 0n) score = [0n, 1n];
      else if (p.upnlUsd > 0n) score = equity > 0n ? [p.upnlUsd * notional, openAbs * equity] : [1n, 0n];
      else if (equity <= 0n || p.upnlUsd === 0n) score = [0n, 1n];
      else score = notional > 0n ? [p.upnlUsd * equity, openAbs * notional] : [-1n, 0n];
      const side = p.sizeBase > 0n ? "long" : "short";
      const key = `${p.marketId}:${side}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push({ address: account.address, marketId: p.marketId, side, score });
    });
  }
  const lights = new Map<string, AdlLight>();
  for (const group of groups.values()) {
    group.sort((a, b) => compareFractions(b.score, a.score) || (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    group.forEach((g, index) => {
      const light = Math.min(5, Math.max(1, 5 - Math.floor((5 * index) / group.length))) as AdlLight["light"];
      const [num, den] = g.score;
      lights.set(`${g.address}:${g.marketId}`, { address: g.address, marketId: g.marketId, side: g.side, score: den === 0n ? Number.MAX_VALUE : Number(num) / Number(den), light });
    });
  }
  return lights;
}
