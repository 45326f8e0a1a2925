/**
 * readKeeperLag against a real chain: onsets are the blocks the chain's own PriceUpdated events
 * made an account liquidatable, the lag of a liquidation ends at its Liquidated event, and a
 * cached onset does not survive the account's liquidation.
 */

import { afterAll, beforeAll, expect, it } from "vitest";
import { createReplayHarness, type ReplayHarness } from "../../replays/harness.ts";
import { createKeeperLagCache, readKeeperLag } from "./readKeeperLag.ts";

let h: ReplayHarness;
beforeAll(async () => {
  h = await createReplayHarness();
});
afterAll(() => h.stop());

const prices = { "BTC/USD": 65_000, "SOL/USD": 150, "USDC/USD": 1 };

it("measures waiting and recent lags from the blocks the chain made them, and starts a new run after a liquidation", async () => {
  const client = h.fixture.publicClient as never;
  const { deployment } = h.fixture;
  const cache = createKeeperLagCache();
  const [trader, maker] = await Promise.all([h.actor("lag-trader"), h.actor("lag-maker")]);
  await h.deposit(trader, 10_000);
  await h.deposit(maker, 1_000_000);
  await h.deposit(h.keeper.address, 1_000_000);
  await h.trade(trader, maker, 0, 25); // $75k at 7.5×: liquidatable below ~$2,737

  await h.setPrices({ "ETH/USD": 2700, ...prices });
  const firstOnset = await h.fixture.publicClient.getBlockNumber({ cacheTime: 0 });
  await h.mine(3);
  let lag = await readKeeperLag(client, { deployment, snapshot: await h.snapshot(), cache });
  expect(lag.waiting).toEqual([{ account: trader.toLowerCase(), onsetBlock: firstOnset, atLeast: false }]);
  expect(lag.recent).toEqual([]);

  // Liquidated, then liquidatable again — all before the next read with the same cache.
  await h.keeper.tick();
  const liquidatedAt = await h.fixture.publicClient.getBlockNumber({ cacheTime: 0 });
  await h.setPrices({ "ETH/USD": 3000, ...prices });
  await h.deposit(trader, 10_000);
  await h.trade(trader, maker, 0, 25); // $11,150 left after the first liquidation's penalty and the new deposit
  await h.setPrices({ "ETH/USD": 2650, ...prices });
  const secondOnset = await h.fixture.publicClient.getBlockNumber({ cacheTime: 0 });
  lag = await readKeeperLag(client, { deployment, snapshot: await h.snapshot(), cache });
  expect(lag.recent).toEqual([{ account: trader.toLowerCase(), onsetBlock: firstOnset, liquidatedBlock: liquidatedAt, atLeast: false }]);
  expect(lag.waiting).toEqual([{ account: trader.toLowerCase(), onsetBlock: secondOnset, atLeast: false }]);
  // Look-back bound: with a one-block look-back the onset is only known to be at least that old.
  await h.mine(5);
  const bounded = await readKeeperLag(client, { deployment, snapshot: await h.snapshot(), lookbackBlocks: 1n });
  expect(bounded.waiting[0]).toMatchObject({ atLeast: true });
});
