/**
 * What a proposal would do, before anyone votes: apply its changes to the current snapshot and
 * compare. Liquidations are simulated at the current prices with a keeper that can carry
 * anything (the question is what the protocol loses, not whether one keeper is rich enough).
 *
 *   newlyLiquidatable = liquidatable(after) \ liquidatable(before)   (and newlySafe, conversely)
 *   liquidation outcome of the whole liquidatable set, before and after: notional, penalties,
 *     keeper rewards, insurance and default-fund draws, ADL absorbed and closed, bad debt;
 *     under the ADL mode in force and under the other one (queue vs pro-rata)
 *   breaches created: markets whose open interest now exceeds the cap, positions over the
 *     concentration limit (concentrationCap × oiCap)
 *
 * Linear in the accounts: both liquidatable sets come from the columnar screen (one set of
 * columns serves before and after, whose accounts are the same), the diff is a merge of two
 * ascending row lists, and only the accounts in it are valued in bigint. The summaries
 * liquidate only the liquidatable set: when none of it is bankrupt each ledger depends on its
 * account alone and the summary is a sum (summariseSolvent); otherwise it is replayed one by
 * one. The other ADL mode is simulated only if a deficit reached ADL (otherwise the mode
 * changes nothing). Concentration breaches are looked for only in markets whose limit fell.
 *
 * Example: raising ETH-PERP's MMR from 5 % to 8 % makes an account with health 1.4 at 5 %
 * (equity = 7 % of notional) liquidatable: it appears in newlyLiquidatable with its notional.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import { indexOfAddress } from "../columnar/columnarSnapshot.ts";
import { workingCopy } from "../liquidation/applyTrade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import { marketBlocksLiquidation } from "../liquidation/marketBlocksLiquidation.ts";
import { liquidateAllInPlace } from "../liquidation/simulateLiquidation.ts";
import { findLiquidatableRows } from "../screen/findLiquidatableRows.ts";
import { AdlMode, type ProtocolSnapshot } from "../types.ts";
import { applyChanges, type ChangeIssue, type ParamChange } from "./applyChanges.ts";

/** A keeper with unbounded capacity, used only inside previews. */
export const PREVIEW_KEEPER = "0x00000000000000000000000000000000000b4c51" as const;
const PREVIEW_KEEPER_CASH_USD = 10n ** 40n;

export interface LiquidationSummary {
  accounts: number;
  notionalUsd: bigint;
  penaltiesUsd: bigint;
  keeperRewardsUsd: bigint;
  insuranceDrawUsd: bigint;
  defaultFundDrawUsd: bigint;
  adlAbsorbedUsd: bigint;
  /** Notional of counterparties' positions closed by ADL (queue mode only). */
  adlClosedNotionalUsd: bigint;
  adlCounterparties: number;
  badDebtUsd: bigint;
}

export interface AccountImpact {
  address: `0x${string}`;
  equityUsd: bigint;
  maintenanceMarginBeforeUsd: bigint;
  maintenanceMarginAfterUsd: bigint;
  notionalUsd: bigint;
}

export interface ProposalPreview {
  issues: ChangeIssue[];
  after: ProtocolSnapshot;
  newlyLiquidatable: AccountImpact[];
  newlySafe: AccountImpact[];
  before: { current: LiquidationSummary; otherAdlMode: LiquidationSummary };
  afterChanges: { current: LiquidationSummary; otherAdlMode: LiquidationSummary };
  oiCapBreaches: { marketId: number; openInterestUsd: bigint; oiCapUsd: bigint }[];
  concentrationBreaches: { marketId: number; address: `0x${string}`; notionalUsd: bigint; maxNotionalUsd: bigint }[];
}

function withPreviewKeeper(snapshot: ProtocolSnapshot, adlMode: AdlMode): ProtocolSnapshot {
  const keeper = { address: PREVIEW_KEEPER, cashUsd: PREVIEW_KEEPER_CASH_USD, balancesNative: snapshot.collaterals.map(() => 0n), positions: [] };
  const accounts = indexOfAddress(columnarOf(snapshot), PREVIEW_KEEPER) !== -1 ? snapshot.accounts : [...snapshot.accounts, keeper];
  return { ...snapshot, accounts, global: { ...snapshot.global, adlMode } };
}

/**
 * Liquidates every liquidatable account (in snapshot order) and totals the ledgers. With
 * `replay`, one by one on a working copy even when no account is bankrupt (the reference the
 * shortcut, summariseSolvent, is tested against).
 */
