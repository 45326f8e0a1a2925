/**
 * The accounts a seed plan leaves once every deposit and trade has settled, as the engine's
 * `Account`s: what an injected venue must read back from the chain, to the wei.
 *
 * Per account: the balances are the sum of its deposits per asset; each position's size is the
 * sum of its trades' deltas (taker +delta, maker −delta) and its open notional is that of one
 * trade of that size at the mark, signedValue(size, mark) (floor toward −∞); cash is 0 (the plan
 * never reduces a position, so nothing is realised). Accounts keep the plan's order, which is
 * the order the seed registers them in (first deposit).
 *
 * One correction the seed never needs at 5,000 accounts: the plan rounds sizes to 0.0001 base
 * units, which at 100k+ accounts (sizes scaled down to the same open-interest target) can lift
 * a small account's initial margin over its collateral; such an account gets the shortfall in
 * quote-token units (asset 0, rounded up), so it opens exactly as `trade` would accept it:
 * equity = Σ floor(floor(balance·price / 10^dec)·weight / 1e18) ≥ IM = Σ ceil(floor(|size|·mark / 1e18)·imr / 1e18).
 *
 * Example: account A deposits 10,000 USDC (1e10 units) and takes 1.5 ETH then 0.5 ETH long
 * at a $3,000 mark → balances [1e10, 0], positions [{ market 0, size 2e18, open notional
 * 6,000e18 }], cash 0. A short of 0.0003 BTC at $65,000.5 → open notional −19.50015e18.
 */

import type { Account } from "../../engine/types.ts";
import { abs, mulDivDown, mulDivUp, signedValue, WAD } from "../../engine/math/wad.ts";
import type { SeedPlan } from "../seed/plan.ts";

export interface VenueAccountsParameters {
  plan: SeedPlan;
  /** Per market id: the mark the positions open at and the initial margin ratio (WAD). */
  markets: readonly { markPriceWad: bigint; imrWad: bigint }[];
  /** Per asset id (asset 0 the quote token): price, weight (WAD) and decimals. */
  collaterals: readonly { priceWad: bigint; weightWad: bigint; decimals: number }[];
}

/** The settled accounts of `plan`, in registration order. */
export function venueAccounts({ plan, markets, collaterals }: VenueAccountsParameters): Account[] {
  const assetCount = collaterals.length;
  const balances = new Map<string, bigint[]>();
  const sizes = new Map<string, Map<number, bigint>>();
  for (const address of plan.accounts) {
    balances.set(address, Array.from({ length: assetCount }, () => 0n));
    sizes.set(address, new Map());
  }
  for (const d of plan.deposits) balances.get(d.account)![d.assetId]! += d.amountNative;
  const move = (account: string, marketId: number, delta: bigint) => {
    const held = sizes.get(account)!;
    held.set(marketId, (held.get(marketId) ?? 0n) + delta);
  };
  for (const t of plan.trades) {
    move(t.taker, t.marketId, t.sizeDeltaBase);
    move(t.maker, t.marketId, -t.sizeDeltaBase);
  }
  return plan.accounts.map((address) => {
    const positions = [...sizes.get(address)!]
      .filter(([, size]) => size !== 0n)
      .sort(([a], [b]) => a - b)
      .map(([marketId, sizeBase]) => ({ marketId, sizeBase, openNotionalUsd: signedValue(sizeBase, markets[marketId]!.markPriceWad) }));
    const balancesNative = balances.get(address)!;
    balancesNative[0]! += quoteShortfall(balancesNative, positions, markets, collaterals);
    return { address: address.toLowerCase() as `0x${string}`, cashUsd: 0n, balancesNative, positions };
  });
}

/** Quote-token units an account opening `positions` at mark lacks to meet initial margin (0 if none). */
function quoteShortfall(
  balancesNative: readonly bigint[],
  positions: readonly { marketId: number; sizeBase: bigint }[],
  markets: VenueAccountsParameters["markets"],
  collaterals: VenueAccountsParameters["collaterals"],
): bigint {
  const equityUsd = balancesNative.reduce((sum, balance, id) => {
    const c = collaterals[id]!;
    return sum + mulDivDown(mulDivDown(balance, c.priceWad, 10n ** BigInt(c.decimals)), c.weightWad, WAD);
  }, 0n);
  const imUsd = positions.reduce((sum, p) => {
    const m = markets[p.marketId]!;
    return sum + mulDivUp(mulDivDown(abs(p.sizeBase), m.markPriceWad, WAD), m.imrWad, WAD);
  }, 0n);
  if (equityUsd >= imUsd) return 0n;
  const quote = collaterals[0]!;
  const usdPerUnit = mulDivDown(mulDivDown(1n, quote.priceWad, 10n ** BigInt(quote.decimals)), quote.weightWad, WAD);
  return (imUsd - equityUsd + usdPerUnit - 1n) / usdPerUnit;
}
