/**
 * yfi-2023 (2023-11-17): open interest in YFI perpetuals grew from about $0.8M to $67M in days,
 * a few accounts holding most of it; then YFI fell 44 % in two hours, $38M was liquidated and the
 * venue's insurance fund lost about $9M.
 *
 * Staged: a YFI-PERP market listed earlier ($15,000, 10 % IMR, $80M OI cap, 50 % concentration
 * cap), $750k of open interest, then, 300 blocks later, three whales take it to $61.5M (82×)
 * against two makers — the largest whale holding half of all longs. Backstop's alerts must fire
 * before the fall (OI growth, concentration); the stress page, run on the library's
 * 2023-11-yfi-squeeze scenario (−44 % in 2 steps, no market impact), shows the reserves' loss;
 * the chain then falls along the same path with the real keeper, and loses what was shown.
 */

import { historicalScenarios, movePrice, pathFromMoves, scenarioMoves, simulateCascade, type Alert, type CascadeResult } from "../engine/index.ts";
import type { Replay } from "./replay.ts";

export interface YfiResult {
  marketId: number;
  alertsBeforeFall: Alert[];
  stress: Omit<CascadeResult, "final"> & { reservesAfterUsd: bigint };
  reservesBeforeUsd: bigint;
  reservesAfterUsd: bigint;
}

export const yfi2023: Replay<YfiResult> = {
  name: "yfi-2023",
  date: "2023-11-17",
  summary: "OI in an illiquid market grows 80× before a 44 % fall: the OI-growth and concentration alerts fire before it, and the stress page's insurance loss is what the chain then loses.",
  // The venue's own liquidator closes bankrupt positions, which pay a keeper nothing.
  harness: { backstopKeeper: true },
  async run(h, log) {
    const marketId = await h.listMarket({ symbol: "YFI-PERP", feed: "YFI/USD", price: 15_000, imr: 10, mmr: 5, penalty: 2, keeperShare: 50, oiCapUsd: 80_000_000, concentrationCap: 50 });
    await h.fundReserves(5_000_000, 5_000_000);
    const [early, maker1, maker2] = await Promise.all([h.actor("early"), h.actor("maker-1"), h.actor("maker-2")]);
    await h.deposit(early, 200_000);
    await h.deposit(maker1, 10_000_000);
    await h.deposit(maker2, 10_000_000);
    await h.deposit(h.keeper.address, 20_000_000);
    await h.trade(early, maker1, marketId, 50);
    log("YFI-PERP listed at $15,000; $750k of open interest");
    await h.mine(300);

    const whales = [
      { label: "whale-1", deposit: 5_000_000, size: 2100, maker: maker1 },
      { label: "whale-2", deposit: 3_000_000, size: 1200, maker: maker2 },
      { label: "whale-3", deposit: 1_900_000, size: 750, maker: maker2 },
    ];
    for (const w of whales) {
      const a = await h.actor(w.label);
      await h.deposit(a, w.deposit);
      await h.trade(a, w.maker, marketId, w.size);
    }
    const before = await h.monitor();
    log(`OI now $61.5M; alerts: ${before.alerts.map((a) => a.id).join(", ")}`);

    // The stress page on the library's scenario, current parameters, no impact, keeper at once.
    const scenario = historicalScenarios.find((s) => s.id === "2023-11-yfi-squeeze")!;
    const path = pathFromMoves(scenarioMoves(scenario, before.snapshot.markets), 2);
    const { final, ...stress } = simulateCascade({ snapshot: before.snapshot, path, impact: before.snapshot.markets.map(() => ({ model: "linear" as const, depthUsd: Infinity })) });
    log(`stress page: insurance draw $${stress.totals.insuranceDrawUsd.toFixed(0)}, default fund $${stress.totals.defaultFundDrawUsd.toFixed(0)}`);

    // The fall on chain, along the same path, the keeper liquidating after each step.
    const reservesBefore = await h.reserves();
    let price = before.snapshot.markets[marketId]!.markPriceWad;
    for (const step of path) {
      price = movePrice(price, step[marketId]!);
      await h.setPrices({ "YFI/USD": price, "ETH/USD": 3000, "BTC/USD": 65_000, "SOL/USD": 150, "USDC/USD": 1 });
      await h.keeper.tick();
      log(`YFI $${(Number(price) / 1e18).toFixed(2)}: ${h.keeper.log.filter((e) => e.event === "liquidated").length} liquidated`);
    }
    const reservesAfter = await h.reserves();
    return {
      marketId,
      alertsBeforeFall: before.alerts,
      stress: { ...stress, reservesAfterUsd: final.reserves.insuranceFundUsd + final.reserves.defaultFundUsd },
      reservesBeforeUsd: reservesBefore.insuranceUsd + reservesBefore.defaultFundUsd,
      reservesAfterUsd: reservesAfter.insuranceUsd + reservesAfter.defaultFundUsd,
    };
  },
};