export function summariseLiquidations(snapshot: ProtocolSnapshot, adlMode = snapshot.global.adlMode, { replay = false } = {}): LiquidationSummary {
  return summarise(snapshot, adlMode, findLiquidatableRows(snapshot), replay).summary;
}

const emptySummary = (): LiquidationSummary => ({ accounts: 0, notionalUsd: 0n, penaltiesUsd: 0n, keeperRewardsUsd: 0n, insuranceDrawUsd: 0n, defaultFundDrawUsd: 0n, adlAbsorbedUsd: 0n, adlClosedNotionalUsd: 0n, adlCounterparties: 0, badDebtUsd: 0n });

/**
 * summariseLiquidations of `rows` (liquidatable, ascending), and whether any deficit reached
 * ADL: when none did, the ADL mode changed nothing and the other mode's summary is this one.
 */
function summarise(snapshot: ProtocolSnapshot, adlMode: AdlMode, rows: Uint32Array, replay = false): { summary: LiquidationSummary; reachedAdl: boolean } {
  const s = withPreviewKeeper(snapshot, adlMode);
  const solvent = s.accounts !== snapshot.accounts && !replay ? summariseSolvent(s, rows) : undefined;
  if (solvent) return { summary: solvent, reachedAdl: false };
  const order = Array.from(rows, (row) => snapshot.accounts[row]!.address);
  const columnar = columnarOf(snapshot);
  const state = workingCopy(s, (address) => (address === PREVIEW_KEEPER && s.accounts !== snapshot.accounts ? s.accounts.length - 1 : indexOfAddress(columnar, address)));
  const { ledgers } = liquidateAllInPlace(state, order, PREVIEW_KEEPER);
  const summary = { ...emptySummary(), accounts: ledgers.length };
  const counterparties = new Set<string>();
  let reachedAdl = false;
  for (const l of ledgers) {
    summary.notionalUsd += l.notionalUsd;
    summary.penaltiesUsd += l.penaltyUsd;
    summary.keeperRewardsUsd += l.keeperRewardUsd;
    summary.insuranceDrawUsd += l.insuranceDrawUsd;
    summary.defaultFundDrawUsd += l.defaultFundDrawUsd;
    summary.adlAbsorbedUsd += l.adlAbsorbedUsd;
    summary.badDebtUsd += l.badDebtUsd;
    if (l.adlAbsorbedUsd + l.badDebtUsd > 0n) reachedAdl = true;
    for (const f of l.adlFills) {
      counterparties.add(f.counterparty);
      summary.adlClosedNotionalUsd += mulDivDown(f.quantityBase, s.markets[f.marketId]!.markPriceWad, WAD);
    }
  }
  summary.adlCounterparties = counterparties.size;
  return { summary, reachedAdl };
}

/**
 * The summary of liquidating `rows` one after another, without replaying them, when no account
 * among them is bankrupt: such a liquidation moves its positions to the keeper at mark and pays
 * the penalty out of its own equity — no waterfall, no ADL, no other account touched — so each
 * ledger is a function of the account alone (its risk, keeperReward) and of the markets' pause
 * and grace state (marketBlocksLiquidation: those are skipped, as they revert). The fresh
 * preview keeper (cash C = 10⁴⁰ wei) must also meet initial margin after each: trades at mark
 * never lower its real-valued equity (each floor rounds in its favour), so its equity stays
 * above C − nM, while its IM is at most imr_max·(Σ notional + #positions) + 2·nM. Returns
 * undefined, and the caller replays, when an account is bankrupt or that bound does not prove
 * the keeper's margin.
 */
function summariseSolvent(s: ProtocolSnapshot, rows: Uint32Array): LiquidationSummary | undefined {
  const summary = emptySummary();
  let positions = 0n;
  for (const row of rows) {
    const account = s.accounts[row]!;
    if (marketBlocksLiquidation(s, account)) continue;
    const risk = computeAccountRisk(s, account);
    if (risk.equityUsd < 0n) return undefined;
    const { penaltyUsd, rewardUsd } = keeperReward(s, risk);
    summary.accounts++;
    summary.notionalUsd += risk.notionalUsd;
    summary.penaltiesUsd += penaltyUsd;
    summary.keeperRewardsUsd += rewardUsd;
    positions += BigInt(risk.positions.length);
  }
  const markets = BigInt(s.markets.length);
  const maxImrWad = s.markets.reduce((m, market) => (market.params.imrWad > m ? market.params.imrWad : m), 0n);
  const keeperMarginBound = ((summary.notionalUsd + positions) * maxImrWad) / WAD + 1n + 2n * markets;
  return keeperMarginBound < PREVIEW_KEEPER_CASH_USD - markets ? summary : undefined;
}

