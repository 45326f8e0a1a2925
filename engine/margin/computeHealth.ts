/**
 * What a trader and a dashboard read off an account: health, leverage, and per position the
 * liquidation price, the bankruptcy price and the distance to liquidation, each with every other
 * price held fixed. Display figures (decimal.js, not parity-bound); the margin figures they come
 * from are the contract-exact ones of computeAccountRisk.
 *
 *   health    = equity / MM                       (no positions: null)
 *   leverage  = Σ notional / equity               (equity ≤ 0: null)
 *   liquidation price of position p (long or short, others fixed): the mark P with
 *     equity(P) = MM(P):  C + cash + uPnL_others + s·P − ON = MM_others + |s|·P·mmr
 *     ⇒ P = (MM_others − C − cash − uPnL_others + ON) / (s − |s|·mmr)
 *   bankruptcy price: equity(P) = 0 ⇒ P = (ON − C − cash − uPnL_others) / s
 *   distance  = (liquidation price − mark) / mark  (negative: the price must fall)
 *
 * Health, leverage and distance are floats of exact integers (healthRatio, leverageOf,
 * liquidationDistances: a few ulp; the accounts list computes them for a whole venue at once);
 * the prices are decimal, floored to WAD.
 *
 * Example: $1,250 USDC, long 2 ETH from $3,000, mmr 5 %: liquidation price
 * = (0 − 1,250 + 6,000) / (2 − 0.1) = $2,500; bankruptcy price = (6,000 − 1,250) / 2 = $2,375.
 * Collateral is held at its current price (WETH collateral does not follow ETH here).
 */

import Decimal from "decimal.js";
import { fromWad } from "../format.ts";
import { WAD } from "../math/wad.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk, type AccountRisk } from "./computeAccountRisk.ts";
import { isLiquidatable } from "./isLiquidatable.ts";

export interface PositionHealth {
  marketId: number;
  sizeBase: bigint;
  entryPriceWad: bigint;
  markPriceWad: bigint;
  notionalUsd: bigint;
  upnlUsd: bigint;
  /** null when no positive price liquidates it (e.g. a fully collateralised long). */
  liquidationPriceWad: bigint | null;
  bankruptcyPriceWad: bigint | null;
  /** Signed fraction of the mark to the liquidation price; null with no liquidation price. */
  distanceToLiquidation: number | null;
}

export interface AccountHealth {
  address: `0x${string}`;
  risk: AccountRisk;
  liquidatable: boolean;
  health: number | null;
  leverage: number | null;
  positions: PositionHealth[];
}


function solvePrice(numeratorUsd: Decimal, denominatorBase: Decimal): bigint | null {
  if (denominatorBase.isZero()) return null;
  const price = numeratorUsd.div(denominatorBase);
  return price.gt(0) ? BigInt(price.mul(1e18).toFixed(0, Decimal.ROUND_DOWN)) : null;
}

/** equity / MM (null without positions or maintenance margin). */
export function healthRatio(risk: AccountRisk): number | null {
  return risk.positions.length === 0 || risk.maintenanceMarginUsd === 0n ? null : Number(risk.equityUsd) / Number(risk.maintenanceMarginUsd);
}

/** Σ notional / equity (null without positions, or with equity ≤ 0). */
export function leverageOf(risk: AccountRisk): number | null {
  return risk.equityUsd <= 0n || risk.positions.length === 0 ? null : Number(risk.notionalUsd) / Number(risk.equityUsd);
}

/**
 * Each position's distance from its mark to its liquidation price (header), null where no
 * positive price liquidates it: P / mark = n·10³⁶ / (d·mark) with n = MM_others − rest + ON and
 * d = s·10¹⁸ − |s|·mmr exact integers (WAD), so the float is a few ulp from the real one.
 */
export function liquidationDistances(snapshot: Pick<ProtocolSnapshot, "markets">, account: Account, risk: AccountRisk): (number | null)[] {
  return risk.positions.map((p, i) => {
    const rest = risk.equityUsd - p.upnlUsd;
    const numerator = risk.maintenanceMarginUsd - p.maintenanceMarginUsd - rest + account.positions[i]!.openNotionalUsd;
    const denominator = p.sizeBase * WAD - (p.sizeBase < 0n ? -p.sizeBase : p.sizeBase) * snapshot.markets[p.marketId]!.params.mmrWad;
    if (denominator === 0n || numerator === 0n || numerator > 0n !== denominator > 0n) return null;
    return (Number(numerator) * 1e36) / (Number(denominator) * Number(p.markPriceWad)) - 1;
  });
}

export function computeHealth(snapshot: Pick<ProtocolSnapshot, "markets" | "collaterals">, account: Account): AccountHealth {
  const risk = computeAccountRisk(snapshot, account);
  const equity = fromWad(risk.equityUsd);
  const distances = liquidationDistances(snapshot, account, risk);
  const positions = risk.positions.map((p, i): PositionHealth => {
    const position = account.positions[i]!;
    const mmr = fromWad(snapshot.markets[p.marketId]!.params.mmrWad);
    const size = fromWad(p.sizeBase);
    const openNotional = fromWad(position.openNotionalUsd);
    // equity without this position's mark-dependent part: C + cash + uPnL_others
    const rest = equity.minus(fromWad(p.upnlUsd));
    const mmOthers = fromWad(risk.maintenanceMarginUsd - p.maintenanceMarginUsd);
    const liquidationPriceWad = solvePrice(mmOthers.minus(rest).plus(openNotional), size.minus(size.abs().mul(mmr)));
    const bankruptcyPriceWad = solvePrice(openNotional.minus(rest), size);
    return {
      marketId: p.marketId,
      sizeBase: p.sizeBase,
      entryPriceWad: (position.openNotionalUsd < 0n ? -position.openNotionalUsd : position.openNotionalUsd) * WAD / (p.sizeBase < 0n ? -p.sizeBase : p.sizeBase),
      markPriceWad: p.markPriceWad,
      notionalUsd: p.notionalUsd,
      upnlUsd: p.upnlUsd,
      liquidationPriceWad,
      bankruptcyPriceWad,
      distanceToLiquidation: distances[i]!,
    };
  });
  return {
    address: account.address,
    risk,
    liquidatable: isLiquidatable(risk),
    health: healthRatio(risk),
    leverage: leverageOf(risk),
    positions,
  };
}
