/**
 * Lens structs (as viem decodes them) → the engine's types: addresses lower-cased, ids as numbers,
 * units unchanged. Accounts, read by the hundred thousand, skip viem's objects: accountCodec.ts
 * (lib/actions) decodes the lens's bytes straight into the same shapes.
 */

import type { ContractFunctionReturnType } from "viem";
import type { clearinghouseLensAbi } from "../contracts/abis.ts";
import { collateralParamsFromStruct, marketParamsFromStruct } from "./params.ts";
import { AdlMode, type CollateralAsset, type GlobalParams, type Market, type Reserves } from "../../engine/types.ts";

type LensReturn<F extends "getMarkets" | "getCollaterals" | "getReserves"> = ContractFunctionReturnType<typeof clearinghouseLensAbi, "view", F>;

export function reshapeMarket(m: LensReturn<"getMarkets">[number]): Market {
  return {
    id: Number(m.id),
    symbol: m.symbol,
    feedId: m.feedId,
    markPriceWad: m.markPrice,
    priceUpdatedAt: m.priceUpdatedAt,
    params: marketParamsFromStruct(m.params),
    frozen: m.frozen,
    paused: m.paused,
    unpausedAt: m.unpausedAt,
    longOpenInterestBase: m.longOpenInterest,
    shortOpenInterestBase: m.shortOpenInterest,
  };
}

export function reshapeCollateral(c: LensReturn<"getCollaterals">[number]): CollateralAsset {
  return {
    id: Number(c.id),
    token: c.token.toLowerCase() as `0x${string}`,
    symbol: c.symbol,
    decimals: c.decimals,
    feedId: c.feedId,
    priceWad: c.price,
    priceUpdatedAt: c.priceUpdatedAt,
    params: collateralParamsFromStruct(c.params),
    frozen: c.frozen,
    totalDepositsNative: c.totalDeposits,
    seizedNative: c.seized,
  };
}

export function reshapeReserves(r: LensReturn<"getReserves">): { reserves: Reserves; global: GlobalParams } {
  return {
    reserves: {
      insuranceFundUsd: r.insuranceFund,
      defaultFundUsd: r.defaultFund,
      defaultFundShares: r.defaultFundShares,
      pendingWithdrawalShares: r.pendingWithdrawalShares,
      badDebtUsd: r.badDebt,
    },
    global: {
      adlMode: r.adlMode === 1 ? AdlMode.ProRata : AdlMode.Queue,
      gracePeriodSec: r.gracePeriod,
      defaultFundCooldownSec: r.defaultFundCooldown,
    },
  };
}
