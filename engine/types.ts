/**
 * Domain types of the risk engine. Every amount is an integer `bigint` in the unit its name
 * carries (see docs/PROTOCOL.md): `Wad` = 18-decimal fixed point, `Usd` = USD in WAD,
 * `Base` = base-asset units in WAD, `Native` = the token's own decimals.
 * Snapshots are plain data: `serializeSnapshot`/`deserializeSnapshot` (engine/serialize.ts)
 * turn them into JSON and back.
 */

export const AdlMode = { Queue: 0, ProRata: 1 } as const;
export type AdlMode = (typeof AdlMode)[keyof typeof AdlMode];

/** Governable risk parameters of one perp market (mirrors `MarketParams` in Solidity). */
export interface MarketParams {
  imrWad: bigint;
  mmrWad: bigint;
  liquidationPenaltyWad: bigint;
  keeperShareWad: bigint;
  oiCapUsd: bigint;
  concentrationCapWad: bigint;
  oracleMaxAgeSec: bigint;
}

export interface Market {
  id: number;
  symbol: string; // e.g. "ETH-PERP"
  feedId: `0x${string}`;
  markPriceWad: bigint;
  priceUpdatedAt: bigint; // unix seconds
  params: MarketParams;
  frozen: boolean;
  paused: boolean;
  unpausedAt: bigint; // unix seconds, 0 if never paused
  longOpenInterestBase: bigint;
  shortOpenInterestBase: bigint;
}

/** Governable parameters of one collateral asset (mirrors `CollateralParams`). */
export interface CollateralParams {
  weightWad: bigint;
  depositCapNative: bigint;
  oracleMaxAgeSec: bigint;
}

export interface CollateralAsset {
  id: number;
  token: `0x${string}`;
  symbol: string;
  decimals: number;
  feedId: `0x${string}`;
  priceWad: bigint;
  priceUpdatedAt: bigint;
  params: CollateralParams;
  frozen: boolean;
  totalDepositsNative: bigint;
  seizedNative: bigint;
}

export interface Position {
  marketId: number;
  sizeBase: bigint; // signed, long > 0
  openNotionalUsd: bigint; // signed, same sign as size
}

export interface Account {
  address: `0x${string}`; // lower-case hex
  cashUsd: bigint; // signed
  balancesNative: bigint[]; // indexed by collateral asset id
  positions: Position[]; // ascending marketId, no zero sizes
}

export interface Reserves {
  insuranceFundUsd: bigint;
  defaultFundUsd: bigint;
  defaultFundShares: bigint;
  pendingWithdrawalShares: bigint;
  badDebtUsd: bigint;
}

export interface GlobalParams {
  adlMode: AdlMode;
  gracePeriodSec: bigint;
  defaultFundCooldownSec: bigint;
}

/** Everything the engine needs, read at one block. */
export interface ProtocolSnapshot {
  chainId: number;
  blockNumber: bigint;
  blockHash: `0x${string}`;
  timestamp: bigint; // block timestamp, unix seconds
  markets: Market[]; // index = market id
  collaterals: CollateralAsset[]; // index = asset id
  accounts: Account[];
  reserves: Reserves;
  global: GlobalParams;
}
