/**
 * computeCover with every account valued twice by the bigint engine (computeAccountRisk at the
 * marks shocked down and up): the reference the screened path (reserves/computeCover.ts) is
 * tested against. Not for production callers: two bigint valuations an account where the screen
 * values a handful.
 */

import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { shockMarks, type CoverResult } from "../reserves/computeCover.ts";
import type { ProtocolSnapshot } from "../types.ts";

/** computeCover's result, every account with positions valued in bigint down and up. */
export function computeCoverExact(snapshot: ProtocolSnapshot, shock: readonly number[]): CoverResult {
  const down = shockMarks(snapshot, shock.map((s) => -Math.abs(s)));
  const up = shockMarks(snapshot, shock.map((s) => Math.abs(s)));
  const deficits = snapshot.accounts
    .filter((a) => a.positions.length > 0)
    .map((a) => {
      const d = computeAccountRisk(down, a).equityUsd;
      const u = computeAccountRisk(up, a).equityUsd;
      const worse = d < u ? d : u;
      return { address: a.address, deficitUsd: worse < 0n ? -worse : 0n, direction: (d < u ? "down" : "up") as "down" | "up" };
    })
    .filter((x) => x.deficitUsd > 0n)
    .sort((a, b) => (b.deficitUsd > a.deficitUsd ? 1 : b.deficitUsd < a.deficitUsd ? -1 : a.address < b.address ? -1 : 1));
  const cover1Usd = deficits[0]?.deficitUsd ?? 0n;
  const cover2Usd = cover1Usd + (deficits[1]?.deficitUsd ?? 0n);
  const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
  return { shock: [...shock], cover1Usd, cover2Usd, largest: deficits.slice(0, 2), reservesUsd, coverage: cover2Usd === 0n ? Infinity : Number((reservesUsd * 10_000n) / cover2Usd) / 10_000 };
}
