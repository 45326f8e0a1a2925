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
 * Example: account A deposits 10,000 USDC (1e10 units) and takes 1.5 ETH then 0.5 ETH long
 * at a $3,000 mark → balances [1e10, 0], positions [{ market 0, size 2e18, open notional
 * 6,000e18 }], cash 0. A short of 0.0003 BTC at $65,000.5 → open notional −19.50015e18.
 */

import type { Account } from "../../engine/types.ts";
import { signedValue } from "../../engine/math/wad.ts";
import type { SeedPlan } from "../seed/plan.ts";

export interface VenueAccountsParameters {
  plan: SeedPlan;
  /** Mark price per market id (WAD): the price the positions open at. */
  markPricesWad: readonly bigint[];
  /** Listed collaterals: the length of every balances array. */
  assetCount: number;
}

/** The settled accounts of `plan`, in registration order. */
export function venueAccounts({ plan, markPricesWad, assetCount }: VenueAccountsParameters): Account[] {
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
  return plan.accounts.map((address) => ({
    address: address.toLowerCase() as `0x${string}`,
    cashUsd: 0n,
    balancesNative: balances.get(address)!,
    positions: [...sizes.get(address)!]
      .filter(([, size]) => size !== 0n)
      .sort(([a], [b]) => a - b)
      .map(([marketId, sizeBase]) => ({ marketId, sizeBase, openNotionalUsd: signedValue(sizeBase, markPricesWad[marketId]!) })),
  }));
}
