/**
 * The alerts a delegate should see first, from one snapshot (plus, for keeper lag, the block at
 * which each liquidatable account was first seen so). Each alert has a severity, a sentence and
 * the figure that triggered it.
 *
 *   stale oracle        price age > market max age (critical), > 80 % of it (warning)
 *   keeper lag          an account liquidatable for ≥ `lagBlocks` blocks
 *   liquidatable        accounts liquidatable now (warning)
 *   negative equity     Σ −equity of accounts below zero: loss not yet absorbed (critical)
 *   reserves            insurance + default fund below Cover-2 (critical), below 2 × (warning)
 *   OI near cap         long OI ≥ 90 % of cap
 *   concentration       a position above the concentration limit
 *   frozen / paused     market status
 */

import { formatDuration, formatPercent, formatUsd } from "../format.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { mulDivDown, WAD } from "../math/wad.ts";
import type { ProtocolSnapshot } from "../types.ts";

export type AlertSeverity = "critical" | "warning" | "info";

export interface Alert {
  id: string;
  severity: AlertSeverity;
  title: string;
  detail: string;
  marketId?: number;
  accounts?: `0x${string}`[];
}

export interface ComputeAlertsOptions {
  /** Block at which each currently liquidatable account was first seen liquidatable. */
  liquidatableSince?: ReadonlyMap<string, bigint>;
  lagBlocks?: bigint;
  /** Cover-2 of the reserves (computeCover), when known. */
  cover2Usd?: bigint;
}

const rank: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function computeAlerts(snapshot: ProtocolSnapshot, { liquidatableSince, lagBlocks = 5n, cover2Usd }: ComputeAlertsOptions = {}): Alert[] {
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

  const liquidatable: `0x${string}`[] = [];
  const lagging: `0x${string}`[] = [];
  const negative: `0x${string}`[] = [];
  let negativeUsd = 0n;
  const concentrated = new Map<number, `0x${string}`[]>();
  for (const account of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, account);
    if (isLiquidatable(risk)) {
      liquidatable.push(account.address);
      const since = liquidatableSince?.get(account.address);
      if (since !== undefined && snapshot.blockNumber - since >= lagBlocks) lagging.push(account.address);
    }
    if (risk.equityUsd < 0n) {
      negative.push(account.address);
      negativeUsd -= risk.equityUsd;
    }
    for (const p of risk.positions) {
      const params = snapshot.markets[p.marketId]!.params;
      if (p.notionalUsd > mulDivDown(params.concentrationCapWad, params.oiCapUsd, WAD)) {
        concentrated.set(p.marketId, [...(concentrated.get(p.marketId) ?? []), account.address]);
      }
    }
  }
  if (lagging.length) alerts.push({ id: "keeper-lag", severity: "critical", accounts: lagging, title: `${lagging.length} account(s) liquidatable for ${lagBlocks}+ blocks`, detail: "Keepers are not liquidating them: check gas, keeper capacity and whether they pay." });
  if (liquidatable.length) alerts.push({ id: "liquidatable", severity: "warning", accounts: liquidatable, title: `${liquidatable.length} account(s) liquidatable now`, detail: "Equity below maintenance margin." });
  if (negative.length) alerts.push({ id: "negative-equity", severity: "critical", accounts: negative, title: `${formatUsd(negativeUsd)} of negative equity`, detail: `${negative.length} account(s) owe more than they hold: a loss the reserves have not absorbed yet.` });
  for (const [marketId, accounts] of concentrated) {
    alerts.push({ id: `concentration-${marketId}`, severity: "warning", marketId, accounts, title: `${snapshot.markets[marketId]!.symbol}: ${accounts.length} position(s) over the concentration limit`, detail: "Grown past the limit by price moves; they cannot be increased." });
  }
  if (cover2Usd !== undefined) {
    const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
    if (reservesUsd < cover2Usd) alerts.push({ id: "reserves", severity: "critical", title: "Reserves below Cover-2", detail: `Insurance and default fund hold ${formatUsd(reservesUsd)}; the default of the two largest losers under an extreme move would cost ${formatUsd(cover2Usd)}.` });
    else if (reservesUsd < 2n * cover2Usd) alerts.push({ id: "reserves", severity: "warning", title: "Reserves thin against Cover-2", detail: `${formatUsd(reservesUsd)} against a Cover-2 of ${formatUsd(cover2Usd)}.` });
  }
  if (snapshot.reserves.badDebtUsd > 0n) alerts.push({ id: "bad-debt", severity: "critical", title: `${formatUsd(snapshot.reserves.badDebtUsd)} of bad debt`, detail: "Losses no reserve and no ADL counterparty could absorb." });
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
