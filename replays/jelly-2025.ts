/**
 * jelly-2025 (2025-03-26): a trader opened a ~$4M JELLY short on one account against longs on
 * others, then pushed JELLY's price up; the short was liquidated into the venue's backstop vault,
 * which inherited the position and, with JELLY still rising, stood to lose millions before the
 * market was delisted.
 *
 * Staged: JELLY-PERP listed at $0.05 (20 % IMR, $10M OI cap, 50 % concentration cap); the
 * attacker shorts 80M JELLY ($4M) on $900k and takes the long on a second account; the price is
 * pushed 25 %; the protocol's backstop keeper liquidates the bankrupt short, the insurance fund
 * absorbs its deficit and the keeper now carries the whole short. Backstop must flag the
 * reserves' exposure to that one market (and only that one), and the concentration in it.
 */

import type { Replay } from "./replay.ts";
import type { Monitor } from "../lib/actions/readMonitor.ts";
import type { ProtocolSnapshot } from "../engine/index.ts";

export interface JellyResult {
  marketId: number;
  shortAccount: `0x${string}`;
  longAccount: `0x${string}`;
  before: Monitor & { snapshot: ProtocolSnapshot };
  after: Monitor & { snapshot: ProtocolSnapshot };
}

export const jelly2025: Replay<JellyResult> = {
  name: "jelly-2025",
  date: "2025-03-26",
  summary: "A large JELLY short self-liquidates into the protocol's backstop keeper after a pushed price; Backstop flags the reserves' exposure to that one market.",
  harness: { backstopKeeper: true },
  async run(h, log) {
    const marketId = await h.listMarket({ symbol: "JELLY-PERP", feed: "JELLY/USD", price: 0.05, imr: 20, mmr: 10, penalty: 2, keeperShare: 50, oiCapUsd: 10_000_000, concentrationCap: 50 });
    await h.fundReserves(1_000_000, 1_000_000);
    const [shortSide, longSide] = await Promise.all([h.actor("jelly-short"), h.actor("jelly-long")]);
    await h.deposit(shortSide, 900_000);
    await h.deposit(longSide, 1_000_000);
    await h.deposit(h.keeper.address, 2_000_000);
    await h.trade(longSide, shortSide, marketId, 80_000_000);
    const before = await h.monitor();
    log("attacker: short 80M JELLY ($4M) on $900k, long 80M on a second account");

    await h.setPrices({ "JELLY/USD": 0.0625, "ETH/USD": 3000, "BTC/USD": 65_000, "SOL/USD": 150, "USDC/USD": 1 });
    await h.keeper.tick();
    const after = await h.monitor();
    log(`JELLY pushed 25 %: the short is liquidated into the backstop keeper; alerts: ${after.alerts.map((a) => a.id).join(", ")}`);
    return { marketId, shortAccount: shortSide.toLowerCase() as `0x${string}`, longAccount: longSide.toLowerCase() as `0x${string}`, before, after };
  },
};
