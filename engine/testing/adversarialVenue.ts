/**
 * Fake venues for property tests of the float screen — never used by the product. Random markets
 * and collaterals (marks from 1 wei to 10³⁰ wei, any margin ratio and weight, 0–30 decimals) and
 * accounts built to sit where floats are weakest: sizes from 1 wei to past 2¹⁰⁶, dust, and cash
 * set so the margin lands exactly at 0, one wei either side, or a few wei away.
 */

import fc from "fast-check";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { Venue } from "../columnar/columnarSnapshot.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { WAD } from "../math/wad.ts";


/** A positive integer of any size the adversary likes: 1 wei, powers of two, up to 10^exp. */
const magnitude = (maxExp: number) =>
  fc.oneof(
    fc.constantFrom(1n, 2n, 3n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 106n + 1n, 10n ** 18n),
    fc.tuple(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: maxExp })).map(([m, e]) => BigInt(m) * 10n ** BigInt(e)),
    fc.bigInt({ min: 1n, max: 10n ** BigInt(maxExp) }),
  );

const ratio = fc.oneof(fc.constantFrom(1n, WAD - 1n, WAD, WAD / 20n), fc.bigInt({ min: 1n, max: WAD }));

export const arbitraryVenue: fc.Arbitrary<Venue> = fc
  .record({
    marks: fc.array(magnitude(30), { minLength: 1, maxLength: 3 }),
    mmr: fc.array(ratio, { minLength: 3, maxLength: 3 }),
    collaterals: fc.array(fc.record({ price: magnitude(30), weight: ratio, decimals: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 2 }),
  })
  .map(({ marks, mmr, collaterals }) => ({
    chainId: 1, blockNumber: 1n, blockHash: "0x00" as const, timestamp: 0n,
    markets: marks.map((mark, id) => ({
      id, symbol: `M${id}`, feedId: "0x00" as const, markPriceWad: mark, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 0n, shortOpenInterestBase: 0n,
      params: { imrWad: WAD, mmrWad: mmr[id]!, liquidationPenaltyWad: 0n, keeperShareWad: 0n, oiCapUsd: 0n, concentrationCapWad: WAD, oracleMaxAgeSec: 0n },
    })),
    collaterals: collaterals.map((c, id) => ({ id, symbol: `C${id}`, token: "0x00" as const, decimals: c.decimals, feedId: "0x00" as const, priceWad: c.price, priceUpdatedAt: 0n, params: { weightWad: c.weight, depositCapNative: 0n, oracleMaxAgeSec: 0n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n })),
    reserves: { insuranceFundUsd: 0n, defaultFundUsd: 0n, defaultFundShares: 0n, pendingWithdrawalShares: 0n, badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
  }));

const signed = (maxExp: number) => fc.tuple(fc.boolean(), magnitude(maxExp)).map(([negative, x]) => (negative ? -x : x));

/** Raw accounts for `venue`: random positions (some markets empty), balances, cash. */
export const arbitraryAccountShape = fc.record({
  sizes: fc.array(fc.option(fc.tuple(signed(32), magnitude(34)), { nil: undefined, freq: 2 }), { minLength: 3, maxLength: 3 }),
  balances: fc.array(fc.option(magnitude(32), { nil: undefined }), { minLength: 2, maxLength: 2 }),
  cash: signed(36),
  /** Where the margin lands: exactly at the line plus this many wei, or left as drawn. */
  offsetWei: fc.option(fc.constantFrom(-1n, 0n, 1n, -2n, 2n, -1000n, 1000n), { nil: undefined, freq: 3 }),
});

export type AccountShape = typeof arbitraryAccountShape extends fc.Arbitrary<infer T> ? T : never;

/**
 * The account a shape describes in `venue`; with an offset, cash is moved so that
 * equity − MM (or equity alone, `maintenance` false) is exactly that many wei.
 */
export function adversarialAccount(venue: Pick<ProtocolSnapshot, "markets" | "collaterals">, shape: AccountShape, n: number, maintenance = true): Account {
  const positions = venue.markets.flatMap((_, marketId) => {
    const drawn = shape.sizes[marketId];
    if (!drawn) return [];
    const [sizeBase, entry] = drawn;
    return [{ marketId, sizeBase, openNotionalUsd: sizeBase < 0n ? -entry : entry }];
  });
  const account: Account = { address: `0x${(n + 1).toString(16).padStart(40, "0")}`, cashUsd: shape.cash, balancesNative: venue.collaterals.map((_, c) => shape.balances[c] ?? 0n), positions };
  if (shape.offsetWei !== undefined) {
    const risk = computeAccountRisk(venue, account);
    const margin = risk.equityUsd - (maintenance ? risk.maintenanceMarginUsd : 0n);
    account.cashUsd += shape.offsetWei - margin;
  }
  return account;
}
