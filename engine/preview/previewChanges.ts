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
 * liquidate only the liquidatable set; the other ADL mode is simulated only if a deficit
 * reached ADL (otherwise the mode changes nothing).
 *
 * Example: raising ETH-PERP's MMR from 5 % to 8 % makes an account with health 1.4 at 5 %
 * (equity = 7 % of notional) liquidatable: it appears in newlyLiquidatable with its notional.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import { indexOfAddress } from "../columnar/columnarSnapshot.ts";
import { workingCopy } from "../liquidation/applyTrade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import { liquidateAllInPlace } from "../liquidation/simulateLiquidation.ts";
import { findLiquidatableRows } from "../screen/findLiquidatableRows.ts";
import { AdlMode, type ProtocolSnapshot } from "../types.ts";
import { applyChanges, type ChangeIssue, type ParamChange } from "./applyChanges.ts";

/** A keeper with unbounded capacity, used only inside previews. */
export const PREVIEW_KEEPER = "0x00000000000000000000000000000000000b4c51" as const;

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
  const keeper = { address: PREVIEW_KEEPER, cashUsd: 10n ** 40n, balancesNative: snapshot.collaterals.map(() => 0n), positions: [] };
  const accounts = indexOfAddress(columnarOf(snapshot), PREVIEW_KEEPER) !== -1 ? snapshot.accounts : [...snapshot.accounts, keeper];
  return { ...snapshot, accounts, global: { ...snapshot.global, adlMode } };
}

/** Liquidates every liquidatable account (in snapshot order) and totals the ledgers. */
export function summariseLiquidations(snapshot: ProtocolSnapshot, adlMode = snapshot.global.adlMode): LiquidationSummary {
  return summarise(snapshot, adlMode, findLiquidatableRows(snapshot)).summary;
}

/**
 * summariseLiquidations of `rows` (liquidatable, ascending), and whether any deficit reached
 * ADL: when none did, the ADL mode changed nothing and the other mode's summary is this one.
 */
function summarise(snapshot: ProtocolSnapshot, adlMode: AdlMode, rows: Uint32Array): { summary: LiquidationSummary; reachedAdl: boolean } {
  const s = withPreviewKeeper(snapshot, adlMode);
  const order = Array.from(rows, (row) => snapshot.accounts[row]!.address);
  const columnar = columnarOf(snapshot);
  const state = workingCopy(s, (address) => (address === PREVIEW_KEEPER && s.accounts !== snapshot.accounts ? s.accounts.length - 1 : indexOfAddress(columnar, address)));
  const { ledgers } = liquidateAllInPlace(state, order, PREVIEW_KEEPER);
  const summary: LiquidationSummary = { accounts: ledgers.length, notionalUsd: 0n, penaltiesUsd: 0n, keeperRewardsUsd: 0n, insuranceDrawUsd: 0n, defaultFundDrawUsd: 0n, adlAbsorbedUsd: 0n, adlClosedNotionalUsd: 0n, adlCounterparties: 0, badDebtUsd: 0n };
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
  for (const account of after.accounts) {
    for (const p of account.positions) {
      const notionalUsd = mulDivDown(p.sizeBase < 0n ? -p.sizeBase : p.sizeBase, after.markets[p.marketId]!.markPriceWad, WAD);
      const maxNotionalUsd = limit(after, p.marketId);
      if (notionalUsd > maxNotionalUsd && notionalUsd <= limit(before, p.marketId)) concentrationBreaches.push({ marketId: p.marketId, address: account.address, notionalUsd, maxNotionalUsd });
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
