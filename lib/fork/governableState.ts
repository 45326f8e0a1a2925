/**
 * governableState(snapshot) — every governable value of a snapshot (each market's and
 * collateral's parameters and flags, the global settings, the reserves), by a stable name, with
 * how it reads; diffGovernableState(before, after) — the values that differ, before → after.
 * What a fork simulation reports a proposal changes, and what a test compares with the chain's
 * own snapshots once it has executed.
 *
 * Example: a proposal doubling ETH-PERP's margins → [{ what: "ETH-PERP Initial margin (IMR)",
 * before: "10%", after: "20%" }, { what: "ETH-PERP Maintenance margin (MMR)", before: "5%",
 * after: "10%" }].
 */

import { formatDuration, formatParameter, formatPercent, formatUsd, MARKET_PARAMETERS, parameterLabel, type ProtocolSnapshot } from "../../engine/index.ts";

export interface StateChange {
  /** What changed, in words: "ETH-PERP Maintenance margin (MMR)". */
  what: string;
  before: string;
  after: string;
}

export function governableState(s: ProtocolSnapshot): Map<string, string> {
  const state = new Map<string, string>();
  for (const m of s.markets) {
    for (const p of MARKET_PARAMETERS) state.set(`${m.symbol} ${parameterLabel(p)}`, formatParameter(p, m.params[p.param]));
    state.set(`${m.symbol} frozen`, m.frozen ? "yes" : "no");
    state.set(`${m.symbol} paused`, m.paused ? "yes" : "no");
  }
  for (const c of s.collaterals) {
    state.set(`${c.symbol} collateral weight`, formatPercent(c.params.weightWad));
    state.set(`${c.symbol} deposit cap`, c.params.depositCapNative.toString());
    state.set(`${c.symbol} oracle max age`, formatDuration(c.params.oracleMaxAgeSec));
    state.set(`${c.symbol} deposits frozen`, c.frozen ? "yes" : "no");
  }
  state.set("ADL mode", s.global.adlMode === 0 ? "queue" : "pro-rata");
  state.set("Liquidation grace after unpause", formatDuration(s.global.gracePeriodSec));
  state.set("Default-fund cooldown", formatDuration(s.global.defaultFundCooldownSec));
  state.set("Insurance fund", formatUsd(s.reserves.insuranceFundUsd, { compact: false }));
  state.set("Default fund", formatUsd(s.reserves.defaultFundUsd, { compact: false }));
  return state;
}

/** The values of `before` that read otherwise in `after`, in `before`'s order. */
export function diffGovernableState(before: Map<string, string>, after: Map<string, string>): StateChange[] {
  return [...before].flatMap(([what, was]) => (after.get(what) !== was ? [{ what, before: was, after: after.get(what) ?? "—" }] : []));
}
