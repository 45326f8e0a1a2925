/**
 * After every block's events: the system's figures (reserves, bad debt, account count) and each
 * market's open interest and mark price, one row per block, for the history charts. The latest
 * row also says which block the index's state is at: Ponder writes a block's rows and this row in
 * one transaction, and a reorg deletes the rows of the blocks it removes.
 */

import { ponder } from "ponder:registry";
import { market, marketHistory, price, reserves, systemHistory } from "ponder:schema";

ponder.on("SystemHistory:block", async ({ event, context }) => {
  const { number: blockNumber, hash: blockHash, timestamp } = event.block;
  const row = await context.db.find(reserves, { id: 0 });
  await context.db.insert(systemHistory).values({
    blockNumber,
    blockHash,
    timestamp,
    insuranceFundWad: row?.insuranceFundWad ?? 0n,
    defaultFundWad: row?.defaultFundWad ?? 0n,
    badDebtWad: row?.badDebtWad ?? 0n,
    accountCount: row?.accountCount ?? 0,
  });
  for (let marketId = 0; marketId < (row?.marketCount ?? 0); marketId++) {
    const listed = await context.db.find(market, { id: marketId });
    if (!listed) continue;
    const mark = await context.db.find(price, { feedId: listed.feedId });
    await context.db.insert(marketHistory).values({
      blockNumber,
      marketId,
      markPriceWad: mark?.priceWad ?? 0n,
      longOpenInterestWad: listed.longOpenInterestWad,
      shortOpenInterestWad: listed.shortOpenInterestWad,
    });
  }
});
