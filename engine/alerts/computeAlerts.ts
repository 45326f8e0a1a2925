/**
 * The alerts a delegate should see first, from one snapshot plus what the chain's recent history
 * adds (engine health, prices and open interest a while ago). Each alert has a severity, a
 * sentence and the figure that triggered it.
 *
 *   stale oracle          price age > market max age (critical), > 80 % of it (warning)
 *   keeper lag            an account liquidatable for ≥ lagBlocks blocks (engine health)
 *   dust                  liquidatable accounts whose reward does not pay a keeper's gas
 *   liquidatable          accounts liquidatable now (warning)
 *   negative equity       Σ −equity of accounts below zero: loss not yet absorbed (critical)
 *   reserves              insurance + default fund below Cover-2 (critical), below 2 × (warning)
 *   runway                scenarios of the stress library whose loss exceeds the reserves (one alert)
 *   market exposure       markets whose worst recorded move alone costs ≥ half the reserves (one alert)
 *   OI near cap           long OI ≥ 90 % of cap
 *   OI growth             long OI ≥ 10 × what it was `history.blocksAgo` blocks ago (not 0) and ≥ 10 % of cap
 *   concentration         a position above the concentration limit, or one account holding ≥ 50 %
 *                         of a market's open interest on one side
 *   price deviation       a feed ≥ 30 % (warning) / 100 % (critical) away from the median of its
 *                         recent updates (at least 3)
 *   collateral concentration  one account holding ≥ 50 % of a haircut (weight < 1) collateral's
 *                         deposits, worth ≥ 1 % of all collateral
 *   frozen / paused       market status
 *   governance            proposals the governance detectors flag (lib/governance/detectors)
 */

import { formatDuration, formatPercent, formatPrice, formatUsd } from "../format.ts";
import { columnarOf } from "../columnar/columnarOf.ts";
import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { findNegativeEquity } from "../screen/findNegativeEquity.ts";
import { findLiquidatable } from "../liquidation/simulateLiquidation.ts";
import { abs, max, min, mulDivDown, mulDivUp, WAD } from "../math/wad.ts";
import type { EngineHealth } from "../health/computeEngineHealth.ts";
import type { Market, ProtocolSnapshot } from "../types.ts";

export type AlertSeverity = "critical" | "warning" | "info";

export interface Alert {
  id: string;
  severity: AlertSeverity;
  title: string;
  detail: string;
  marketId?: number;
  accounts?: `0x${string}`[];
  /** Where the dashboard shows the subject (e.g. /governance/<id>). */
  href?: string;
}

export interface ComputeAlertsOptions {
  /** computeEngineHealth of the same snapshot. */
  health?: EngineHealth;
  /** Cover-2 of the reserves (computeCover), when known. */
  cover2Usd?: bigint;
  /** The recent past: the markets `blocksAgo` blocks back, and each feed's recent prices (oldest first). */
  history?: { blocksAgo: bigint; markets: readonly Pick<Market, "id" | "longOpenInterestBase" | "markPriceWad">[]; prices: ReadonlyMap<`0x${string}`, readonly bigint[]> };
  /** Alerts raised outside the engine (governance detectors), merged in by severity. */
  extra?: readonly Alert[];
}

const rank: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Above the concentration limit, or ≥ half a side's open interest in one account and ≥ 5 % of the cap (computeAlerts' header). */
function isConcentrated(market: Market, sizeBase: bigint): boolean {
  const notionalUsd = mulDivDown(abs(sizeBase), market.markPriceWad, WAD);
  const sideOi = sizeBase > 0n ? market.longOpenInterestBase : market.shortOpenInterestBase;
  return notionalUsd > mulDivDown(market.params.concentrationCapWad, market.params.oiCapUsd, WAD) || (sideOi > 0n && abs(sizeBase) * 2n >= sideOi && notionalUsd * 20n >= market.params.oiCapUsd);
}

/**
 * The smallest |size| isConcentrated can hold for in `market` (either side), or 0 when it cannot
 * be bounded (a mark or a parameter at or below zero): at a positive mark, notional = ⌊|s|·mark/1e18⌋
 * grows with |s|, so notional > L ⇔ |s| ≥ ⌈(L+1)·1e18/mark⌉ and 20·notional ≥ cap ⇔ |s| ≥ ⌈⌈cap/20⌉·1e18/mark⌉.
 */
