import type { Metadata } from "next";
import { formatDuration, formatPercent, formatPrice, formatUsd, fromUnits, fromWad } from "@/engine/format";
import { AdlMode, type CollateralAsset, type Market } from "@/engine/types";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { Badge } from "@/components/ui/badge";
import { Meter } from "@/components/ui/meter";
import { Stat } from "@/components/ui/stat";
import { LiveRefresh } from "@/components/live-refresh";
import { ChainUnavailable } from "@/components/chain-unavailable";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

const WAD = 10n ** 18n;

function openInterestUsd(m: Market): bigint {
  return (m.longOpenInterestBase * m.markPriceWad) / WAD;
}

function depositsUsd(c: CollateralAsset): bigint {
  return (c.totalDepositsNative * c.priceWad) / 10n ** BigInt(c.decimals);
}

function priceAge(updatedAt: bigint, now: bigint): string {
  return updatedAt === 0n ? "no price" : `${formatDuration(now > updatedAt ? now - updatedAt : 0n)} ago`;
}

export default async function OverviewPage() {
  let read: Awaited<ReturnType<typeof getLatestSnapshot>>;
  try {
    read = await getLatestSnapshot();
  } catch (error) {
    // Said in full here: production builds hide a thrown server error's message.
    return <ChainUnavailable message={error instanceof Error ? error.message : String(error)} />;
  }
  const { snapshot, deployment } = read;
  const { markets, collaterals, reserves, global } = snapshot;
  const tvlUsd = collaterals.reduce((sum, c) => sum + depositsUsd(c), 0n);
  const openPositions = snapshot.accounts.reduce((n, a) => n + a.positions.length, 0);

  return (
    <div className="space-y-8">
      <LiveRefresh />
      <section aria-labelledby="system" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 id="system" className="text-lg font-semibold text-neutral-50">
            System overview
          </h1>
          <p className="text-xs text-neutral-500">
            Block <span className="font-mono text-neutral-300">#{snapshot.blockNumber.toString()}</span> ·{" "}
            {new Date(Number(snapshot.timestamp) * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC · chain {snapshot.chainId}
          </p>
        </div>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat label="Accounts" value={snapshot.accounts.length.toLocaleString("en-US")} note={`${openPositions.toLocaleString("en-US")} open positions`} />
          <Stat label="Collateral (TVL)" value={formatUsd(tvlUsd)} definition="Σ deposits × oracle price, before haircuts" />
          <Stat label="Insurance fund" value={formatUsd(reserves.insuranceFundUsd)} definition="First reserve to absorb a bankrupt account's deficit" />
          <Stat
            label="Default fund"
            value={formatUsd(reserves.defaultFundUsd)}
            note={reserves.pendingWithdrawalShares > 0n ? `${formatPercent((reserves.pendingWithdrawalShares * WAD) / (reserves.defaultFundShares || 1n))} in cooldown` : `cooldown ${formatDuration(global.defaultFundCooldownSec)}`}
            definition="Members' mutualised capital: second reserve, after the insurance fund"
          />
          <Stat label="Bad debt" value={formatUsd(reserves.badDebtUsd)} definition="Deficit no reserve and no ADL counterparty could absorb" />
        </dl>
      </section>

      <section aria-labelledby="markets" className="min-w-0 space-y-3">
        <h2 id="markets" className="text-base font-semibold text-neutral-50">
          Markets
        </h2>
        <div className="overflow-x-auto rounded-lg border border-neutral-800">
          <table className="w-full min-w-[56rem] text-sm">
            <caption className="sr-only">Perp markets with their risk parameters</caption>
            <thead className="bg-neutral-900 text-left text-xs uppercase tracking-wide text-neutral-400">
              <tr>
                <th scope="col" className="px-3 py-2">Market</th>
                <th scope="col" className="px-3 py-2 text-right">Mark</th>
                <th scope="col" className="px-3 py-2">Open interest / cap</th>
                <th scope="col" className="px-3 py-2 text-right" title="Initial margin ratio">IMR</th>
                <th scope="col" className="px-3 py-2 text-right" title="Maintenance margin ratio">MMR</th>
                <th scope="col" className="px-3 py-2 text-right">Liq. penalty</th>
                <th scope="col" className="px-3 py-2 text-right">Keeper share</th>
                <th scope="col" className="px-3 py-2 text-right" title="Largest position, as a share of the OI cap">Concentration cap</th>
                <th scope="col" className="px-3 py-2 text-right">Oracle</th>
                <th scope="col" className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-800">
              {markets.map((m) => {
                const oi = openInterestUsd(m);
                const ratio = Number(fromWad((oi * WAD) / m.params.oiCapUsd));
                const stale = snapshot.timestamp > m.priceUpdatedAt + m.params.oracleMaxAgeSec;
                return (
                  <tr key={m.id} className="hover:bg-neutral-900/50">
                    <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-medium text-neutral-100">{m.symbol}</th>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(m.markPriceWad)}</td>
                    <td className="px-3 py-2">
                      <div className="flex items-center justify-between gap-2 font-mono text-xs">
                        <span>{formatUsd(oi)}</span>
                        <span className="text-neutral-500">/ {formatUsd(m.params.oiCapUsd)}</span>
                      </div>
                      <Meter label={`${m.symbol} open interest against its cap`} ratio={ratio} />
                    </td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.imrWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.mmrWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.liquidationPenaltyWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.keeperShareWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.concentrationCapWad)}</td>
                    <td className="px-3 py-2 text-right text-xs text-neutral-400">
                      {priceAge(m.priceUpdatedAt, snapshot.timestamp)} <span className="text-neutral-600">(max {formatDuration(m.params.oracleMaxAgeSec)})</span>
                    </td>
                    <td className="space-x-1 px-3 py-2">
                      {m.paused ? <Badge tone="danger">Paused</Badge> : null}
                      {m.frozen ? <Badge tone="warn">Frozen</Badge> : null}
                      {stale ? <Badge tone="danger">Stale oracle</Badge> : null}
                      {!m.paused && !m.frozen && !stale ? <Badge tone="ok">Active</Badge> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="collateral" className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-3 lg:col-span-2">
          <h2 id="collateral" className="text-base font-semibold text-neutral-50">
            Collateral
          </h2>
          <div className="overflow-x-auto rounded-lg border border-neutral-800">
            <table className="w-full min-w-[36rem] text-sm">
              <caption className="sr-only">Collateral assets with their haircuts and caps</caption>
              <thead className="bg-neutral-900 text-left text-xs uppercase tracking-wide text-neutral-400">
                <tr>
                  <th scope="col" className="px-3 py-2">Asset</th>
                  <th scope="col" className="px-3 py-2 text-right">Price</th>
                  <th scope="col" className="px-3 py-2 text-right" title="Collateral value = balance × price × weight">Weight</th>
                  <th scope="col" className="px-3 py-2">Deposits / cap</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-800">
                {collaterals.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="px-3 py-2 text-left font-medium text-neutral-100">{c.symbol}</th>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(c.priceWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(c.params.weightWad)}</td>
                    <td className="px-3 py-2">
                      <div className="flex justify-between gap-2 font-mono text-xs">
                        <span>{fromUnits(c.totalDepositsNative, c.decimals).toDecimalPlaces(2).toNumber().toLocaleString("en-US")}</span>
                        <span className="text-neutral-500">/ {fromUnits(c.params.depositCapNative, c.decimals).toNumber().toLocaleString("en-US")} {c.symbol}</span>
                      </div>
                      <Meter label={`${c.symbol} deposits against the cap`} ratio={Number(fromUnits(c.totalDepositsNative, 0).div(fromUnits(c.params.depositCapNative || 1n, 0)))} />
                    </td>
                    <td className="px-3 py-2">{c.frozen ? <Badge tone="warn">Frozen</Badge> : <Badge tone="ok">Accepting</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
