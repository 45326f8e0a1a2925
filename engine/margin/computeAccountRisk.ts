/**
 * An account's margin figures at the snapshot's prices (docs/PROTOCOL.md "Account valuation"),
 * computed exactly as the contract's AccountLogic.risk:
 *
 *   collateralValue = Σ floor(floor(balance·price / 10^decimals) · weight / 1e18)
 *   uPnL_p          = floor(size·mark / 1e18) − openNotional          (toward −∞)
 *   equity          = collateralValue + cash + Σ uPnL_p
 *   notional_p      = floor(|size|·mark / 1e18)
 *   MM = Σ ceil(notional_p·mmr / 1e18)      IM = Σ ceil(notional_p·imr / 1e18)
 *
 * Example: $1,250 USDC, long 2 ETH from $3,000 (open notional $6,000), mark $2,500, mmr 5 %:
 * uPnL = −$1,000, equity = $250, notional = $5,000, MM = $250 → exactly at maintenance.
 * All amounts are USD WAD (bigint).
 */

import { abs, mulDivDown, mulDivUp, WAD } from "../math/wad.ts";
import type { Account, CollateralAsset, ProtocolSnapshot } from "../types.ts";

export interface PositionRisk {
  marketId: number;
  sizeBase: bigint;
  markPriceWad: bigint;
  notionalUsd: bigint;
  upnlUsd: bigint;
  maintenanceMarginUsd: bigint;
  initialMarginUsd: bigint;
}

export interface AccountRisk {
  collateralValueUsd: bigint;
  equityUsd: bigint;
  maintenanceMarginUsd: bigint;
  initialMarginUsd: bigint;
  notionalUsd: bigint;
  positions: PositionRisk[];
}

type Prices = Pick<ProtocolSnapshot, "markets" | "collaterals">;

/** 10^d for the decimals a token may have, made once (a bigint power per balance showed in profiles). */
const POW10 = Array.from({ length: 78 }, (_, d) => 10n ** BigInt(d));
const pow10 = (d: number) => POW10[d] ?? 10n ** BigInt(d);

/**
 * ceil(notional·ratio / 1e18) for notional ≥ 0 (a floor of notional·mark): mulDivUp's value, as
 * floor((p + 1e18 − 1) / 1e18), one bigint fewer; a negative ratio goes to mulDivUp, which refuses it.
 */
function ratioUp(notional: bigint, ratioWad: bigint): bigint {
  return ratioWad < 0n ? mulDivUp(notional, ratioWad, WAD) : (notional * ratioWad + WAD_LESS_ONE) / WAD;
}
const WAD_LESS_ONE = WAD - 1n;

/** Weighted collateral value of an account, USD WAD, rounded down per asset. */
export function computeCollateralValue(snapshot: Prices, account: Account): bigint {
  let value = 0n;
  const balances = account.balancesNative;
  for (let assetId = 0; assetId < balances.length; assetId++) {
    const balance = balances[assetId]!;
    if (balance !== 0n) value += collateralValueOf(snapshot.collaterals[assetId]!, balance);
  }
  return value;
}

/** The weighted value of `balance` native units of `asset`, USD WAD, rounded down. */
export function collateralValueOf(asset: Pick<CollateralAsset, "priceWad" | "decimals"> & { params: Pick<CollateralAsset["params"], "weightWad"> }, balance: bigint): bigint {
  const usd = mulDivDown(balance, asset.priceWad, pow10(asset.decimals));
  // A full weight leaves the value as it is (floor(usd·1e18 / 1e18) = usd): two bigints saved.
  return asset.params.weightWad === WAD ? usd : mulDivDown(usd, asset.params.weightWad, WAD);
}

/** Σ notional of an account's positions, USD WAD (computeAccountRisk's notionalUsd, alone). */
export function computeNotional(snapshot: Prices, account: Account): bigint {
  let notionalUsd = 0n;
  for (const p of account.positions) notionalUsd += mulDivDown(abs(p.sizeBase), snapshot.markets[p.marketId]!.markPriceWad, WAD);
  return notionalUsd;
}

/** A position's notional and uPnL at a mark, as valuePosition writes them. */
export interface PositionValue {
  notionalUsd: bigint;
  upnlUsd: bigint;
}

/**
 * notional = floor(|s|·mark / 1e18) and uPnL = signedValue(s, mark) − openNotional of a position
 * at `markPriceWad`, into `out` (a caller's scratch: a hot loop allocates no object for them).
 */
export function valuePosition(sizeBase: bigint, openNotionalUsd: bigint, markPriceWad: bigint, out: PositionValue): void {
  // One product for both: signedValue(s, mark) is the notional for a long, −ceil(|s|·mark / 1e18)
  // for a short (one more when the division leaves a rest).
  const sizeAbs = abs(sizeBase);
  const product = sizeAbs * markPriceWad;
  const notional = markPriceWad < 0n ? mulDivDown(sizeAbs, markPriceWad, WAD) : product / WAD;
  out.notionalUsd = notional;
  out.upnlUsd = (sizeBase >= 0n ? notional : notional * WAD === product ? -notional : -notional - 1n) - openNotionalUsd;
}

const value: PositionValue = { notionalUsd: 0n, upnlUsd: 0n };

/** Equity, maintenance and initial margin, notional and per-position figures of an account. */
export function computeAccountRisk(snapshot: Prices, account: Account): AccountRisk {
  const collateralValueUsd = computeCollateralValue(snapshot, account);
  let equityUsd = collateralValueUsd + account.cashUsd;
  let maintenanceMarginUsd = 0n;
  let initialMarginUsd = 0n;
  let notionalUsd = 0n;
  const positions = account.positions.map((p): PositionRisk => {
    const market = snapshot.markets[p.marketId]!;
    const mark = market.markPriceWad;
    valuePosition(p.sizeBase, p.openNotionalUsd, mark, value);
    const notional = value.notionalUsd;
    const upnl = value.upnlUsd;
    const mm = ratioUp(notional, market.params.mmrWad);
    const im = ratioUp(notional, market.params.imrWad);
    equityUsd += upnl;
    notionalUsd += notional;
    maintenanceMarginUsd += mm;
    initialMarginUsd += im;
    return { marketId: p.marketId, sizeBase: p.sizeBase, markPriceWad: mark, notionalUsd: notional, upnlUsd: upnl, maintenanceMarginUsd: mm, initialMarginUsd: im };
  });
  return { collateralValueUsd, equityUsd, maintenanceMarginUsd, initialMarginUsd, notionalUsd, positions };
}
