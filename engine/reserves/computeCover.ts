/**
 * Default-fund adequacy, the way clearinghouses are held to it (CPMI-IOSCO "Cover-1 / Cover-2"):
 * under an extreme but plausible move, the loss to the reserves if the one (two) accounts that
 * would lose most defaulted, against the default fund (and the insurance fund in front of it).
 *
 *   deficit_i(shock) = max(0, −equity_i at shocked marks)        (after its own collateral)
 *   Cover-N          = Σ of the N largest deficit_i, each account at its worse of the up and
 *                      the down move
 *   coverage         = (insurance fund + default fund) ÷ Cover-2
 *
 * Marks move by `shock[marketId]` (fractions, e.g. −0.5); collateral priced off the same asset
 * (WETH for ETH) moves with it. Example: two accounts long $1M ETH on $200k equity each, a −50 %
 * move: each loses $500k, deficit $300k → Cover-1 $300k, Cover-2 $600k.
 */

import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { ProtocolSnapshot } from "../types.ts";

export interface CoverResult {
  shock: number[];
  cover1Usd: bigint;
  cover2Usd: bigint;
  /** The accounts behind Cover-2, largest deficit first, with the direction that hurts them. */
  largest: { address: `0x${string}`; deficitUsd: bigint; direction: "down" | "up" }[];
  reservesUsd: bigint;
  /** (insurance + default fund) ÷ Cover-2; Infinity when Cover-2 is zero. */
  coverage: number;
}

const SCALE = 1_000_000n;

/** The snapshot with each market's mark (and collateral sharing its feed) moved by `shock`. */
export function shockMarks(snapshot: ProtocolSnapshot, shock: readonly number[]): ProtocolSnapshot {
  const factor = (move: number) => BigInt(Math.round((1 + move) * 1e6));
  const feeds = new Map<string, bigint>();
  const markets = snapshot.markets.map((m, i) => {
    const f = factor(shock[i] ?? 0);
    feeds.set(m.feedId, f);
    return { ...m, markPriceWad: (m.markPriceWad * f) / SCALE };
  });
  const collaterals = snapshot.collaterals.map((c) => {
    const f = feeds.get(c.feedId);
    return f === undefined ? c : { ...c, priceWad: (c.priceWad * f) / SCALE };
  });
  return { ...snapshot, markets, collaterals };
}

export function computeCover(snapshot: ProtocolSnapshot, shock: readonly number[]): CoverResult {
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
  return {
    shock: [...shock],
    cover1Usd,
    cover2Usd,
    largest: deficits.slice(0, 2),
    reservesUsd,
    coverage: cover2Usd === 0n ? Infinity : Number((reservesUsd * 10_000n) / cover2Usd) / 10_000,
  };
}

export interface BankRunExposure {
  unrecognisedDeficitUsd: bigint;
  collateralValueUsd: bigint;
  /** Unrecognised deficit per dollar of collateral: what the last to withdraw stand to lose. */
  deficitPerCollateral: number;
  defaultFundInCooldownUsd: bigint;
  /** Share of default-fund shares waiting out the cooldown. */
  defaultFundInCooldownShare: number;
}

export function computeBankRunExposure(snapshot: ProtocolSnapshot): BankRunExposure {
  let unrecognisedDeficitUsd = 0n;
  let collateralValueUsd = 0n;
  for (const a of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, a);
    collateralValueUsd += risk.collateralValueUsd;
    if (risk.equityUsd < 0n) unrecognisedDeficitUsd -= risk.equityUsd;
  }
  const { defaultFundShares, pendingWithdrawalShares, defaultFundUsd } = snapshot.reserves;
  const defaultFundInCooldownUsd = defaultFundShares === 0n ? 0n : (pendingWithdrawalShares * defaultFundUsd) / defaultFundShares;
  return {
    unrecognisedDeficitUsd,
    collateralValueUsd,
    deficitPerCollateral: collateralValueUsd === 0n ? 0 : Number((unrecognisedDeficitUsd * 1_000_000n) / collateralValueUsd) / 1e6,
    defaultFundInCooldownUsd,
    defaultFundInCooldownShare: defaultFundShares === 0n ? 0 : Number((pendingWithdrawalShares * 1_000_000n) / defaultFundShares) / 1e6,
  };
}
