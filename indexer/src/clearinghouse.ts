/**
 * Clearinghouse and oracle events → accounts, balances, positions, markets, collaterals, prices,
 * reserves and the default-fund queue, plus one row per trade, liquidation and ADL fill.
 *
 * Nothing here re-runs settlement: positions and cash come as the contract's post-state
 * (PositionUpdated, CashUpdated); balances, deposits, reserves and the default-fund queue move by
 * the exact amounts their events carry, so each row equals the contract's storage to the wei.
 * Open interest moves by the change of each position's positive (long) and negative (short) part,
 * which is how the contract keeps it (AccountLogic._removeOpenInterest / _addOpenInterest).
 */

import { ponder, type Context } from "ponder:registry";
import {
  account,
  adlFill,
  balance,
  collateral,
  defaultFundMember,
  liquidation,
  market,
  marketParamsChange,
  position,
  price,
  reserves,
  trade,
} from "ponder:schema";
import { erc20Abi, zeroAddress } from "viem";

const RESERVES_ID = 0;
const positivePart = (x: bigint) => (x > 0n ? x : 0n);
/**
 * A liquidation's row, found again by its DeficitAbsorbed (same transaction, same account). An
 * account liquidated twice in one transaction (it would have to trade again in between) keeps the
 * later one's row.
 */
const liquidationId = (transactionHash: string, liquidated: string) => `${transactionHash}-${liquidated.toLowerCase()}`;

type ReservesRow = typeof reserves.$inferSelect;

/** Applies `change` to the reserves row, created empty on the clearinghouse's first event. */
async function updateReserves(context: Context, change: (row: ReservesRow) => Partial<ReservesRow>) {
  const empty: ReservesRow = {
    id: RESERVES_ID,
    insuranceFundWad: 0n,
    defaultFundWad: 0n,
    defaultFundShares: 0n,
    pendingWithdrawalShares: 0n,
    badDebtWad: 0n,
    adlMode: 0,
    gracePeriodSec: 0n,
    defaultFundCooldownSec: 0n,
    oracle: zeroAddress,
    marketCount: 0,
    collateralCount: 0,
    accountCount: 0,
  };
  await context.db
    .insert(reserves)
    .values({ ...empty, ...change(empty) })
    .onConflictDoUpdate(change);
}

async function addBalance(context: Context, holder: `0x${string}`, assetId: number, delta: bigint) {
  await context.db
    .insert(balance)
    .values({ account: holder, assetId, amount: delta })
    .onConflictDoUpdate((row) => ({ amount: row.amount + delta }));
}

// ---------------------------------------------------------------- accounts

ponder.on("Clearinghouse:AccountRegistered", async ({ event, context }) => {
  await context.db.insert(account).values({ address: event.args.account, index: Number(event.args.index), cashWad: 0n, registeredBlock: event.block.number });
  await updateReserves(context, (row) => ({ accountCount: row.accountCount + 1 }));
});

ponder.on("Clearinghouse:Deposited", async ({ event, context }) => {
  const assetId = Number(event.args.assetId);
  await addBalance(context, event.args.account, assetId, event.args.amount);
  await context.db.update(collateral, { id: assetId }).set((row) => ({ totalDeposits: row.totalDeposits + event.args.amount }));
});

ponder.on("Clearinghouse:Withdrawn", async ({ event, context }) => {
  const assetId = Number(event.args.assetId);
  await addBalance(context, event.args.account, assetId, -event.args.amount);
  await context.db.update(collateral, { id: assetId }).set((row) => ({ totalDeposits: row.totalDeposits - event.args.amount }));
});

ponder.on("Clearinghouse:CollateralSeized", async ({ event, context }) => {
  const assetId = Number(event.args.assetId);
  await addBalance(context, event.args.account, assetId, -event.args.amount);
  await context.db
    .update(collateral, { id: assetId })
    .set((row) => ({ totalDeposits: row.totalDeposits - event.args.amount, seized: row.seized + event.args.amount }));
});

ponder.on("Clearinghouse:CashUpdated", async ({ event, context }) => {
  await context.db.update(account, { address: event.args.account }).set({ cashWad: event.args.cash });
});

ponder.on("Clearinghouse:PositionUpdated", async ({ event, context }) => {
  const { account: holder, size, openNotional } = event.args;
  const marketId = Number(event.args.marketId);
  const key = { account: holder, marketId };
  const before = (await context.db.find(position, key))?.sizeWad ?? 0n;
  await context.db.update(market, { id: marketId }).set((row) => ({
    longOpenInterestWad: row.longOpenInterestWad - positivePart(before) + positivePart(size),
    shortOpenInterestWad: row.shortOpenInterestWad - positivePart(-before) + positivePart(-size),
  }));
  if (size === 0n) {
    await context.db.delete(position, key);
    return;
  }
  await context.db
    .insert(position)
    .values({ ...key, sizeWad: size, openNotionalWad: openNotional })
    .onConflictDoUpdate({ sizeWad: size, openNotionalWad: openNotional });
});

