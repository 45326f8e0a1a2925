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

export function computeHealth(snapshot: Pick<ProtocolSnapshot, "markets" | "collaterals">, account: Account): AccountHealth {
  const risk = computeAccountRisk(snapshot, account);
  const equity = fromWad(risk.equityUsd);
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
    const mark = fromWad(p.markPriceWad);
    return {
      marketId: p.marketId,
      sizeBase: p.sizeBase,
      entryPriceWad: (position.openNotionalUsd < 0n ? -position.openNotionalUsd : position.openNotionalUsd) * WAD / (p.sizeBase < 0n ? -p.sizeBase : p.sizeBase),
      markPriceWad: p.markPriceWad,
      notionalUsd: p.notionalUsd,
      upnlUsd: p.upnlUsd,
      liquidationPriceWad,
      bankruptcyPriceWad,
      distanceToLiquidation: liquidationPriceWad === null ? null : fromWad(liquidationPriceWad).minus(mark).div(mark).toNumber(),
    };
  });
  return {
    address: account.address,
    risk,
    liquidatable: isLiquidatable(risk),
    health: risk.positions.length === 0 || risk.maintenanceMarginUsd === 0n ? null : equity.div(fromWad(risk.maintenanceMarginUsd)).toNumber(),
    leverage: risk.equityUsd <= 0n || risk.positions.length === 0 ? null : fromWad(risk.notionalUsd).div(equity).toNumber(),
    positions,
  };
}
