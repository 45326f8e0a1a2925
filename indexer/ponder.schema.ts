/**
 * The index's tables. State tables hold the latest value of what the chain holds (one row per
 * account, position, market…, equal to the lens to the wei: lib/indexer/checkIndex.ts proves it);
 * event tables keep one row per event (trades, liquidations, ADL fills, votes…); the history
 * tables keep the system's figures per block for charts.
 *
 * Units as in the contracts (IClearinghouse.sol): prices, ratios, sizes, cash, open notional and
 * reserves are 18-decimal fixed point (WAD); collateral balances are in the token's own decimals;
 * times are unix seconds; block numbers are plain. Every amount is a `bigint` column
 * (numeric(78,0)): exact, signed where the contract's is.
 */

import { index, onchainTable, primaryKey } from "ponder";

// ---------------------------------------------------------------- accounts

/** An account of the clearinghouse, in registration order (`index`, as the lens pages them). */
export const account = onchainTable(
  "account",
  (t) => ({
    address: t.hex().primaryKey(),
    index: t.integer().notNull(),
    cashWad: t.bigint().notNull(),
    registeredBlock: t.bigint().notNull(),
  }),
  (table) => ({ indexIdx: index().on(table.index) }),
);

/** A collateral balance (token units); rows stay at 0 after a full withdrawal or seizure. */
export const balance = onchainTable(
  "balance",
  (t) => ({
    account: t.hex().notNull(),
    assetId: t.integer().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.assetId] }) }),
);

/** An open position (closed positions are deleted): signed size (base WAD) and open notional (USD WAD). */
export const position = onchainTable(
  "position",
  (t) => ({
    account: t.hex().notNull(),
    marketId: t.integer().notNull(),
    sizeWad: t.bigint().notNull(),
    openNotionalWad: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.marketId] }), marketIdx: index().on(table.marketId) }),
);

// ---------------------------------------------------------------- markets, collaterals, prices

type ColumnBuilders = Parameters<Extract<Parameters<typeof onchainTable>[1], (...args: never[]) => unknown>>[0];

/** A market's governable parameters (IClearinghouse.sol's MarketParams), in the market table and its change log. */
const marketParamsColumns = (t: ColumnBuilders) => ({
  imrWad: t.bigint().notNull(),
  mmrWad: t.bigint().notNull(),
  liquidationPenaltyWad: t.bigint().notNull(),
  keeperShareWad: t.bigint().notNull(),
  oiCapUsd: t.bigint().notNull(),
  concentrationCapWad: t.bigint().notNull(),
  oracleMaxAgeSec: t.bigint().notNull(),
});

/** A perp market with its governable parameters, flags and open interest (base WAD). */
export const market = onchainTable("market", (t) => ({
  id: t.integer().primaryKey(),
  symbol: t.text().notNull(),
  feedId: t.hex().notNull(),
  ...marketParamsColumns(t),
  frozen: t.boolean().notNull(),
  paused: t.boolean().notNull(),
  unpausedAt: t.bigint().notNull(),
  longOpenInterestWad: t.bigint().notNull(),
  shortOpenInterestWad: t.bigint().notNull(),
}));

/** Every change of a market's parameters (the new values; the previous row holds the old ones). */
export const marketParamsChange = onchainTable(
  "market_params_change",
  (t) => ({
    id: t.text().primaryKey(),
    marketId: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    ...marketParamsColumns(t),
  }),
  (table) => ({ marketIdx: index().on(table.marketId, table.blockNumber) }),
);

/** A collateral asset: token metadata, parameters, total deposits and seized holdings (token units). */
export const collateral = onchainTable("collateral", (t) => ({
  id: t.integer().primaryKey(),
  token: t.hex().notNull(),
  symbol: t.text().notNull(),
  decimals: t.integer().notNull(),
  feedId: t.hex().notNull(),
  weightWad: t.bigint().notNull(),
  depositCap: t.bigint().notNull(),
  oracleMaxAgeSec: t.bigint().notNull(),
  frozen: t.boolean().notNull(),
  totalDeposits: t.bigint().notNull(),
  seized: t.bigint().notNull(),
}));

