/**
 * The outcome of `liquidate(account)` by `keeper`, computed exactly as the contract's
 * LiquidationLogic (docs/PROTOCOL.md "Liquidation", "ADL"), on a working copy of the snapshot.
 *
 * 1. penalty = min(Σ floor(notional·penaltyRatio), max(equity, 0)); the keeper's share is
 *    floor(Σ floor(penalty_p·keeperShare) · penalty / rawPenalty); the rest goes to insurance.
 * 2. Every position is closed at mark into cash; cash pays the penalty.
 * 3. Bankrupt (equity < 0, deficit D = −equity): collateral seized, insurance fund drawn, then the
 *    default fund; the residual R is spread over positions by notional (last takes the
 *    remainder) and auto-deleveraged per market; what ADL cannot reach is bad debt.
 * 4. The keeper takes at mark what ADL did not close, and must meet initial margin.
 *
 * Walk-through of a $1M loss: E = −$1M with $200k of collateral → $200k seized; insurance $600k,
 * default fund $300k, ADL $100k (queue: 10 % of the position closed against the top-ranked
 * shorts; pro-rata: every profitable short pays in proportion to its profit). The ledger's
 * layers always add up: insuranceDraw + defaultFundDraw + adlAbsorbed + badDebt = deficit.
 */

import { compareAdlPriority } from "../adl/compareAdlPriority.ts";
import { computeAdlRank } from "../adl/computeAdlRank.ts";
import { computeAccountRisk, type AccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { abs, min, mulDivDown, mulDivUp, signedValue, WAD } from "../math/wad.ts";
import { findLiquidatableRows } from "../screen/findLiquidatableRows.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { marketBlocksLiquidation } from "./marketBlocksLiquidation.ts";
import { keeperReward as rewardOf, type KeeperReward } from "./keeperReward.ts";
import { accountOf, applyTrade, begin, commit, peekAccount, rollback, setPosition, workingCopy, type WorkingState } from "./applyTrade.ts";
import { BackstopError } from "../errors.ts";

export interface AdlFill {
  marketId: number;
  counterparty: `0x${string}`;
  /** Base units of the bankrupt position closed against this counterparty (0 in pro-rata). */
  quantityBase: bigint;
  haircutUsd: bigint;
}

export interface LiquidationLedger {
  account: `0x${string}`;
  keeper: `0x${string}`;
  equityUsd: bigint;
  penaltyUsd: bigint;
  keeperRewardUsd: bigint;
  insuranceFeeUsd: bigint;
  notionalUsd: bigint;
  /** −equity when bankrupt, else 0. */
  deficitUsd: bigint;
  collateralLostUsd: bigint;
  insuranceDrawUsd: bigint;
  defaultFundDrawUsd: bigint;
  adlAbsorbedUsd: bigint;
  badDebtUsd: bigint;
  adlFills: AdlFill[];
}

export class LiquidationError extends BackstopError {
  override name = "LiquidationError";
  constructor(
    /** The contract's custom error name. */
    readonly errorName: "AccountHealthy" | "SelfLiquidation" | "MarketPaused" | "LiquidationGracePeriod" | "InsufficientMargin",
    message: string,
  ) {
    super(message);
  }
}

interface Counterparty {
  address: `0x${string}`;
  sizeBase: bigint;
  profitUsd: bigint;
  rank: bigint;
}

function counterparties(state: WorkingState, marketId: number, bankruptSize: bigint, price: bigint): Counterparty[] {
  const result: Counterparty[] = [];
  for (const account of state.snapshot.accounts) {
    const position = account.positions.find((p) => p.marketId === marketId);
    if (!position || position.sizeBase > 0n === bankruptSize > 0n) continue;
    const risk = computeAccountRisk(state.snapshot, account);
    const rank = computeAdlRank({
      sizeBase: position.sizeBase,
      openNotionalUsd: position.openNotionalUsd,
      markPriceWad: price,
      accountEquityUsd: risk.equityUsd,
      accountNotionalUsd: risk.notionalUsd,
    });
    if (rank === null) continue;
    result.push({ address: account.address, sizeBase: abs(position.sizeBase), profitUsd: signedValue(position.sizeBase, price) - position.openNotionalUsd, rank });
  }
  return result.sort(compareAdlPriority);
}

/** ADL of `share` of the residual in one market; returns what was absorbed and the quantity closed. */
function deleverage(
  state: WorkingState,
  bankrupt: `0x${string}`,
  marketId: number,
  bankruptSize: bigint,
  price: bigint,
  share: bigint,
  residual: bigint,
  deficit: bigint,
  fills: AdlFill[],
): { absorbed: bigint; quantity: bigint } {
  const cps = counterparties(state, marketId, bankruptSize, price);
  if (cps.length === 0) return { absorbed: 0n, quantity: 0n };
  if (state.snapshot.global.adlMode === AdlMode.ProRata) {
    const totalProfit = cps.reduce((sum, c) => sum + c.profitUsd, 0n);
    const absorbed = min(share, totalProfit);
    const haircuts = cps.map((c) => mulDivDown(absorbed, c.profitUsd, totalProfit));
    haircuts[0]! += absorbed - haircuts.reduce((a, b) => a + b, 0n);
    cps.forEach((c, i) => {
      if (haircuts[i] === 0n) return;
      accountOf(state, c.address).cashUsd -= haircuts[i]!;
      fills.push({ marketId, counterparty: c.address, quantityBase: 0n, haircutUsd: haircuts[i]! });
    });
    return { absorbed, quantity: 0n };
  }
  const requested = min(mulDivUp(abs(bankruptSize), residual, deficit), abs(bankruptSize));
  const picked: { cp: Counterparty; fill: bigint }[] = [];
  let left = requested;
  let quantity = 0n;
  for (const cp of cps) {
    if (left === 0n) break;
    const fill = min(cp.sizeBase, left);
    picked.push({ cp, fill });
    left -= fill;
    quantity += fill;
  }
  if (quantity === 0n) return { absorbed: 0n, quantity: 0n };
  const absorbed = mulDivDown(share, quantity, requested);
  let charged = 0n;
  picked.forEach(({ cp, fill }, k) => {
    const haircut = k + 1 === picked.length ? absorbed - charged : mulDivDown(absorbed, fill, quantity);
    charged += haircut;
    applyTrade(state, cp.address, marketId, bankruptSize > 0n ? fill : -fill, price);
    accountOf(state, cp.address).cashUsd -= haircut;
    fills.push({ marketId, counterparty: cp.address, quantityBase: fill, haircutUsd: haircut });
  });
  return { absorbed, quantity };
}

/** Liquidates `address` in place on a working state; throws LiquidationError as the contract reverts. */
export function liquidateInPlace(state: WorkingState, address: `0x${string}`, keeperAddress: `0x${string}`): LiquidationLedger {
  const s = state.snapshot;
  const account = accountOf(state, address);
  const keeper = keeperAddress.toLowerCase() as `0x${string}`;
  if (keeper === account.address) throw new LiquidationError("SelfLiquidation", `${address} cannot liquidate itself`);
  const blocked = marketBlocksLiquidation(s, account);
  if (blocked) throw new LiquidationError(blocked.errorName, blocked.message);
  const risk = computeAccountRisk(s, account);
  if (!isLiquidatable(risk)) {
    throw new LiquidationError("AccountHealthy", `${address} is not liquidatable: equity ${risk.equityUsd} ≥ maintenance ${risk.maintenanceMarginUsd}`);
  }
  const book = risk.positions.map((p) => ({ ...p }));

  const ledger = closeAndCharge(state, account, book, risk, rewardOf(s, risk), keeper);
  const quantities = book.map(() => 0n);

  if (risk.equityUsd < 0n) {
    const deficit = -risk.equityUsd;
    account.balancesNative.forEach((balance, assetId) => {
      if (balance === 0n) return;
      const asset = s.collaterals[assetId]!;
      asset.totalDepositsNative -= balance;
      asset.seizedNative += balance;
      account.balancesNative[assetId] = 0n;
    });
    account.cashUsd = 0n;
    const insuranceDraw = min(deficit, s.reserves.insuranceFundUsd);
    s.reserves.insuranceFundUsd -= insuranceDraw;
    const defaultFundDraw = min(deficit - insuranceDraw, s.reserves.defaultFundUsd);
    s.reserves.defaultFundUsd -= defaultFundDraw;
    const residual = deficit - insuranceDraw - defaultFundDraw;
    let absorbedTotal = 0n;
    let badDebt = 0n;
    if (residual > 0n) {
      const totalNotional = book.reduce((sum, p) => sum + p.notionalUsd, 0n);
      let assigned = 0n;
      book.forEach((p, i) => {
        const share = i + 1 === book.length ? residual - assigned : totalNotional === 0n ? 0n : mulDivDown(residual, p.notionalUsd, totalNotional);
        assigned += share;
        if (share === 0n) return;
        const { absorbed, quantity } = deleverage(state, account.address, p.marketId, p.sizeBase, p.markPriceWad, share, residual, deficit, ledger.adlFills);
        quantities[i] = quantity;
        absorbedTotal += absorbed;
        badDebt += share - absorbed;
      });
      s.reserves.badDebtUsd += badDebt;
    }
    Object.assign(ledger, {
      deficitUsd: deficit,
      collateralLostUsd: risk.collateralValueUsd,
      insuranceDrawUsd: insuranceDraw,
      defaultFundDrawUsd: defaultFundDraw,
      adlAbsorbedUsd: absorbedTotal,
      badDebtUsd: badDebt,
    });
  }

  book.forEach((p, i) => {
    const rest = abs(p.sizeBase) - quantities[i]!;
    if (rest > 0n) applyTrade(state, keeper, p.marketId, p.sizeBase > 0n ? rest : -rest, p.markPriceWad);
  });
  const keeperRisk = computeAccountRisk(s, accountOf(state, keeper));
  if (keeperRisk.equityUsd < keeperRisk.initialMarginUsd) {
    throw new LiquidationError("InsufficientMargin", `keeper ${keeper} cannot carry the positions: equity ${keeperRisk.equityUsd} < initial margin ${keeperRisk.initialMarginUsd}`);
  }
  return ledger;
}

/** Liquidates one account; the snapshot passed in is not changed. */
export function simulateLiquidation(snapshot: ProtocolSnapshot, account: `0x${string}`, keeper: `0x${string}`) {
  const state = workingCopy(snapshot);
  const ledger = liquidateInPlace(state, account, keeper);
  return { snapshot: state.snapshot, ledger };
}

/** Every liquidatable account of a snapshot, in snapshot order (the columnar screen, exact). */
export function findLiquidatable(snapshot: ProtocolSnapshot): `0x${string}`[] {
  return Array.from(findLiquidatableRows(snapshot), (row) => snapshot.accounts[row]!.address);
}

export interface SimulateLiquidationsReturnType {
  snapshot: ProtocolSnapshot;
  ledgers: LiquidationLedger[];
  /** Accounts the keeper could not liquidate (with the contract's error), in order. */
  skipped: { account: `0x${string}`; errorName: LiquidationError["errorName"] }[];
}

/**
 * Liquidates `accounts` one after another, in the order given (each sees the state the previous
 * left); an account that is no longer liquidatable, or that the keeper cannot carry, is skipped
 * as the contract would revert it.
 */
export function simulateLiquidations(snapshot: ProtocolSnapshot, accounts: readonly `0x${string}`[], keeper: `0x${string}`): SimulateLiquidationsReturnType {
  const state = workingCopy(snapshot);
  return { ...liquidateAllInPlace(state, accounts, keeper), snapshot: state.snapshot };
}

/**
 * simulateLiquidations on a working state the caller keeps (the cascade steps one): each
 * liquidation is a transaction, rolled back whole when it reverts.
 */
export function liquidateAllInPlace(state: WorkingState, accounts: readonly `0x${string}`[], keeper: `0x${string}`): Omit<SimulateLiquidationsReturnType, "snapshot"> {
  const ledgers: LiquidationLedger[] = [];
  const skipped: SimulateLiquidationsReturnType["skipped"] = [];
  for (const account of accounts) {
    begin(state);
    try {
      ledgers.push(liquidateInPlace(state, account, keeper));
      commit(state);
    } catch (error) {
      rollback(state);
      if (!(error instanceof LiquidationError)) throw error;
      skipped.push({ account, errorName: error.errorName });
    }
  }
  return { ledgers, skipped };
}

/** An account due for liquidation with its exact risk at the state's prices (as computeAccountRisk gives it). */
export interface DueLiquidation {
  address: `0x${string}`;
  risk: AccountRisk;
  /** Where the account sits in the state's accounts, when the caller knows (saves a look-up). */
  row?: number;
  /** keeperReward of `risk`, when the caller has it. */
  reward?: KeeperReward;
}

/**
 * liquidateAllInPlace of `due`, in order, with each solvent liquidation applied directly, no
 * transaction and no re-valuation: the same ledgers, skips and state to the wei. A liquidation
 * whose account has equity ≥ 0 pays min(raw penalty, equity) out of its own equity and hands its
 * positions to the keeper at mark — no waterfall, no ADL, no other account touched — so its
 * ledger follows from the risk the caller already has, as long as that risk is still the
 * account's: true until some liquidation of the batch closes positions by ADL (from then on each
 * goes the whole way). It cannot revert when:
 *   - its markets neither pause nor hold it in a grace period (marketBlocksLiquidation);
 *   - the keeper meets initial margin afterwards. Until the batch's first ADL (after which
 *     nothing is applied directly) every keeper trade is at the same marks and nothing charges
 *     the keeper, so its cash never falls (closing at the price it opened at realises ≥ 0,
 *     rounding in its favour) and its equity stays above cash − nM; its IM is at most
 *     maxImr·(Σ notional + #positions) + nM. A keeper starting flat with cash C at least that plus
 *     nM over every account of the batch (the bankrupt ones' included) is proven: C ≥ 2·nM +
 *     maxImr·(Σ notional + #positions)/1e18 + 1.
 * Bankrupt accounts, and every account when the bound fails, are liquidated by liquidateInPlace.
 *
 * Example: a cascade round liquidating 4,000 solvent accounts into a keeper with $10²² of cash:
 * 4,000 direct updates (close at mark, pay the penalty, keeper takes the positions) instead of
 * 4,000 transactions that each re-value the account and the keeper.
 */
export function liquidateBatchInPlace(state: WorkingState, due: readonly DueLiquidation[], keeperAddress: `0x${string}`, options: BatchOptions = {}): Omit<SimulateLiquidationsReturnType, "snapshot"> {
  const s = state.snapshot;
  const keeper = keeperAddress.toLowerCase() as `0x${string}`;
  const keeperAccount = peekAccount(state, keeper);
  let notional = options.taken?.notionalUsd ?? 0n;
  let positions = options.taken?.positions ?? 0;
  for (const { risk } of due) {
    notional += risk.notionalUsd;
    positions += risk.positions.length;
  }
  const maxImr = s.markets.reduce((m, market) => (market.params.imrWad > m ? market.params.imrWad : m), 0n);
  const nM = BigInt(s.markets.length);
  const keeperProven = keeperAccount !== undefined && keeperAccount.positions.length === 0 && keeperAccount.cashUsd >= 2n * nM + (maxImr * (notional + BigInt(positions))) / WAD + 1n;
  const ledgers: LiquidationLedger[] = [];
  const skipped: SimulateLiquidationsReturnType["skipped"] = [];
  let direct = keeperProven;
  for (const { address, risk, row, reward } of due) {
    const found = direct && risk.equityUsd >= 0n && isLiquidatable(risk) ? peekAccount(state, address, row) : undefined;
    if (found && found.address !== keeper && !marketBlocksLiquidation(s, found)) {
      const paid = reward ?? rewardOf(s, risk);
      const inRow = options.solvent && row !== undefined && s.accounts[row] === found;
      ledgers.push(inRow ? options.solvent!(found, row, risk, paid, keeper) : liquidateSolvent(state, accountOf(state, address, row), risk, paid, keeper));
      continue;
    }
    options.beforeTransaction?.();
    begin(state);
    try {
      const ledger = liquidateInPlace(state, address, keeper);
      commit(state);
      ledgers.push(ledger);
      if (ledger.adlFills.length > 0) direct = false;
    } catch (error) {
      rollback(state);
      if (!(error instanceof LiquidationError)) throw error;
      skipped.push({ account: address, errorName: error.errorName });
    }
  }
  return { ledgers, skipped };
}

/** How liquidateBatchInPlace may be told to apply its direct liquidations (the cascade keeps them in columns). */
export interface BatchOptions {
  /**
   * Applies the direct liquidation of the solvent `account` at `row` (as liquidateSolvent would:
   * the same state and ledger), the keeper's margin proven; `account` is the state's object, not
   * yet copied.
   */
  solvent?: (account: Account, row: number, risk: AccountRisk, reward: KeeperReward, keeper: `0x${string}`) => LiquidationLedger;
  /** Called before each liquidation that goes the whole way (a transaction that reads any account). */
  beforeTransaction?: () => void;
  /**
   * What the keeper already took since it was last flat, in positions its account does not show
   * yet (the cascade logs them: keeperLog.ts): counted in the proof of its margin with the batch's.
   */
  taken?: { notionalUsd: bigint; positions: number };
}

/** liquidateInPlace of a solvent, liquidatable `account` whose risk is `risk` (and keeper reward `reward`), the keeper's margin proven. */
export function liquidateSolvent(state: WorkingState, account: Account, risk: AccountRisk, reward: KeeperReward, keeper: `0x${string}`): LiquidationLedger {
  const ledger = closeAndCharge(state, account, risk.positions, risk, reward, keeper);
  for (const p of risk.positions) applyTrade(state, keeper, p.marketId, p.sizeBase, p.markPriceWad);
  return ledger;
}

/**
 * Steps 1–2 of every liquidation: the account's positions closed at mark into its cash, the
 * penalty charged, the keeper's share paid and the rest to insurance; the ledger so far (no
 * deficit yet).
 */
function closeAndCharge(state: WorkingState, account: Account, positions: readonly AccountRisk["positions"][number][], risk: AccountRisk, reward: KeeperReward, keeper: `0x${string}`): LiquidationLedger {
  const s = state.snapshot;
  const { penaltyUsd: penalty, rewardUsd: keeperReward } = reward;
  for (const p of positions) {
    account.cashUsd += p.upnlUsd;
    setPosition(state, account, p.marketId, 0n, 0n);
  }
  account.cashUsd -= penalty;
  accountOf(state, keeper).cashUsd += keeperReward;
  const ledger = chargedLedger(account.address, keeper, risk, reward);
  s.reserves.insuranceFundUsd += ledger.insuranceFeeUsd;
  return ledger;
}

/** The ledger of a liquidation after steps 1–2 (closed at mark, penalty paid): no deficit drawn yet. */
export function chargedLedger(account: `0x${string}`, keeper: `0x${string}`, risk: AccountRisk, { penaltyUsd, rewardUsd }: KeeperReward): LiquidationLedger {
  return {
    account,
    keeper,
    equityUsd: risk.equityUsd,
    penaltyUsd,
    keeperRewardUsd: rewardUsd,
    insuranceFeeUsd: penaltyUsd - rewardUsd,
    notionalUsd: risk.notionalUsd,
    deficitUsd: 0n,
    collateralLostUsd: 0n,
    insuranceDrawUsd: 0n,
    defaultFundDrawUsd: 0n,
    adlAbsorbedUsd: 0n,
    badDebtUsd: 0n,
    adlFills: [],
  };
}
