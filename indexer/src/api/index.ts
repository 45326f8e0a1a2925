/**
 * The index's HTTP routes, served by Ponder beside its own (/health, /ready, /status):
 *
 *   GET /backstop/state?offset=0&limit=500   one consistent read: the block the state is at (number,
 *                                            hash), markets, collaterals, prices, reserves, the account
 *                                            count and a page of accounts in registration order; the
 *                                            first page (offset 0) also delegates' votes and proposals' tallies
 *   GET /backstop/history?blocks=1,2,3       the system's and markets' rows at those blocks
 *   /sql/*                                   @ponder/client
 *
 * Every /backstop read runs in one read-only transaction straight on the database, so it is never
 * served from a cache that may hold reverted rows (TOOLCHAIN.md: @ponder/client's did, for up to
 * 90 s after a reorg). Amounts travel as decimal strings (JSON has no bigint).
 */

import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client } from "ponder";
import { and, asc, desc, gte, inArray, lt } from "ponder";
import type { IndexedAccount, IndexedHistoryRow, IndexedState } from "../../../lib/indexer/indexedState.ts";

const MAX_PAGE = 2_000;
const MAX_HISTORY_BLOCKS = 500;

type ReadonlyDb = typeof db;
/** The drizzle instance behind `db` has transactions; Ponder's type leaves them out so handlers cannot write. */
const transaction = <T>(read: (tx: ReadonlyDb) => Promise<T>): Promise<T> =>
  (db as unknown as { transaction(run: (tx: ReadonlyDb) => Promise<T>, config: object): Promise<T> }).transaction(read, {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });

const text = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

const app = new Hono();

app.use("/sql/*", client({ db, schema }));

app.get("/backstop/state", async (c) => {
  const offset = Number(c.req.query("offset") ?? 0);
  const limit = Number(c.req.query("limit") ?? 500);
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return c.text(`offset must be a whole number ≥ 0 and limit one from 1 to ${MAX_PAGE}`, 400);
  }
  const state = await transaction(async (tx): Promise<IndexedState | undefined> => {
    const [head] = await tx.select().from(schema.systemHistory).orderBy(desc(schema.systemHistory.blockNumber)).limit(1);
    if (!head) return undefined;
    const [markets, collaterals, prices, [reserves], accounts] = await Promise.all([
      tx.select().from(schema.market).orderBy(asc(schema.market.id)),
      tx.select().from(schema.collateral).orderBy(asc(schema.collateral.id)),
      tx.select().from(schema.price),
      tx.select().from(schema.reserves),
      tx
        .select()
        .from(schema.account)
        .where(and(gte(schema.account.index, offset), lt(schema.account.index, offset + limit)))
        .orderBy(asc(schema.account.index)),
    ]);
    const [delegates, proposals] =
      offset === 0
        ? await Promise.all([tx.select().from(schema.delegate), tx.select().from(schema.proposal).orderBy(asc(schema.proposal.createdBlock))])
        : [[], []];
    const addresses = accounts.map((a) => a.address);
    const [balances, positions] = addresses.length
      ? await Promise.all([
          tx.select().from(schema.balance).where(inArray(schema.balance.account, addresses)),
          tx.select().from(schema.position).where(inArray(schema.position.account, addresses)),
        ])
      : [[], []];
    const page: IndexedAccount[] = accounts.map((a) => ({
      address: a.address,
      index: a.index,
      cashWad: a.cashWad,
      balances: Object.fromEntries(balances.filter((b) => b.account === a.address).map((b) => [b.assetId, b.amount])),
      positions: positions
        .filter((p) => p.account === a.address)
        .sort((x, y) => x.marketId - y.marketId)
        .map((p) => ({ marketId: p.marketId, sizeWad: p.sizeWad, openNotionalWad: p.openNotionalWad })),
    }));
    return {
      block: { number: head.blockNumber, hash: head.blockHash, timestamp: head.timestamp },
      markets,
      collaterals,
      prices,
      reserves: reserves ?? null,
      accountCount: reserves?.accountCount ?? 0,
      accounts: page,
      delegates: delegates.map((d) => ({ address: d.address, votes: d.votes })),
      proposals: proposals.map((p) => ({ id: p.id, forVotes: p.forVotes, againstVotes: p.againstVotes, abstainVotes: p.abstainVotes, queued: p.queued, executed: p.executed, canceled: p.canceled })),
    };
  });
  if (!state) return c.text("the index holds no block yet: Ponder is still starting or backfilling", 503);
  return c.body(text(state), 200, { "content-type": "application/json" });
});

app.get("/backstop/history", async (c) => {
  const blocks = (c.req.query("blocks") ?? "").split(",").filter(Boolean).map((b) => (/^\d+$/.test(b) ? BigInt(b) : undefined));
  if (blocks.length === 0 || blocks.length > MAX_HISTORY_BLOCKS || blocks.some((b) => b === undefined)) {
    return c.text(`blocks must be 1 to ${MAX_HISTORY_BLOCKS} block numbers separated by commas`, 400);
  }
  const wanted = blocks as bigint[];
  const rows = await transaction(async (tx): Promise<IndexedHistoryRow[]> => {
    const [system, markets] = await Promise.all([
      tx.select().from(schema.systemHistory).where(inArray(schema.systemHistory.blockNumber, wanted)),
      tx.select().from(schema.marketHistory).where(inArray(schema.marketHistory.blockNumber, wanted)),
    ]);
    return system.map((row) => ({
      ...row,
      markets: markets.filter((m) => m.blockNumber === row.blockNumber).sort((x, y) => x.marketId - y.marketId),
    }));
  });
  return c.body(text(rows), 200, { "content-type": "application/json" });
});

export default app;