function concentrationFloor(market: Market): bigint {
  const { markPriceWad: mark, params } = market;
  const limitUsd = mulDivDown(params.concentrationCapWad, params.oiCapUsd, WAD);
  if (mark <= 0n || limitUsd < 0n || params.oiCapUsd < 0n) return 0n;
  const shareFloor = mulDivUp(mulDivUp(params.oiCapUsd, 1n, 20n), WAD, mark);
  let floor = mulDivUp(limitUsd + 1n, WAD, mark);
  for (const sideOi of [market.longOpenInterestBase, market.shortOpenInterestBase]) if (sideOi > 0n) floor = min(floor, max(mulDivUp(sideOi, 1n, 2n), shareFloor));
  return floor;
}

/** The accounts in negative equity at the snapshot's prices, and Σ −equity: the engine health's figure, for a caller without one. */
function negativeEquityNow(snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot): { accounts: `0x${string}`[]; usd: bigint } {
  const [now] = findNegativeEquity(columnar, [snapshot]);
  return { accounts: Array.from(now!.rows, (row) => snapshot.accounts[row]!.address), usd: -now!.equityUsd };
}

/**
 * The concentrated positions' accounts by market, in account order (markets in the order their
 * first one appears): each market's size column screened against concentrationFloor — a row
 * below it in float, with room for the float's rounding, cannot be concentrated — and the rows left
 * decided exactly by isConcentrated on their account.
 */
function concentratedAccounts(snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot): Map<number, `0x${string}`[]> {
  const candidates = new Set<number>();
  snapshot.markets.forEach((market, m) => {
    const floor = Number(concentrationFloor(market)) * (1 - 2 ** -40);
    const sizes = columnar.sizeBase[m]!.hi;
    for (let row = 0; row < columnar.count; row++) {
      const size = sizes[row]!;
      if (size !== 0 && Math.abs(size) >= floor) candidates.add(row);
    }
  });
  const concentrated = new Map<number, `0x${string}`[]>();
  for (const row of [...candidates].sort((a, b) => a - b)) {
    const account = snapshot.accounts[row]!;
    for (const p of account.positions) {
      if (isConcentrated(snapshot.markets[p.marketId]!, p.sizeBase)) concentrated.set(p.marketId, [...(concentrated.get(p.marketId) ?? []), account.address]);
    }
  }
  return concentrated;
}

