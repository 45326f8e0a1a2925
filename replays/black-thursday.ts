/**
 * black-thursday (2020-03-12): ETH fell 55 % in a day while gas spiked past 200 gwei; keepers
 * stopped liquidating small positions (a liquidation cost more in gas than it paid), the
 * positions sank into negative equity, and a lending protocol was left with bad debt.
 *
 * Staged: 24 small 7.5× ETH longs ($500 each) and 5 large ones ($40k each) against one market
 * maker; reserves $20k + $30k. ETH steps from $3,000 to $1,350 while the base fee is held at
 * 400 gwei; the real keeper ticks after every step. It liquidates the large accounts (reward
 * ≈ $2,700 against ≈ $270 of gas) and leaves the small ones (reward ≈ $34) to rot.
 * Backstop must show the dust, the keeper lag, and the negative equity (the bad debt) they leave.
 */

import type { Replay } from "./replay.ts";
import type { Monitor } from "../lib/actions/readMonitor.ts";
import type { ProtocolSnapshot } from "../engine/index.ts";

export interface BlackThursdayResult {
  small: `0x${string}`[];
  large: `0x${string}`[];
  liquidated: `0x${string}`[];
  equityOnChain: Map<`0x${string}`, bigint>;
  shows: Monitor & { snapshot: ProtocolSnapshot };
}

const PATH = [2900, 2800, 2700, 2600, 2400, 2200, 1950, 1700, 1500, 1350];

export const blackThursday: Replay<BlackThursdayResult> = {
  name: "black-thursday",
  date: "2020-03-12",
  summary: "ETH −55 % with gas at 400 gwei: the keeper liquidates the large accounts and leaves the small ones; Backstop shows the dust, the lag and the negative equity they leave.",
  async run(h, log) {
    await h.setBaseFee(20);
    await h.fundReserves(20_000, 30_000);
    const maker = await h.actor("maker");
    await h.deposit(maker, 1_000_000);
    await h.deposit(h.keeper.address, 2_000_000);
    const small = await Promise.all(Array.from({ length: 24 }, (_, i) => h.actor(`small-${i}`)));
    const large = await Promise.all(Array.from({ length: 5 }, (_, i) => h.actor(`large-${i}`)));
    for (const a of small) {
      await h.deposit(a, 500);
      await h.trade(a, maker, 0, 1.25);
    }
    for (const a of large) {
      await h.deposit(a, 40_000);
      await h.trade(a, maker, 0, 100);
    }
    log(`24 small longs ($500, 1.25 ETH) and 5 large ($40k, 100 ETH) against one maker; reserves $50k`);

    for (const price of PATH) {
      await h.setBaseFee(400);
      await h.setPrices({ "ETH/USD": price, "BTC/USD": 65_000, "SOL/USD": 150 });
      await h.keeper.tick();
      log(`ETH $${price}, base fee 400 gwei: keeper ${h.keeper.log.filter((e) => e.event === "liquidated").length} liquidations so far`);
    }
    // The crash is over, gas stays high: a few more blocks in which nobody liquidates the rest.
    for (let i = 0; i < 6; i++) {
      await h.setBaseFee(400);
      await h.mine(1);
      await h.keeper.tick();
    }
    const liquidated = h.keeper.log.filter((e) => e.event === "liquidated").map((e) => String(e.account).toLowerCase() as `0x${string}`);
    const shows = await h.monitor();
    const equityOnChain = new Map(await Promise.all(small.map(async (a) => [a.toLowerCase() as `0x${string}`, await h.equityOnChain(a)] as const)));
    log(`Backstop shows: ${shows.health.dust.liquidatableNow.length} dust accounts, ${Number(shows.health.negativeEquity.usd) / 1e18} USD of negative equity, keeper lag ${shows.health.keeperLag.maxWaitingBlocks} blocks`);
    return { small: small.map((a) => a.toLowerCase() as `0x${string}`), large: large.map((a) => a.toLowerCase() as `0x${string}`), liquidated, equityOnChain, shows };
  },
};
