/**
 * ADL lights as traders see them: per market and side, every position ranked with BitMEX's
 * display formula (profitable: pnlPct × effLev; losing: pnlPct / effLev), sorted in ADL order,
 * and cut into quintiles: 5 lights = the top 20 % (first to be deleveraged), 1 = the bottom.
 * Display only (decimal.js); the contract's integer rank (computeAdlRank) decides real fills,
 * and over profitable positions both orders agree.
 *
 * Example: three shorts in profit ranked 0.9, 0.4, 0.1 → lights 5, 4, 2: the i-th of n (from 0)
 * gets 5 − ⌊5i/n⌋, the quintile its place falls in (0 %, 33 %, 67 % of the way down the line).
 */

import Decimal from "decimal.js";
import { fromWad } from "../format.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { ProtocolSnapshot } from "../types.ts";

export interface AdlLight {
  address: `0x${string}`;
  marketId: number;
  side: "long" | "short";
  /** BitMEX display rank. */
  score: number;
  /** 1 (last in line) … 5 (first in line). */
  light: 1 | 2 | 3 | 4 | 5;
}

/** Lights for every open position, keyed `${address}:${marketId}`. */
export function computeAdlLights(snapshot: ProtocolSnapshot): Map<string, AdlLight> {
  const groups = new Map<string, { address: `0x${string}`; marketId: number; side: "long" | "short"; score: Decimal }[]>();
  for (const account of snapshot.accounts) {
    if (account.positions.length === 0) continue;
    const risk = computeAccountRisk(snapshot, account);
    const equity = fromWad(risk.equityUsd);
    const effLev = equity.gt(0) ? fromWad(risk.notionalUsd).div(equity) : new Decimal(Infinity);
    risk.positions.forEach((p, i) => {
      const openNotional = fromWad(account.positions[i]!.openNotionalUsd).abs();
      const pnlPct = openNotional.isZero() ? new Decimal(0) : fromWad(p.upnlUsd).div(openNotional);
      const score = pnlPct.gt(0) ? pnlPct.mul(effLev) : effLev.isFinite() ? pnlPct.div(effLev) : new Decimal(0);
      const side = p.sizeBase > 0n ? "long" : "short";
      const key = `${p.marketId}:${side}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push({ address: account.address, marketId: p.marketId, side, score });
    });
  }
  const lights = new Map<string, AdlLight>();
  for (const group of groups.values()) {
    group.sort((a, b) => b.score.comparedTo(a.score) || (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    group.forEach((g, index) => {
      const light = Math.min(5, Math.max(1, 5 - Math.floor((5 * index) / group.length))) as AdlLight["light"];
      lights.set(`${g.address}:${g.marketId}`, { address: g.address, marketId: g.marketId, side: g.side, score: g.score.isFinite() ? g.score.toNumber() : Number.MAX_VALUE, light });
    });
  }
  return lights;
}