ponder.on("Clearinghouse:Traded", async ({ event, context }) => {
  await context.db.insert(trade).values({
    id: event.id,
    taker: event.args.taker,
    maker: event.args.maker,
    marketId: Number(event.args.marketId),
    sizeDeltaWad: event.args.sizeDelta,
    priceWad: event.args.priceWad,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
});

// ---------------------------------------------------------------- liquidation

ponder.on("Clearinghouse:Liquidated", async ({ event, context }) => {
  const { account: liquidated, keeper, equity, penalty, keeperReward, insuranceFee } = event.args;
  const row = {
    account: liquidated,
    keeper,
    equityWad: equity,
    penaltyWad: penalty,
    keeperRewardWad: keeperReward,
    insuranceFeeWad: insuranceFee,
    deficitWad: null,
    collateralLostWad: null,
    insuranceDrawWad: null,
    defaultFundDrawWad: null,
    adlAbsorbedWad: null,
    badDebtWad: null,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  };
  await context.db
    .insert(liquidation)
    .values({ id: liquidationId(event.transaction.hash, liquidated), ...row })
    .onConflictDoUpdate(row);
  await updateReserves(context, (row) => ({ insuranceFundWad: row.insuranceFundWad + insuranceFee }));
});

ponder.on("Clearinghouse:DeficitAbsorbed", async ({ event, context }) => {
  const { deficit, collateralLost, insuranceDraw, defaultFundDraw, adlAbsorbed, badDebt } = event.args;
  await context.db.update(liquidation, { id: liquidationId(event.transaction.hash, event.args.account) }).set({
    deficitWad: deficit,
    collateralLostWad: collateralLost,
    insuranceDrawWad: insuranceDraw,
    defaultFundDrawWad: defaultFundDraw,
    adlAbsorbedWad: adlAbsorbed,
    badDebtWad: badDebt,
  });
  await updateReserves(context, (row) => ({
    insuranceFundWad: row.insuranceFundWad - insuranceDraw,
    defaultFundWad: row.defaultFundWad - defaultFundDraw,
    badDebtWad: row.badDebtWad + badDebt,
  }));
});

ponder.on("Clearinghouse:AdlFill", async ({ event, context }) => {
  await context.db.insert(adlFill).values({
    id: event.id,
    marketId: Number(event.args.marketId),
    bankrupt: event.args.bankrupt,
    counterparty: event.args.counterparty,
    quantityWad: event.args.quantity,
    haircutWad: event.args.haircut,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
});

// ---------------------------------------------------------------- reserves

ponder.on("Clearinghouse:InsuranceFunded", async ({ event, context }) => {
  await updateReserves(context, (row) => ({ insuranceFundWad: row.insuranceFundWad + event.args.amountWad }));
});

ponder.on("Clearinghouse:InsuranceWithdrawn", async ({ event, context }) => {
  await updateReserves(context, (row) => ({ insuranceFundWad: row.insuranceFundWad - event.args.amountWad }));
});

ponder.on("Clearinghouse:ReservesMoved", async ({ event, context }) => {
  const { from, amountWad } = event.args;
  const toDefault = from === 0; // Reserve.Insurance → Reserve.Default
  await updateReserves(context, (row) => ({
    insuranceFundWad: row.insuranceFundWad + (toDefault ? -amountWad : amountWad),
    defaultFundWad: row.defaultFundWad + (toDefault ? amountWad : -amountWad),
  }));
});

ponder.on("Clearinghouse:DefaultFundStaked", async ({ event, context }) => {
  const { member, amountWad, shares } = event.args;
  await updateReserves(context, (row) => ({ defaultFundWad: row.defaultFundWad + amountWad, defaultFundShares: row.defaultFundShares + shares }));
  await context.db
    .insert(defaultFundMember)
    .values({ member, shares, pendingShares: 0n, availableAt: 0n })
    .onConflictDoUpdate((row) => ({ shares: row.shares + shares }));
});

ponder.on("Clearinghouse:DefaultFundWithdrawalRequested", async ({ event, context }) => {
  const { member, shares, availableAt } = event.args;
  await updateReserves(context, (row) => ({ pendingWithdrawalShares: row.pendingWithdrawalShares + shares }));
  await context.db.update(defaultFundMember, { member }).set((row) => ({ pendingShares: row.pendingShares + shares, availableAt }));
});

ponder.on("Clearinghouse:DefaultFundWithdrawn", async ({ event, context }) => {
  const { member, shares, amountWad } = event.args;
  await updateReserves(context, (row) => ({
    defaultFundWad: row.defaultFundWad - amountWad,
    defaultFundShares: row.defaultFundShares - shares,
    pendingWithdrawalShares: row.pendingWithdrawalShares - shares,
  }));
  await context.db.update(defaultFundMember, { member }).set((row) => ({ shares: row.shares - shares, pendingShares: 0n, availableAt: 0n }));
});

// ---------------------------------------------------------------- governance of the clearinghouse

type MarketParams = { imr: bigint; mmr: bigint; liquidationPenalty: bigint; keeperShare: bigint; oiCapUsd: bigint; concentrationCap: bigint; oracleMaxAge: bigint };

/** A MarketParams struct as the market table's (and its change log's) columns. */
const marketParamsColumns = (params: MarketParams) => ({
  imrWad: params.imr,
  mmrWad: params.mmr,
  liquidationPenaltyWad: params.liquidationPenalty,
  keeperShareWad: params.keeperShare,
  oiCapUsd: params.oiCapUsd,
  concentrationCapWad: params.concentrationCap,
  oracleMaxAgeSec: params.oracleMaxAge,
});

ponder.on("Clearinghouse:MarketListed", async ({ event, context }) => {
  await context.db.insert(market).values({
    id: Number(event.args.marketId),
    symbol: event.args.symbol,
    feedId: event.args.feedId,
    ...marketParamsColumns(event.args.params),
    frozen: false,
    paused: false,
    unpausedAt: 0n,
    longOpenInterestWad: 0n,
    shortOpenInterestWad: 0n,
  });
  await updateReserves(context, (row) => ({ marketCount: row.marketCount + 1 }));
});

ponder.on("Clearinghouse:MarketParamsUpdated", async ({ event, context }) => {
  const marketId = Number(event.args.marketId);
  const values = marketParamsColumns(event.args.newParams);
  await context.db.update(market, { id: marketId }).set(values);
  await context.db
    .insert(marketParamsChange)
    .values({ id: event.id, marketId, blockNumber: event.block.number, timestamp: event.block.timestamp, transactionHash: event.transaction.hash, ...values });
});

ponder.on("Clearinghouse:MarketFrozenSet", async ({ event, context }) => {
  await context.db.update(market, { id: Number(event.args.marketId) }).set({ frozen: event.args.frozen });
});

ponder.on("Clearinghouse:MarketPausedSet", async ({ event, context }) => {
  await context.db.update(market, { id: Number(event.args.marketId) }).set({ paused: event.args.paused, unpausedAt: event.args.unpausedAt });
});

ponder.on("Clearinghouse:CollateralListed", async ({ event, context }) => {
  const { token, feedId, params } = event.args;
  // The event names the token; its symbol and decimals are the token's own, which never change:
  // read at the latest block and cached for good (Ponder's "immutable" cache), so the index builds
  // from a node that keeps no old states (anvil --prune-history, which a big venue's bench runs).
  const [symbol, decimals] = await Promise.all([
    context.client.readContract({ abi: erc20Abi, address: token, functionName: "symbol", cache: "immutable" }),
    context.client.readContract({ abi: erc20Abi, address: token, functionName: "decimals", cache: "immutable" }),
  ]);
  await context.db.insert(collateral).values({
    id: Number(event.args.assetId),
    token,
    symbol,
    decimals,
    feedId,
    weightWad: params.weight,
    depositCap: params.depositCap,
    oracleMaxAgeSec: params.oracleMaxAge,
    frozen: false,
    totalDeposits: 0n,
    seized: 0n,
  });
  await updateReserves(context, (row) => ({ collateralCount: row.collateralCount + 1 }));
});

ponder.on("Clearinghouse:CollateralParamsUpdated", async ({ event, context }) => {
  const { newParams: params } = event.args;
  await context.db
    .update(collateral, { id: Number(event.args.assetId) })
    .set({ weightWad: params.weight, depositCap: params.depositCap, oracleMaxAgeSec: params.oracleMaxAge });
});

ponder.on("Clearinghouse:CollateralFrozenSet", async ({ event, context }) => {
  await context.db.update(collateral, { id: Number(event.args.assetId) }).set({ frozen: event.args.frozen });
});

ponder.on("Clearinghouse:AdlModeSet", async ({ event, context }) => {
  await updateReserves(context, () => ({ adlMode: event.args.newMode }));
});

ponder.on("Clearinghouse:GracePeriodSet", async ({ event, context }) => {
  await updateReserves(context, () => ({ gracePeriodSec: event.args.newSeconds }));
});

ponder.on("Clearinghouse:DefaultFundCooldownSet", async ({ event, context }) => {
  await updateReserves(context, () => ({ defaultFundCooldownSec: event.args.newSeconds }));
});

ponder.on("Clearinghouse:OracleSet", async ({ event, context }) => {
  await updateReserves(context, () => ({ oracle: event.args.newOracle }));
});

// ---------------------------------------------------------------- prices

ponder.on("PriceOracle:PriceUpdated", async ({ event, context }) => {
  const { feedId, priceWad, updatedAt } = event.args;
  await context.db.insert(price).values({ feedId, priceWad, updatedAt }).onConflictDoUpdate({ priceWad, updatedAt });
});
