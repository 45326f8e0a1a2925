/**
 * Which health bucket (equity / MM) an exactly valued account falls in, as the overview's
 * histogram counts it: the float ratio Number(equity) / Number(MM), within 5·2⁻⁵³ (relative) of
 * the exact one, except within 10⁻¹² of a bucket edge, where the integers decide: an edge is a
 * fraction num/den and the account is below it iff equity·den < num·MM.
 *
 *   bucket = first b with health < b.max          (no maintenance margin: health = ∞, "≥ 5" —
 *                                                 a position whose notional floors to 0 has none)
 *
 * Example: equity $1,100, MM $1,000 → health 1.1, on the edge 11/10: 1,100·10 < 11·1,000 is
 * false → bucket 2 ("1.1–1.25"). One wei under maintenance is "< 1" (liquidatable), though its
 * 20-digit decimal ratio, the figure shown, rounds to 1.
 */

import { fromWad } from "../format.ts";
import type { AccountRisk } from "./computeAccountRisk.ts";

export const HEALTH_BUCKETS = [
  { label: "< 1", max: 1, edge: [1n, 1n] },
  { label: "1–1.1", max: 1.1, edge: [11n, 10n] },
  { label: "1.1–1.25", max: 1.25, edge: [5n, 4n] },
  { label: "1.25–1.5", max: 1.5, edge: [3n, 2n] },
  { label: "1.5–2", max: 2, edge: [2n, 1n] },
  { label: "2–3", max: 3, edge: [3n, 1n] },
  { label: "3–5", max: 5, edge: [5n, 1n] },
  { label: "≥ 5", max: Infinity, edge: null },
] as const;

/** Relative distance under which a float health might sit on the other side of a value than the exact one. */
const CLOSE = 1e-12;

/** equity / MM as decimal.js gives it (the figure shown); Infinity with no maintenance margin. */
export function exactHealth(risk: Pick<AccountRisk, "equityUsd" | "maintenanceMarginUsd">): number {
  return risk.maintenanceMarginUsd === 0n ? Infinity : fromWad(risk.equityUsd).div(fromWad(risk.maintenanceMarginUsd)).toNumber();
}

/** The index in HEALTH_BUCKETS of a health figure: the first bucket it is below the top of, "≥ 5" for ∞. */
export function bucketOfHealth(health: number): number {
  const index = HEALTH_BUCKETS.findIndex((b) => health < b.max);
  return index === -1 ? HEALTH_BUCKETS.length - 1 : index;
}

/** The index in HEALTH_BUCKETS of an account of exact `risk` (see the header). */
export function healthBucketOf(risk: Pick<AccountRisk, "equityUsd" | "maintenanceMarginUsd">): number {
  const estimate = risk.maintenanceMarginUsd === 0n ? Infinity : Number(risk.equityUsd) / Number(risk.maintenanceMarginUsd);
  const near = HEALTH_BUCKETS.some((b) => Number.isFinite(b.max) && Math.abs(estimate - b.max) <= CLOSE * b.max);
  if (!near) return bucketOfHealth(estimate);
  const index = HEALTH_BUCKETS.findIndex((b) => b.edge !== null && risk.equityUsd * b.edge[1] < b.edge[0] * risk.maintenanceMarginUsd);
  return index === -1 ? HEALTH_BUCKETS.length - 1 : index;
}
