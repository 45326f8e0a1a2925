import type { Metadata } from "next";
import { formatDuration, formatPercent, formatPrice, formatUsd, fromUnits } from "@/engine/format";
import { AdlMode } from "@/engine/types";
import { WAD } from "@/engine/math/wad";
import { tryLatestSnapshot } from "@/lib/server/snapshot";
import { Badge } from "@/components/ui/badge";
import { Meter } from "@/components/ui/meter";
import { Stat } from "@/components/ui/stat";
import { StaleBanner } from "@/components/stale-banner";
import { MarketsTable } from "@/components/markets/markets-table";
import { monitorWithin } from "@/lib/server/monitor";
import { EngineHealthPanel } from "@/components/health/engine-health";
import { AlertList } from "@/components/alerts/alert-list";
import Link from "next/link";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";
import { HistoryCharts } from "@/components/charts/history-charts";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";


export default async function OverviewPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot, deployment } = read;
  const { collaterals, reserves, global } = snapshot;
  const { systemRisk: risk, cover } = read.views;
  const monitor = await monitorWithin(read.monitor);
  const alerts = "error" in monitor ? [] : monitor.alerts;
  const maxBucket = Math.max(1, ...risk.healthHistogram.map((b) => b.count));

  return (
    <div className="space-y-8">
      <StaleBanner stale={read.stale} blockNumber={snapshot.blockNumber} blockHash={snapshot.blockHash} />
      <section aria-labelledby="system" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 id="system" className="text-lg font-semibold text-neutral-50">
            System overview
          </h1>
          <p className="text-xs text-neutral-400">
            Block <span className="font-mono text-neutral-300">#{snapshot.blockNumber.toString()}</span> ·{" "}
            {new Date(Number(snapshot.timestamp) * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC · chain {snapshot.chainId}
          </p>
        </div>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat label="Accounts" value={read.views.accountCount.toLocaleString("en-US")} note={`${read.views.openPositions.toLocaleString("en-US")} open positions`} />
          <Stat label="Collateral (TVL)" value={formatUsd(risk.tvlUsd)} definition="Σ deposits × oracle price, before haircuts" />
          <Stat label="Insurance fund" value={formatUsd(reserves.insuranceFundUsd)} definition="First reserve to absorb a bankrupt account's deficit" />
          <Stat
            label="Default fund"
            value={formatUsd(reserves.defaultFundUsd)}
            note={reserves.pendingWithdrawalShares > 0n ? `${formatPercent((reserves.pendingWithdrawalShares * WAD) / (reserves.defaultFundShares || 1n))} in cooldown` : `cooldown ${formatDuration(global.defaultFundCooldownSec)}`}
            definition="Members' mutualised capital: second reserve, after the insurance fund"
          />
          <Stat label="Bad debt" value={formatUsd(reserves.badDebtUsd)} definition="Deficit no reserve and no ADL counterparty could absorb" />
        </div>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Liquidatable now" value={risk.liquidatable.length.toLocaleString("en-US")} note={`of ${risk.accountsWithPositions.toLocaleString("en-US")} with positions`} definition="Positions and equity below maintenance margin" />
          <Stat label="Cover-2" value={formatUsd(cover.cover2Usd)} note={Number.isFinite(cover.coverage) ? `reserves cover it ${cover.coverage.toFixed(2)}×` : "nothing at risk"} definition="Loss to the reserves if the two accounts losing most under the worst historical move defaulted" />
          <Stat label="Unrecognised deficit" value={formatUsd(risk.unrecognisedDeficitUsd)} definition="Σ negative equity not yet liquidated" />
          <Stat label="Total equity" value={formatUsd(risk.totalEquityUsd)} definition="Σ account equity" />
        </div>
      </section>

      <HistoryCharts of="overview" label="Over time" />

      <section aria-labelledby="alerts" className="space-y-2">
        <h2 id="alerts" className="text-base font-semibold text-neutral-50">Alerts</h2>
        {"error" in monitor ? (
          <p className="text-sm text-amber-300">The detectors are not shown: {monitor.error}</p>
        ) : (
          <AlertList alerts={alerts} quiet="No alert: oracles fresh, nothing liquidatable, reserves above Cover-2, no proposal flagged." />
        )}
      </section>

      {"error" in monitor ? null : (
        <section aria-labelledby="engine" className="space-y-2">
          <h2 id="engine" className="text-base font-semibold text-neutral-50">
            Liquidation engine <span className="text-xs font-normal text-neutral-400">— a liquidation at current gas costs {formatUsd(monitor.health.gasCostUsd, { compact: false })}</span>
          </h2>
          <EngineHealthPanel health={monitor.health} />
        </section>
      )}

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="space-y-2">
          <h2 id="health" className="text-base font-semibold text-neutral-50">
            Health distribution <Link href="/glossary#health" className="text-xs font-normal text-neutral-400 underline">(equity ÷ maintenance margin)</Link>
          </h2>
          <table className="w-full text-sm" aria-labelledby="health">
            <tbody>
              {risk.healthHistogram.map((b) => (
                <tr key={b.label}>
                  <th scope="row" className="w-24 py-0.5 text-left font-mono text-xs font-normal text-neutral-400">{b.label}</th>
                  <td className="py-0.5">
                    <div className={`h-3 rounded ${b.label === "< 1" ? "bg-red-500" : b.label.startsWith("1–") || b.label.startsWith("1.1") ? "bg-amber-500" : "bg-emerald-600"}`} style={{ width: `${(b.count / maxBucket) * 100}%`, minWidth: b.count ? "2px" : 0 }} />
                  </td>
                  <td className="w-16 py-0.5 text-right font-mono text-xs">{b.count.toLocaleString("en-US")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="space-y-2">
          <h2 id="nearest" className="text-base font-semibold text-neutral-50">Nearest to liquidation</h2>
          <Table labelledBy="nearest" columns={[{ label: "Account" }, { label: "Health", align: "right" }, { label: "Equity", align: "right" }]}>
              {risk.nearestToLiquidation.map((a) => (
                <tr key={a.address} className="border-t border-neutral-800">
                  <td className="max-w-0 truncate py-1 font-mono text-xs">
                    <Link href={`/accounts/${a.address}`} className="text-sky-300 hover:underline">{a.address}</Link>
                  </td>
                  <td className={`py-1 text-right font-mono ${a.health < 1 ? "text-red-400" : "text-amber-300"}`}>{a.health.toFixed(3)}</td>
                  <td className="py-1 text-right font-mono">{formatUsd(a.equityUsd)}</td>
                </tr>
              ))}
          </Table>
        </div>
      </section>

      <section aria-labelledby="markets" className="min-w-0 space-y-3">
        <h2 id="markets" className="text-base font-semibold text-neutral-50">
          Markets
        </h2>
        <MarketsTable snapshot={snapshot} />
      </section>

      <section aria-labelledby="collateral" className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-3 lg:col-span-2">
          <h2 id="collateral" className="text-base font-semibold text-neutral-50">
            Collateral
          </h2>
          <ScrollRegion label="Collateral assets (scrolls sideways)">
            <Table caption="Collateral assets with their haircuts and caps" head="banded" className="w-full min-w-[36rem] text-sm" bodyClassName="divide-y divide-neutral-800" columns={[{ label: "Asset" }, { label: "Price", align: "right" }, { label: "Weight", align: "right", title: "Collateral value = balance × price × weight" }, { label: "Deposits / cap" }, { label: "Status" }]}>
                {collaterals.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="px-3 py-2 text-left font-medium text-neutral-100">{c.symbol}</th>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(c.priceWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(c.params.weightWad)}</td>
                    <td className="px-3 py-2">
                      <div className="flex justify-between gap-2 font-mono text-xs">
                        <span>{fromUnits(c.totalDepositsNative, c.decimals).toDecimalPlaces(2).toNumber().toLocaleString("en-US")}</span>
                        <span className="text-neutral-400">/ {fromUnits(c.params.depositCapNative, c.decimals).toNumber().toLocaleString("en-US")} {c.symbol}</span>
                      </div>
                      <Meter label={`${c.symbol} deposits against the cap`} ratio={Number(fromUnits(c.totalDepositsNative, 0).div(fromUnits(c.params.depositCapNative || 1n, 0)))} />
                    </td>
                    <td className="px-3 py-2">{c.frozen ? <Badge tone="warn">Frozen</Badge> : <Badge tone="ok">Accepting</Badge>}</td>
                  </tr>
                ))}
            </Table>
          </ScrollRegion>
        </div>
        <div className="min-w-0 space-y-3">
          <h2 className="text-base font-semibold text-neutral-50">Protocol settings</h2>
          <dl className="divide-y divide-neutral-800 rounded-lg border border-neutral-800 text-sm">
            {[
              ["ADL mode", global.adlMode === AdlMode.Queue ? "Queue (highest rank first)" : "Pro-rata (by profit)"],
              ["Liquidation grace after unpause", formatDuration(global.gracePeriodSec)],
              ["Default-fund withdrawal cooldown", formatDuration(global.defaultFundCooldownSec)],
              ["Clearinghouse", deployment.contracts.clearinghouse],
              ["Governor", deployment.contracts.governor],
            ].map(([term, value]) => (
              <div key={term} className="flex justify-between gap-3 px-3 py-2">
                <dt className="shrink-0 text-neutral-400">{term}</dt>
                <dd className="min-w-0 truncate font-mono text-neutral-200" title={value}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </section>
    </div>
  );
}
