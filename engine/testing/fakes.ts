/**
 * Fake protocol states for unit tests of pure engine functions — never used by the product.
 * One ETH-PERP market (opened at $1,000 by `fakeLong`), USDC and a haircut WETH collateral.
 */

import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";

import { WAD } from "../math/wad.ts";

export { WAD };
export const usd = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
export const fakeAddress = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;

/** A fake account long `eth` ETH-PERP opened at $1,000, with `cash` dollars (and `weth` WETH deposited). */
export function fakeLong(n: number, cash: number, eth: number, weth = 0): Account {
  return {
    address: fakeAddress(n),
    cashUsd: usd(cash),
    balancesNative: [0n, BigInt(Math.round(weth * 1e6)) * 10n ** 12n],
    positions: eth === 0 ? [] : [{ marketId: 0, sizeBase: BigInt(Math.round(eth * 1e6)) * 10n ** 12n, openNotionalUsd: usd(eth * 1000) }],
  };
}

/** Fake ETH-PERP at `mark`: mmr 5 %, penalty 2 %, keeper share 50 %, OI cap $10M; reserves all in insurance. */
export function fakeSnapshot(accounts: Account[], { mark = 1000, reserves = 1_000_000, priceAgeSec = 0n, longOi = 0, shortOi = 0 } = {}): ProtocolSnapshot {
  const weth = accounts.reduce((sum, a) => sum + (a.balancesNative[1] ?? 0n), 0n);
  return {
    chainId: 1, blockNumber: 100n, blockHash: "0x00", timestamp: 10_000n,
    markets: [{ id: 0, symbol: "ETH-PERP", feedId: "0x01", markPriceWad: usd(mark), priceUpdatedAt: 10_000n - priceAgeSec, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: usd(longOi), shortOpenInterestBase: usd(shortOi), params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: WAD / 50n, keeperShareWad: WAD / 2n, oiCapUsd: usd(10_000_000), concentrationCapWad: WAD, oracleMaxAgeSec: 3600n } }],
    collaterals: [
      { id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x02", priceWad: WAD, priceUpdatedAt: 10_000n, params: { weightWad: WAD, depositCapNative: 0n, oracleMaxAgeSec: 86_400n }, frozen: false, totalDepositsNative: 10n ** 12n, seizedNative: 0n },
      { id: 1, symbol: "WETH", token: "0x01", decimals: 18, feedId: "0x01", priceWad: usd(mark), priceUpdatedAt: 10_000n, params: { weightWad: (WAD * 8n) / 10n, depositCapNative: 0n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: weth, seizedNative: 0n },
    ],
    accounts,
    reserves: { insuranceFundUsd: usd(reserves), defaultFundUsd: 0n, defaultFundShares: 0n, pendingWithdrawalShares: 0n, badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
  };
}