const other = (mode: AdlMode) => (mode === AdlMode.Queue ? AdlMode.ProRata : AdlMode.Queue);

/** The summary under the ADL mode in force and under the other one (computed once when no deficit reaches ADL). */
function summariseBothModes(snapshot: ProtocolSnapshot, rows: Uint32Array) {
  const current = summarise(snapshot, snapshot.global.adlMode, rows);
  return { current: current.summary, otherAdlMode: current.reachedAdl ? summarise(snapshot, other(snapshot.global.adlMode), rows).summary : { ...current.summary } };
}

/** Ascending rows in `a` and not in `b` (both ascending). */
function difference(a: Uint32Array, b: Uint32Array): number[] {
  const out: number[] = [];
  let j = 0;
  for (const row of a) {
    while (j < b.length && b[j]! < row) j++;
    if (b[j] !== row) out.push(row);
  }
  return out;
}

export function previewChanges(before: ProtocolSnapshot, changes: readonly ParamChange[]): ProposalPreview {
  const { snapshot: after, issues } = applyChanges(before, changes);
  // The accounts array is shared by before and after (applyChanges changes no account): one set of columns, screened at both parameter sets.
  const liquidatableBefore = findLiquidatableRows(before);
  const liquidatableAfter = findLiquidatableRows(after);
  const impact = (row: number): AccountImpact => {
    const account = before.accounts[row]!;
    const riskBefore = computeAccountRisk(before, account);
    const riskAfter = computeAccountRisk(after, after.accounts[row]!);
    return { address: account.address, equityUsd: riskBefore.equityUsd, maintenanceMarginBeforeUsd: riskBefore.maintenanceMarginUsd, maintenanceMarginAfterUsd: riskAfter.maintenanceMarginUsd, notionalUsd: riskBefore.notionalUsd };
  };
  const byAddress = (a: AccountImpact, b: AccountImpact) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  const newlyLiquidatable = difference(liquidatableAfter, liquidatableBefore).map(impact).sort(byAddress);
  const newlySafe = difference(liquidatableBefore, liquidatableAfter).map(impact).sort(byAddress);

  const oiCapBreaches = after.markets
    .map((m) => ({ marketId: m.id, openInterestUsd: mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD), oiCapUsd: m.params.oiCapUsd }))
    .filter((m, i) => m.openInterestUsd > m.oiCapUsd && !(mulDivDown(before.markets[i]!.longOpenInterestBase, before.markets[i]!.markPriceWad, WAD) > before.markets[i]!.params.oiCapUsd));
  const concentrationBreaches: ProposalPreview["concentrationBreaches"] = [];
  const limit = (s: ProtocolSnapshot, marketId: number) => mulDivDown(s.markets[marketId]!.params.concentrationCapWad, s.markets[marketId]!.params.oiCapUsd, WAD);
  // A breach is created only where a limit came down (notional > after's limit, ≤ before's): markets whose limit did not fall are skipped whole.
  const lowered = after.markets.map((m) => limit(after, m.id) < limit(before, m.id));
  if (lowered.some(Boolean)) {
    for (const account of after.accounts) {
      for (const p of account.positions) {
        if (!lowered[p.marketId]) continue;
        const notionalUsd = mulDivDown(p.sizeBase < 0n ? -p.sizeBase : p.sizeBase, after.markets[p.marketId]!.markPriceWad, WAD);
        const maxNotionalUsd = limit(after, p.marketId);
        if (notionalUsd > maxNotionalUsd && notionalUsd <= limit(before, p.marketId)) concentrationBreaches.push({ marketId: p.marketId, address: account.address, notionalUsd, maxNotionalUsd });
      }
    }
  }
  return {
    issues,
    after,
    newlyLiquidatable,
    newlySafe,
    before: summariseBothModes(before, liquidatableBefore),
    afterChanges: summariseBothModes(after, liquidatableAfter),
    oiCapBreaches,
    concentrationBreaches,
  };
}
