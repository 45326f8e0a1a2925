/**
 * Whether a market stops the liquidation of an account, as LiquidationLogic reverts
 * (docs/PROTOCOL.md "Pause"): any market it holds a position in is paused (MarketPaused), or
 * was unpaused less than the grace period ago (LiquidationGracePeriod: liquidations resume at
 * unpausedAt + gracePeriod, as in Aave v3.1). Depends on the markets and the clock only, never
 * on the account's margin, so a batch of liquidations can ask it once per account up front.
 *
 * Example: ETH-PERP unpaused at t = 1,000 with a 600 s grace period: at t = 1,500 an account
 * holding ETH-PERP gets LiquidationGracePeriod ("resume at 1600"); at t = 1,600 nothing.
 */

import type { Account, ProtocolSnapshot } from "../types.ts";

export interface LiquidationBlock {
  errorName: "MarketPaused" | "LiquidationGracePeriod";
  message: string;
}

/** The revert a market of `account` imposes on its liquidation, or undefined. */
export function marketBlocksLiquidation(snapshot: Pick<ProtocolSnapshot, "markets" | "global" | "timestamp">, account: Pick<Account, "positions">): LiquidationBlock | undefined {
  for (const p of account.positions) {
    const market = snapshot.markets[p.marketId]!;
    if (market.paused) return { errorName: "MarketPaused", message: `${market.symbol} is paused: liquidations wait` };
    if (market.unpausedAt === 0n) continue;
    const resumesAt = market.unpausedAt + snapshot.global.gracePeriodSec;
    if (snapshot.timestamp < resumesAt) return { errorName: "LiquidationGracePeriod", message: `${market.symbol} liquidations resume at ${resumesAt}` };
  }
  return undefined;
}