/** The latest price of a feed (USD per whole unit, WAD) and its observation time. */
export const price = onchainTable("price", (t) => ({
  feedId: t.hex().primaryKey(),
  priceWad: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

// ---------------------------------------------------------------- reserves

/** The clearinghouse's reserves and global parameters: one row, id 0. */
export const reserves = onchainTable("reserves", (t) => ({
  id: t.integer().primaryKey(),
  insuranceFundWad: t.bigint().notNull(),
  defaultFundWad: t.bigint().notNull(),
  defaultFundShares: t.bigint().notNull(),
  pendingWithdrawalShares: t.bigint().notNull(),
  badDebtWad: t.bigint().notNull(),
  /** 0 queue, 1 pro rata. */
  adlMode: t.integer().notNull(),
  gracePeriodSec: t.bigint().notNull(),
  defaultFundCooldownSec: t.bigint().notNull(),
  oracle: t.hex().notNull(),
  marketCount: t.integer().notNull(),
  collateralCount: t.integer().notNull(),
  accountCount: t.integer().notNull(),
}));

/** A default-fund member: its shares, the part in cooldown and when the cooldown ends (the queue). */
export const defaultFundMember = onchainTable("default_fund_member", (t) => ({
  member: t.hex().primaryKey(),
  shares: t.bigint().notNull(),
  pendingShares: t.bigint().notNull(),
  availableAt: t.bigint().notNull(),
}));

// ---------------------------------------------------------------- events

/** A settled trade: the taker's size changed by +sizeDelta, the maker's by −sizeDelta. */
export const trade = onchainTable(
  "trade",
  (t) => ({
    id: t.text().primaryKey(),
    taker: t.hex().notNull(),
    maker: t.hex().notNull(),
    marketId: t.integer().notNull(),
    sizeDeltaWad: t.bigint().notNull(),
    priceWad: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ blockIdx: index().on(table.blockNumber) }),
);

/** A liquidation: equity before it, the penalty and its split; the deficit columns when bankrupt. */
export const liquidation = onchainTable(
  "liquidation",
  (t) => ({
    id: t.text().primaryKey(),
    account: t.hex().notNull(),
    keeper: t.hex().notNull(),
    equityWad: t.bigint().notNull(),
    penaltyWad: t.bigint().notNull(),
    keeperRewardWad: t.bigint().notNull(),
    insuranceFeeWad: t.bigint().notNull(),
    deficitWad: t.bigint(),
    collateralLostWad: t.bigint(),
    insuranceDrawWad: t.bigint(),
    defaultFundDrawWad: t.bigint(),
    adlAbsorbedWad: t.bigint(),
    badDebtWad: t.bigint(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ accountIdx: index().on(table.account), blockIdx: index().on(table.blockNumber) }),
);

/** One ADL counterparty of a bankrupt account: quantity closed (0 in pro rata) and haircut (USD WAD). */
export const adlFill = onchainTable(
  "adl_fill",
  (t) => ({
    id: t.text().primaryKey(),
    marketId: t.integer().notNull(),
    bankrupt: t.hex().notNull(),
    counterparty: t.hex().notNull(),
    quantityWad: t.bigint().notNull(),
    haircutWad: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ counterpartyIdx: index().on(table.counterparty) }),
);

// ---------------------------------------------------------------- governance

/** A proposal with its calls, its voting window (blocks), its tallies and its fate. */
export const proposal = onchainTable("proposal", (t) => ({
  id: t.bigint().primaryKey(),
  proposer: t.hex().notNull(),
  targets: t.hex().array().notNull(),
  values: t.bigint().array().notNull(),
  signatures: t.text().array().notNull(),
  calldatas: t.hex().array().notNull(),
  description: t.text().notNull(),
  voteStart: t.bigint().notNull(),
  voteEnd: t.bigint().notNull(),
  forVotes: t.bigint().notNull(),
  againstVotes: t.bigint().notNull(),
  abstainVotes: t.bigint().notNull(),
  etaSeconds: t.bigint(),
  queued: t.boolean().notNull(),
  executed: t.boolean().notNull(),
  canceled: t.boolean().notNull(),
  createdBlock: t.bigint().notNull(),
}));

/** A vote: 0 against, 1 for, 2 abstain, with its weight and reason. */
export const vote = onchainTable(
  "vote",
  (t) => ({
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.proposalId, table.voter] }) }),
);

/** Who a token holder delegates to. */
export const delegation = onchainTable("delegation", (t) => ({
  delegator: t.hex().primaryKey(),
  delegate: t.hex().notNull(),
}));

/** A delegate's current voting power. */
export const delegate = onchainTable("delegate", (t) => ({
  address: t.hex().primaryKey(),
  votes: t.bigint().notNull(),
}));

/** A timelock operation: scheduled (with its delay), then executed or cancelled. */
export const timelockOperation = onchainTable("timelock_operation", (t) => ({
  id: t.hex().primaryKey(),
  calls: t.integer().notNull(),
  delaySec: t.bigint().notNull(),
  scheduledAt: t.bigint().notNull(),
  executed: t.boolean().notNull(),
  cancelled: t.boolean().notNull(),
}));

// ---------------------------------------------------------------- history

/** The system's figures after each block (USD WAD): reserves and bad debt. */
export const systemHistory = onchainTable("system_history", (t) => ({
  blockNumber: t.bigint().primaryKey(),
  blockHash: t.hex().notNull(),
  timestamp: t.bigint().notNull(),
  insuranceFundWad: t.bigint().notNull(),
  defaultFundWad: t.bigint().notNull(),
  badDebtWad: t.bigint().notNull(),
  accountCount: t.integer().notNull(),
}));

/** Each market's open interest (base WAD) and mark price after each block. */
export const marketHistory = onchainTable(
  "market_history",
  (t) => ({
    blockNumber: t.bigint().notNull(),
    marketId: t.integer().notNull(),
    markPriceWad: t.bigint().notNull(),
    longOpenInterestWad: t.bigint().notNull(),
    shortOpenInterestWad: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.blockNumber, table.marketId] }) }),
);
