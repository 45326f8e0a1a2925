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
 * Example: raising ETH-PERP's MMR from 5 % to 8 % makes an account with health 1.4 at 5 %
 * (equity = 7 % of notional) liquidatable: it appears in newlyLiquidatable with its notional.
 */

import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import { simulateLiquidations } from "../liquidation/simulateLiquidation.ts";
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
  const accounts = snapshot.accounts.some((a) => a.address === PREVIEW_KEEPER) ? snapshot.accounts : [...snapshot.accounts, keeper];
  return { ...snapshot, accounts, global: { ...snapshot.global, adlMode } };
}

/** Liquidates every liquidatable account (in snapshot order) and totals the ledgers. */
export function summariseLiquidations(snapshot: ProtocolSnapshot, adlMode = snapshot.global.adlMode): LiquidationSummary {
  const s = withPreviewKeeper(snapshot, adlMode);
  const order = s.accounts.filter((a) => isLiquidatable(computeAccountRisk(s, a))).map((a) => a.address);
  const { ledgers } = simulateLiquidations(s, order, PREVIEW_KEEPER);
  const summary: LiquidationSummary = { accounts: ledgers.length, notionalUsd: 0n, penaltiesUsd: 0n, keeperRewardsUsd: 0n, insuranceDrawUsd: 0n, defaultFundDrawUsd: 0n, adlAbsorbedUsd: 0n, adlClosedNotionalUsd: 0n, adlCounterparties: 0, badDebtUsd: 0n };
  const counterparties = new Set<string>();
  for (const l of ledgers) {
    summary.notionalUsd += l.notionalUsd;
    summary.penaltiesUsd += l.penaltyUsd;
    summary.keeperRewardsUsd += l.keeperRewardUsd;
    summary.insuranceDrawUsd += l.insuranceDrawUsd;
    summary.defaultFundDrawUsd += l.defaultFundDrawUsd;
    summary.adlAbsorbedUsd += l.adlAbsorbedUsd;
    summary.badDebtUsd += l.badDebtUsd;
    for (const f of l.adlFills) {
      counterparties.add(f.counterparty);
      summary.adlClosedNotionalUsd += mulDivDown(f.quantityBase, s.markets[f.marketId]!.markPriceWad, WAD);
    }
  }
  summary.adlCounterparties = counterparties.size;
  return summary;
}

function liquidatableSet(snapshot: ProtocolSnapshot) {
  const result = new Map<string, ReturnType<typeof computeAccountRisk>>();
  for (const a of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, a);
    if (isLiquidatable(risk)) result.set(a.address, risk);
  }
  return result;
}

const other = (mode: AdlMode) => (mode === AdlMode.Queue ? AdlMode.ProRata : AdlMode.Queue);

export function previewChanges(before: ProtocolSnapshot, changes: readonly ParamChange[]): ProposalPreview {
  const { snapshot: after, issues } = applyChanges(before, changes);
  const liquidatableBefore = liquidatableSet(before);
  const liquidatableAfter = liquidatableSet(after);
  const impact = (address: `0x${string}`): AccountImpact => {
    const account = before.accounts.find((a) => a.address === address)!;
    const riskBefore = computeAccountRisk(before, account);
    const riskAfter = computeAccountRisk(after, after.accounts.find((a) => a.address === address)!);
    return { address, equityUsd: riskBefore.equityUsd, maintenanceMarginBeforeUsd: riskBefore.maintenanceMarginUsd, maintenanceMarginAfterUsd: riskAfter.maintenanceMarginUsd, notionalUsd: riskBefore.notionalUsd };
  };
  const byAddress = (a: AccountImpact, b: AccountImpact) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  const newlyLiquidatable = [...liquidatableAfter.keys()].filter((a) => !liquidatableBefore.has(a)).map((a) => impact(a as `0x${string}`)).sort(byAddress);
  const newlySafe = [...liquidatableBefore.keys()].filter((a) => !liquidatableAfter.has(a)).map((a) => impact(a as `0x${string}`)).sort(byAddress);

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
    before: { current: summariseLiquidations(before), otherAdlMode: summariseLiquidations(before, other(before.global.adlMode)) },
    afterChanges: { current: summariseLiquidations(after), otherAdlMode: summariseLiquidations(after, other(after.global.adlMode)) },
    oiCapBreaches,
    concentrationBreaches,
  };
}
