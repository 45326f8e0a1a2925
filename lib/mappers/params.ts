/**
 * The clearinghouse's parameter structs ⇄ the engine's, once each: MarketParams (imr, mmr, …,
 * oracleMaxAge) and CollateralParams (weight, depositCap, oracleMaxAge), as viem decodes and
 * encodes them (lens reads, event arguments, calldata). Units are unchanged; only the names
 * gain theirs (imr → imrWad, oracleMaxAge → oracleMaxAgeSec).
 */

import type { CollateralParams, MarketParams } from "../../engine/types.ts";

/** Clearinghouse.MarketParams as viem has it. */
export interface MarketParamsStruct {
  imr: bigint;
  mmr: bigint;
  liquidationPenalty: bigint;
  keeperShare: bigint;
  oiCapUsd: bigint;
  concentrationCap: bigint;
  oracleMaxAge: bigint;
}

/** Clearinghouse.CollateralParams as viem has it. */
export interface CollateralParamsStruct {
  weight: bigint;
  depositCap: bigint;
  oracleMaxAge: bigint;
}

/** A MarketParams struct read from the chain, as the engine's MarketParams. */
export const marketParamsFromStruct = (p: MarketParamsStruct): MarketParams => ({
  imrWad: p.imr,
  mmrWad: p.mmr,
  liquidationPenaltyWad: p.liquidationPenalty,
  keeperShareWad: p.keeperShare,
  oiCapUsd: p.oiCapUsd,
  concentrationCapWad: p.concentrationCap,
  oracleMaxAgeSec: p.oracleMaxAge,
});

/** The engine's MarketParams as the struct a call sends (the inverse of marketParamsFromStruct). */
export const marketParamsToStruct = (p: MarketParams): MarketParamsStruct => ({
  imr: p.imrWad,
  mmr: p.mmrWad,
  liquidationPenalty: p.liquidationPenaltyWad,
  keeperShare: p.keeperShareWad,
  oiCapUsd: p.oiCapUsd,
  concentrationCap: p.concentrationCapWad,
  oracleMaxAge: p.oracleMaxAgeSec,
});

/** A CollateralParams struct read from the chain, as the engine's CollateralParams. */
export const collateralParamsFromStruct = (p: CollateralParamsStruct): CollateralParams => ({ weightWad: p.weight, depositCapNative: p.depositCap, oracleMaxAgeSec: p.oracleMaxAge });

/** The engine's CollateralParams as the struct a call sends (the inverse of collateralParamsFromStruct). */
export const collateralParamsToStruct = (p: CollateralParams): CollateralParamsStruct => ({ weight: p.weightWad, depositCap: p.depositCapNative, oracleMaxAge: p.oracleMaxAgeSec });
