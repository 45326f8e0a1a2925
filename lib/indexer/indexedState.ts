/**
 * What the indexer's /backstop routes answer (indexer/src/api/index.ts), as types and as the
 * schemas that turn the wire's decimal strings back into bigints. The rows are the index's tables
 * (indexer/ponder.schema.ts) as they are; accounts come with their balances and open positions.
 */

import type { Hex } from "viem";
import { z } from "zod";
import type { collateral, market, marketHistory, price, reserves, systemHistory } from "../../indexer/ponder.schema.ts";
import { BackstopError } from "../errors/backstopError.ts";

export type IndexedMarket = typeof market.$inferSelect;
export type IndexedCollateral = typeof collateral.$inferSelect;
export type IndexedPrice = typeof price.$inferSelect;
export type IndexedReserves = typeof reserves.$inferSelect;

export interface IndexedAccount {
  address: Hex;
  index: number;
  cashWad: bigint;
  /** Token units by asset id; an asset never held is absent. */
  balances: Record<number, bigint>;
  /** Open positions, ascending market id. */
  positions: { marketId: number; sizeWad: bigint; openNotionalWad: bigint }[];
}

/** One consistent read of the index: everything as of `block`, with one page of accounts. */
export interface IndexedState {
  block: { number: bigint; hash: Hex; timestamp: bigint };
  markets: IndexedMarket[];
  collaterals: IndexedCollateral[];
  prices: IndexedPrice[];
  /** null before the clearinghouse's first event. */
  reserves: IndexedReserves | null;
  accountCount: number;
  accounts: IndexedAccount[];
  /** Every delegate's voting power (first page only, else empty). */
  delegates: { address: Hex; votes: bigint }[];
  /** Every proposal's tallies and fate (first page only, else empty). */
  proposals: { id: bigint; forVotes: bigint; againstVotes: bigint; abstainVotes: bigint; queued: boolean; executed: boolean; canceled: boolean }[];
}

/** The system's and markets' history rows of one block. */
export type IndexedHistoryRow = typeof systemHistory.$inferSelect & { markets: (typeof marketHistory.$inferSelect)[] };

export class IndexedStateError extends BackstopError {
  override name = "IndexedStateError";
}

const amount = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => BigInt(v));
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/).transform((v) => v as Hex);

const marketSchema = z.object({
  id: z.number().int(),
  symbol: z.string(),
  feedId: hex,
  imrWad: amount,
  mmrWad: amount,
  liquidationPenaltyWad: amount,
  keeperShareWad: amount,
  oiCapUsd: amount,
  concentrationCapWad: amount,
  oracleMaxAgeSec: amount,
  frozen: z.boolean(),
  paused: z.boolean(),
  unpausedAt: amount,
  longOpenInterestWad: amount,
  shortOpenInterestWad: amount,
});

const collateralSchema = z.object({
  id: z.number().int(),
  token: hex,
  symbol: z.string(),
  decimals: z.number().int(),
  feedId: hex,
  weightWad: amount,
  depositCap: amount,
  oracleMaxAgeSec: amount,
  frozen: z.boolean(),
  totalDeposits: amount,
  seized: amount,
});

const reservesSchema = z.object({
  id: z.number().int(),
  insuranceFundWad: amount,
  defaultFundWad: amount,
  defaultFundShares: amount,
  pendingWithdrawalShares: amount,
  badDebtWad: amount,
  adlMode: z.number().int(),
  gracePeriodSec: amount,
  defaultFundCooldownSec: amount,
  oracle: hex,
  marketCount: z.number().int(),
  collateralCount: z.number().int(),
  accountCount: z.number().int(),
});

const stateSchema = z.object({
  block: z.object({ number: amount, hash: hex, timestamp: amount }),
  markets: z.array(marketSchema),
  collaterals: z.array(collateralSchema),
  prices: z.array(z.object({ feedId: hex, priceWad: amount, updatedAt: amount })),
  reserves: reservesSchema.nullable(),
  accountCount: z.number().int(),
  accounts: z.array(
    z.object({
      address: hex,
      index: z.number().int(),
      cashWad: amount,
      balances: z.record(z.string(), amount).transform((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [Number(k), v])) as Record<number, bigint>),
      positions: z.array(z.object({ marketId: z.number().int(), sizeWad: amount, openNotionalWad: amount })),
    }),
  ),
  delegates: z.array(z.object({ address: hex, votes: amount })),
  proposals: z.array(z.object({ id: amount, forVotes: amount, againstVotes: amount, abstainVotes: amount, queued: z.boolean(), executed: z.boolean(), canceled: z.boolean() })),
});

const historySchema = z.array(
  z.object({
    blockNumber: amount,
    blockHash: hex,
    timestamp: amount,
    insuranceFundWad: amount,
    defaultFundWad: amount,
    badDebtWad: amount,
    accountCount: z.number().int(),
    markets: z.array(z.object({ blockNumber: amount, marketId: z.number().int(), markPriceWad: amount, longOpenInterestWad: amount, shortOpenInterestWad: amount })),
  }),
);

function parse<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new IndexedStateError(`the indexer's ${what} is not what Backstop expects: ${issue.path.join(".") || "(root)"} ${issue.message}`, { cause: result.error });
}

/** Validates a /backstop/state answer and restores its amounts as bigints. */
export const parseIndexedState = (json: unknown): IndexedState => parse(stateSchema, json, "state");

/** Validates a /backstop/history answer and restores its amounts as bigints. */
export const parseIndexedHistory = (json: unknown): IndexedHistoryRow[] => parse(historySchema, json, "history");
