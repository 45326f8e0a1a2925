/**
 * ADL lights ranked in decimal.js alone — every score computed and every comparison made in
 * decimal: the reference computeAdlLights (float scores, decimal only where floats are too close to
 * order) is tested against. Not for production callers: ~30 µs a position at 100,000 accounts.
 */

import Decimal from "decimal.js";
import type { AdlLight } from "../adl/computeAdlLights.ts";
import { fromWad } from "../format.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { ProtocolSnapshot } from "../types.ts";

/** computeAdlLights' lights (`score` in decimal, as a number), by decimal.js alone. */
export function computeAdlLightsExact(snapshot: ProtocolSnapshot): Map<string, AdlLight> {
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
