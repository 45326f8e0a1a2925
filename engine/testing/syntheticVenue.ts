/**
 * Fake venues for tests and benchmarks of the engine's hot paths — never used by the product.
 * Three markets (ETH-PERP $3,000, BTC-PERP $60,000, SOL-PERP $150), USDC and a haircut WETH
 * whose feed is ETH's; each account holds 1–3 positions opened within ±10 % of the mark, some
 * collateral, and cash set so its health (equity / MM) lands where the mix says: a share
 * `nearMaintenance` (default 5 %) between 0.95 and 1.1, the rest between 1.3 and 8.
 * Seeded (mulberry32): the same seed gives the same venue.
 */

import { seededRandom } from "../math/random.ts";
import { CASCADE_KEEPER } from "../cascade/simulateCascade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { PREVIEW_KEEPER } from "../preview/previewChanges.ts";
import type { Venue } from "../columnar/columnarSnapshot.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { WAD } from "../math/wad.ts";


/**
 * Account n's address, 0x…n — but never an address the engine keeps for its own keepers (the
 * preview's 0x…b4c51 and the cascade's 0x…ca5ca, accounts 740,433 and 828,874 of a million):
 * a fake trader there would stand in for the keeper "that can carry anything" with its own few
 * thousand dollars. Those two get ff as their first byte instead.
 */
function syntheticAddress(n: number): `0x${string}` {
  const address = `0x${n.toString(16).padStart(40, "0")}` as const;
  return address === PREVIEW_KEEPER || address === CASCADE_KEEPER ? `0xff${address.slice(4)}` : address;
}
const wad = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;

export interface SyntheticVenueOptions {
  seed?: number;
  nearMaintenance?: number;
}

/** The fake venue's markets, collaterals, reserves and settings (no accounts, OI zero). */
export function syntheticVenueParams(): Venue {
  const market = (id: number, symbol: string, feedId: `0x${string}`, mark: number, mmr: number) => ({
    id, symbol, feedId, markPriceWad: wad(mark), priceUpdatedAt: 10_000n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 0n, shortOpenInterestBase: 0n,
    params: { imrWad: wad(2 * mmr), mmrWad: wad(mmr), liquidationPenaltyWad: wad(mmr / 2.5), keeperShareWad: wad(0.5), oiCapUsd: wad(1e12), concentrationCapWad: WAD, oracleMaxAgeSec: 3600n },
  });
  return {
    chainId: 31337, blockNumber: 1n, blockHash: "0x00", timestamp: 10_000n,
    markets: [market(0, "ETH-PERP", "0x01", 3000, 0.05), market(1, "BTC-PERP", "0x02", 60_000, 0.04), market(2, "SOL-PERP", "0x03", 150, 0.1)],
    collaterals: [
      { id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x04", priceWad: WAD, priceUpdatedAt: 10_000n, params: { weightWad: WAD, depositCapNative: 10n ** 30n, oracleMaxAgeSec: 86_400n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n },
      { id: 1, symbol: "WETH", token: "0x01", decimals: 18, feedId: "0x01", priceWad: wad(3000), priceUpdatedAt: 10_000n, params: { weightWad: wad(0.8), depositCapNative: 10n ** 30n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n },
    ],
    reserves: { insuranceFundUsd: wad(50e6), defaultFundUsd: wad(50e6), defaultFundShares: wad(50e6), pendingWithdrawalShares: 0n, badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
  };
}

/** `count` fake accounts of the venue, one at a time (a generator: nothing need hold them all). */
export function* syntheticAccounts(venue: Venue, count: number, { seed = 1, nearMaintenance = 0.05 }: SyntheticVenueOptions = {}): Generator<Account> {
  const rng = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const positions = [];
    const held = 1 + Math.floor(rng.next() * 3);
    const first = Math.floor(rng.next() * 3);
    for (let k = 0; k < held; k++) {
      const marketId = (first + k) % 3;
      const mark = Number(venue.markets[marketId]!.markPriceWad) / 1e18;
      const notional = Math.exp(7 + 3 * rng.next());
      const sign = rng.next() < 0.5 ? -1n : 1n;
      const sizeBase = sign * wad(notional / mark);
      const entry = mark * (0.9 + 0.2 * rng.next());
      positions.push({ marketId, sizeBase, openNotionalUsd: (sizeBase * wad(entry)) / WAD });
    }
    positions.sort((a, b) => a.marketId - b.marketId);
    const weth = rng.next() < 0.3 ? wad(rng.next() * 2) : 0n;
    const account: Account = { address: syntheticAddress(i + 1), cashUsd: 0n, balancesNative: [BigInt(Math.floor(rng.next() * 1e9)), weth], positions };
    const risk = computeAccountRisk(venue, account);
    const health = rng.next() < nearMaintenance ? 0.95 + 0.15 * rng.next() : 1.3 + 6.7 * rng.next();
    account.cashUsd = (risk.maintenanceMarginUsd * wad(health)) / WAD - risk.equityUsd;
    yield account;
  }
}

/** A whole fake snapshot of `count` accounts, open interest and deposits filled in. */
export function syntheticSnapshot(count: number, options: SyntheticVenueOptions = {}): ProtocolSnapshot {
  const venue = syntheticVenueParams();
  const accounts = [...syntheticAccounts(venue, count, options)];
  for (const a of accounts) {
    for (const p of a.positions) {
      const m = venue.markets[p.marketId]!;
      if (p.sizeBase > 0n) m.longOpenInterestBase += p.sizeBase;
      else m.shortOpenInterestBase -= p.sizeBase;
    }
    a.balancesNative.forEach((b, c) => (venue.collaterals[c]!.totalDepositsNative += b));
  }
  return { ...venue, accounts };
}