export function computeAlerts(snapshot: ProtocolSnapshot, { health, cover2Usd, history, extra = [] }: ComputeAlertsOptions = {}): Alert[] {
  const alerts: Alert[] = [];
  for (const m of snapshot.markets) {
    const age = snapshot.timestamp > m.priceUpdatedAt ? snapshot.timestamp - m.priceUpdatedAt : 0n;
    if (age > m.params.oracleMaxAgeSec) {
      alerts.push({ id: `stale-${m.id}`, severity: "critical", marketId: m.id, title: `${m.symbol} oracle is stale`, detail: `Last price ${formatDuration(age)} ago, over the ${formatDuration(m.params.oracleMaxAgeSec)} maximum: trades and liquidations in it are refused.` });
    } else if (age * 5n > m.params.oracleMaxAgeSec * 4n) {
      alerts.push({ id: `stale-${m.id}`, severity: "warning", marketId: m.id, title: `${m.symbol} oracle is ageing`, detail: `Last price ${formatDuration(age)} ago; it goes stale at ${formatDuration(m.params.oracleMaxAgeSec)}.` });
    }
    const oiUsd = mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD);
    if (oiUsd * 10n >= m.params.oiCapUsd * 9n) {
      alerts.push({ id: `oi-${m.id}`, severity: "warning", marketId: m.id, title: `${m.symbol} open interest near its cap`, detail: `${formatUsd(oiUsd)} of ${formatUsd(m.params.oiCapUsd)} (${formatPercent((oiUsd * WAD) / m.params.oiCapUsd, 1)}).` });
    }
    if (m.paused) alerts.push({ id: `paused-${m.id}`, severity: "critical", marketId: m.id, title: `${m.symbol} is paused`, detail: "Nothing moves in it, liquidations included." });
    else if (m.frozen) alerts.push({ id: `frozen-${m.id}`, severity: "info", marketId: m.id, title: `${m.symbol} is frozen`, detail: "Reduce-only: positions can close, none can grow." });
  }

  // Account by account only where a screen over the columns cannot settle it: the liquidatable
  // rows (screen + exact re-check), the negative equity (engine health's, or the same pass), and
  // the few positions large enough to be concentrated (concentratedAccounts).
  const columnar = columnarOf(snapshot);
  const liquidatable = findLiquidatable(snapshot);
  const { accounts: negative, usd: negativeUsd } = health?.negativeEquity ?? negativeEquityNow(snapshot, columnar);
  const concentrated = concentratedAccounts(snapshot, columnar);
  if (health?.keeperLag.laggingAccounts.length) {
    const lag = health.keeperLag;
    alerts.push({ id: "keeper-lag", severity: "critical", accounts: lag.laggingAccounts, title: `${lag.laggingAccounts.length} account(s) liquidatable for ${lag.maxWaitingBlocks}+ blocks`, detail: "Keepers are not liquidating them: check gas, keeper capacity and whether they pay." });
  }
  if (health?.dust.liquidatableNow.length) {
    const dust = health.dust;
    alerts.push({ id: "dust", severity: "warning", accounts: dust.liquidatableNow, title: `${dust.liquidatableNow.length} liquidatable account(s) no keeper is paid to liquidate`, detail: `${formatUsd(dust.liquidatableNotionalUsd)} of notional whose reward is below the ${formatUsd(health.gasCostUsd)} gas of a liquidation; ${formatUsd(dust.liquidatableDeficitUsd)} of it already bankrupt.` });
  }
  if (liquidatable.length) alerts.push({ id: "liquidatable", severity: "warning", accounts: liquidatable, title: `${liquidatable.length} account(s) liquidatable now`, detail: "Equity below maintenance margin." });
  if (negative.length) alerts.push({ id: "negative-equity", severity: "critical", accounts: negative, title: `${formatUsd(negativeUsd)} of negative equity`, detail: `${negative.length} account(s) owe more than they hold: a loss the reserves have not absorbed yet.` });
  for (const [marketId, accounts] of concentrated) {
    alerts.push({ id: `concentration-${marketId}`, severity: "warning", marketId, accounts, title: `${snapshot.markets[marketId]!.symbol}: ${accounts.length} concentrated position(s)`, detail: "Over the concentration limit, or half or more of one side's open interest in one account: its liquidation alone would move the market." });
  }
  if (cover2Usd !== undefined) {
    const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
    if (reservesUsd < cover2Usd) alerts.push({ id: "reserves", severity: "critical", title: "Reserves below Cover-2", detail: `Insurance and default fund hold ${formatUsd(reservesUsd)}; the default of the two largest losers under an extreme move would cost ${formatUsd(cover2Usd)}.` });
    else if (reservesUsd < 2n * cover2Usd) alerts.push({ id: "reserves", severity: "warning", title: "Reserves thin against Cover-2", detail: `${formatUsd(reservesUsd)} against a Cover-2 of ${formatUsd(cover2Usd)}.` });
  }
  const short = (health?.runway ?? []).filter((r) => r.shortfallUsd > 0n);
  if (short.length) {
    const worst = short[0]!;
    alerts.push({ id: "runway", severity: "warning", title: `Reserves short under ${short.length} of ${health!.runway.length} historical crashes`, detail: `A repeat of ${worst.id} as an instant gap (every mark jumps at once to the trough, no keeper has time) costs ${formatUsd(worst.lossUsd)} beyond collateral: ${formatUsd(worst.shortfallUsd)} more than the insurance and default fund hold falls on ADL. Short under: ${short.map((r) => r.id).join(", ")}. The stress page shows the same crash as a path with keepers and market impact beside it.` });
  }
  const exposed = (health?.exposure ?? []).filter((e) => e.status !== "ok");
  if (exposed.length) {
    alerts.push({ id: "exposure", severity: exposed.some((e) => e.status === "critical") ? "critical" : "warning", title: `Reserves exposed to ${exposed.map((e) => e.symbol).join(", ")}`, detail: exposed.map((e) => `a ${Math.round(e.move * 100)} % move in ${e.symbol} alone costs ${formatUsd(e.lossUsd)} (${e.shareOfReserves === Infinity ? "with the reserves empty" : `${Math.round(e.shareOfReserves * 100)} % of the reserves`})`).join("; ") + "." });
  }
  if (history) {
    for (const m of snapshot.markets) {
      const before = history.markets.find((b) => b.id === m.id);
      const oiUsd = mulDivDown(m.longOpenInterestBase, m.markPriceWad, WAD);
      const beforeUsd = before ? mulDivDown(before.longOpenInterestBase, before.markPriceWad, WAD) : 0n;
      if (beforeUsd > 0n && oiUsd * 10n >= m.params.oiCapUsd && oiUsd >= beforeUsd * 10n) {
        alerts.push({ id: `oi-growth-${m.id}`, severity: "warning", marketId: m.id, title: `${m.symbol} open interest grew ${Number((oiUsd * 10n) / beforeUsd) / 10}×`, detail: `${formatUsd(beforeUsd)} → ${formatUsd(oiUsd)} in ${history.blocksAgo} blocks: fast growth in one market is how an illiquid market becomes the reserves' problem.` });
      }
    }
    const feeds = [...snapshot.markets.map((m) => ({ feedId: m.feedId, symbol: m.symbol, price: m.markPriceWad, marketId: m.id as number | undefined })), ...snapshot.collaterals.map((c) => ({ feedId: c.feedId, symbol: c.symbol, price: c.priceWad, marketId: undefined }))];
    const seen = new Set<string>();
    for (const f of feeds) {
      if (seen.has(f.feedId)) continue;
      seen.add(f.feedId);
      const recent = history.prices.get(f.feedId) ?? [];
      if (recent.length < 3) continue;
      const sorted = [...recent].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      if (median === 0n) continue;
      const deviation = (abs(f.price - median) * WAD) / median;
      if (deviation * 10n >= 3n * WAD) {
        alerts.push({ id: `price-deviation-${f.feedId}`, severity: deviation >= WAD ? "critical" : "warning", marketId: f.marketId, title: `${f.symbol} price ${f.price > median ? "up" : "down"} ${formatPercent(deviation, 0)} from its recent range`, detail: `${formatPrice(f.price)} against a median of ${formatPrice(median)} over its last ${recent.length} updates: check the oracle before trusting it.` });
      }
    }
  }
  let totalCollateralUsd = 0n;
  const values = snapshot.collaterals.map((c) => mulDivDown(c.totalDepositsNative, c.priceWad, 10n ** BigInt(c.decimals)));
  for (const v of values) totalCollateralUsd += v;
  for (const c of snapshot.collaterals) {
    // Full-weight collateral (a stablecoin) is not the kind whose price an account can move.
    if (c.totalDepositsNative === 0n || c.params.weightWad >= WAD) continue;
    let top: { address: `0x${string}`; balance: bigint } | undefined;
    for (const a of snapshot.accounts) {
      const balance = a.balancesNative[c.id] ?? 0n;
      if (balance > (top?.balance ?? 0n)) top = { address: a.address, balance };
    }
    if (!top || top.balance * 2n < c.totalDepositsNative) continue;
    const valueUsd = mulDivDown(top.balance, c.priceWad, 10n ** BigInt(c.decimals));
    if (valueUsd * 100n < totalCollateralUsd) continue;
    alerts.push({ id: `collateral-concentration-${c.id}`, severity: "warning", accounts: [top.address], title: `One account holds ${formatPercent((top.balance * WAD) / c.totalDepositsNative, 0)} of the ${c.symbol} collateral`, detail: `${formatUsd(valueUsd)} of ${c.symbol} backs its positions: if its price is moved, that account's borrowing power moves with it and no market can absorb the sale.` });
  }
  alerts.push(...extra);
  if (snapshot.reserves.badDebtUsd > 0n) alerts.push({ id: "bad-debt", severity: "critical", title: `${formatUsd(snapshot.reserves.badDebtUsd)} of bad debt`, detail: "Losses no reserve and no ADL counterparty could absorb." });
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
