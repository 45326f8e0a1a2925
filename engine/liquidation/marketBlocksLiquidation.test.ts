import { describe, expect, it } from "vitest";
import { fakeLong, fakeSnapshot } from "../testing/fakes.ts";
import { marketBlocksLiquidation } from "./marketBlocksLiquidation.ts";

/** Fake ETH-PERP unpaused at t = 1,000 with a 600 s grace period (the header's example), read at `now`. */
function venue(now: bigint, market: { paused?: boolean; unpausedAt?: bigint } = {}) {
  const s = fakeSnapshot([]);
  return { ...s, timestamp: now, global: { ...s.global, gracePeriodSec: 600n }, markets: s.markets.map((m) => ({ ...m, paused: market.paused ?? false, unpausedAt: market.unpausedAt ?? 1_000n })) };
}
const holder = fakeLong(1, 100, 1);

describe("marketBlocksLiquidation", () => {
  it("blocks until the grace period after an unpause has passed, to the second", () => {
    expect(marketBlocksLiquidation(venue(1_500n), holder)).toEqual({ errorName: "LiquidationGracePeriod", message: "ETH-PERP liquidations resume at 1600" });
    expect(marketBlocksLiquidation(venue(1_599n), holder)?.errorName).toBe("LiquidationGracePeriod");
    expect(marketBlocksLiquidation(venue(1_600n), holder)).toBeUndefined();
  });

  it("blocks every liquidation in a paused market, whatever the clock", () => {
    expect(marketBlocksLiquidation(venue(1_000_000n, { paused: true }), holder)).toEqual({ errorName: "MarketPaused", message: "ETH-PERP is paused: liquidations wait" });
  });

  it("never blocks in a market that was never paused (unpausedAt 0), nor an account without a position there", () => {
    expect(marketBlocksLiquidation(venue(10n, { unpausedAt: 0n }), holder)).toBeUndefined();
    expect(marketBlocksLiquidation(venue(1_500n, { paused: true }), fakeLong(2, 100, 0))).toBeUndefined();
  });
});
