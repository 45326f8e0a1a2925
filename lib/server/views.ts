/**
 * Per-block views of the snapshot that several pages and API routes share, computed once per
 * snapshot (WeakMap on the snapshot object, which the snapshot cache keeps per block).
 */

import { computeAdlLights, computeCover, computeHealth, computeSystemRisk, extremeShock, type ProtocolSnapshot, type SystemRisk } from "../../engine/index.ts";
import { toJson } from "../../engine/serialize.ts";

/** One row of the accounts table, plain JSON. */
export interface AccountRow {
  address: `0x${string}`;
  equityUsd: number;
  notionalUsd: number;
  health: number | null;
  leverage: number | null;
  /** Nearest liquidation price among its positions, as a signed fraction of that market's mark. */
  distanceToLiquidation: number | null;
  markets: string[];
  adlLight: number | null;
  liquidatable: boolean;
}

function memo<T>(compute: (s: ProtocolSnapshot) => T) {
  const cache = new WeakMap<ProtocolSnapshot, T>();
  return (s: ProtocolSnapshot): T => {
    let value = cache.get(s);
    if (value === undefined) {
      value = compute(s);
      cache.set(s, value);
    }
    return value;
  };
}

export const systemRisk: (s: ProtocolSnapshot) => SystemRisk = memo((s) => computeSystemRisk(s, { nearest: 10 }));

export const accountRows: (s: ProtocolSnapshot) => AccountRow[] = memo((s) => {
  const lights = computeAdlLights(s);
  return s.accounts.map((account): AccountRow => {
    const h = computeHealth(s, account);
    const distances = h.positions.map((p) => p.distanceToLiquidation).filter((d): d is number => d !== null);
    const nearest = distances.length ? distances.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a)) : null;
    const adl = account.positions.map((p) => lights.get(`${account.address}:${p.marketId}`)?.light ?? 0);
    return {
      address: account.address,
      equityUsd: Number(h.risk.equityUsd) / 1e18,
      notionalUsd: Number(h.risk.notionalUsd) / 1e18,
      health: h.health,
      leverage: h.leverage,
      distanceToLiquidation: nearest,
      markets: account.positions.map((p) => s.markets[p.marketId]!.symbol),
      adlLight: adl.length ? Math.max(...adl) : null,
      liquidatable: h.liquidatable,
    };
  });
});

/**
 * The JSON texts the API routes answer with, serialised once per block rather than per request:
 * with 5,000 accounts, serialising the snapshot or the rows was most of a request's cost under load.
 */
export const snapshotJson: (s: ProtocolSnapshot) => string = memo((s) => toJson(s));
export const accountRowsJson: (s: ProtocolSnapshot) => string = memo((s) => JSON.stringify(accountRows(s)));

export const cover = memo((s: ProtocolSnapshot) => computeCover(s, extremeShock(s.markets).map((m) => m.move)));

/** Markets for client components: WAD parameters as decimal strings (props cross the server boundary as JSON). */
export function marketsForClient(s: ProtocolSnapshot) {
  return s.markets.map((m) => ({
    id: m.id,
    symbol: m.symbol,
    params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])) as Record<keyof typeof m.params, string>,
  }));
}
