import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDuration, formatParameter, formatPrice, formatUsd, MARKET_PARAMETERS, parameterLabel, WAD } from "@/engine/index";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { StaleBanner } from "@/components/stale-banner";
import { HistoryCharts } from "@/components/charts/history-charts";
import { Badge } from "@/components/ui/badge";
import { Stat } from "@/components/ui/stat";
import { readParameterHistory } from "@/lib/actions/readParameterHistory";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";
import { largestPositions, liquidationMap } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Market" };


export default async function MarketPage({ params }: { params: Promise<{ marketId: string }> }) {
  const { marketId: raw } = await params;
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot, deployment } = read;
  const market = /^\d+$/.test(raw) ? snapshot.markets[Number(raw)] : undefined;
  if (!market) notFound();
  const oiUsd = (market.longOpenInterestBase * market.markPriceWad) / WAD;
  const limitUsd = (market.params.concentrationCapWad * market.params.oiCapUsd) / WAD;
  const holders = largestPositions(read, market.id);
  const map = liquidationMap(read, market.id);
  const maxBucket = map.reduce((m, b) => (b.longNotionalUsd + b.shortNotionalUsd > m ? b.longNotionalUsd + b.shortNotionalUsd : m), 1n);
  let history: Awaited<ReturnType<typeof readParameterHistory>> = [];
  let historyError: string | undefined;
  try {
    history = (await readParameterHistory((await getContext()).client, { deployment, toBlock: snapshot.blockNumber })).filter((e) => "marketId" in e && e.marketId === market.id);
  } catch (error) {
    historyError = publicErrorMessage(error);
  }
  return (
    <div className="space-y-6">
      <StaleBanner stale={read.stale} blockNumber={snapshot.blockNumber} blockHash={snapshot.blockHash} />
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-lg font-semibold text-neutral-50">{market.symbol}</h1>
        <span className="font-mono text-neutral-300">{formatPrice(market.markPriceWad)}</span>
        {market.paused ? <Badge tone="danger">Paused</Badge> : null}
        {market.frozen ? <Badge tone="warn">Frozen (reduce-only)</Badge> : null}
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Open interest" value={formatUsd(oiUsd)} note={`of ${formatUsd(market.params.oiCapUsd)} cap (${((Number(oiUsd) / Number(market.params.oiCapUsd)) * 100).toFixed(1)}%)`} definition="Long size × mark (equal to the short side)" />
        <Stat label="Concentration limit" value={formatUsd(limitUsd)} note="largest position allowed" definition="Concentration cap × OI cap" />
        <Stat label="Largest position" value={formatUsd(holders[0]?.notionalUsd ?? 0n)} note={holders[0] ? `${((Number(holders[0].notionalUsd) / Number(limitUsd || 1n)) * 100).toFixed(0)}% of the limit` : undefined} />
        <Stat label="Oracle age" value={formatDuration(snapshot.timestamp > market.priceUpdatedAt ? snapshot.timestamp - market.priceUpdatedAt : 0n)} note={`max ${formatDuration(market.params.oracleMaxAgeSec)}`} />
      </div>
      <HistoryCharts of={{ market: market.symbol }} label="Open interest over time" />
      <section aria-labelledby="parameters" className="space-y-2">
        <h2 id="parameters" className="text-base font-semibold text-neutral-50">Risk parameters</h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          {MARKET_PARAMETERS.map((p) => (
            <div key={p.param} className="flex justify-between gap-2 border-b border-neutral-800 py-1">
              <dt className="text-neutral-400">{parameterLabel(p)}</dt>
              <dd className="font-mono">{formatParameter(p, market.params[p.param])}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="liquidation-map" className="space-y-2">
        <h2 id="liquidation-map" className="text-base font-semibold text-neutral-50">Liquidation map</h2>
        <p className="text-xs text-neutral-400">Notional liquidated if the mark moved to each level, others fixed: longs below the mark, shorts above. The right column adds up every level between the mark and that one.</p>
        <Table caption="Notional liquidated at each price level" head="quiet" className="w-full text-xs" columns={[{ label: "Move" }, { label: "Price" }, { label: "Liquidated in the band", className: "w-1/2" }, { label: "Cumulative", align: "right" }]}>
            {map.map((b) => {
              const notional = b.longNotionalUsd + b.shortNotionalUsd;
              const edge = b.from < 0 ? b.from : b.to;
              return (
                <tr key={b.from} className="border-t border-neutral-900">
                  <th scope="row" className="py-0.5 text-left font-mono font-normal text-neutral-400">{`${(b.from * 100).toFixed(1)}% … ${(b.to * 100).toFixed(1)}%`}</th>
                  <td className="py-0.5 font-mono text-neutral-400">{formatPrice((market.markPriceWad * BigInt(Math.round((1 + edge) * 1e6))) / 1_000_000n)}</td>
                  <td className="py-0.5">
                    <div className="flex items-center gap-2">
                      <div className={`h-2 rounded ${b.from < 0 ? "bg-red-500/80" : "bg-sky-500/80"}`} style={{ width: `${(Number(notional) / Number(maxBucket)) * 100}%` }} />
                      <span className="font-mono text-neutral-300">{notional > 0n ? `${formatUsd(notional)} · ${b.longAccounts + b.shortAccounts}` : ""}</span>
                    </div>
                  </td>
                  <td className="py-0.5 text-right font-mono">{formatUsd(b.cumulativeNotionalUsd)}</td>
                </tr>
              );
            })}
        </Table>
      </section>
      <section aria-labelledby="holders" className="space-y-2">
        <h2 id="holders" className="text-base font-semibold text-neutral-50">Largest positions</h2>
        <ScrollRegion label="Largest positions (scrolls sideways)">
          <Table caption="The ten largest positions in this market" className="w-full min-w-[40rem] text-sm" columns={[{ label: "Account" }, { label: "Side", align: "right" }, { label: "Notional", align: "right" }, { label: "Share of OI", align: "right" }, { label: "Of the limit", align: "right" }]}>
              {holders.map((h) => (
                <tr key={h.address} className="border-t border-neutral-800">
                  <td className="truncate py-1 font-mono text-xs"><Link href={`/accounts/${h.address}`} className="text-sky-300 hover:underline">{h.address}</Link></td>
                  <td className="py-1 text-right">{h.sizeBase > 0n ? "long" : "short"}</td>
                  <td className="py-1 text-right font-mono">{formatUsd(h.notionalUsd)}</td>
                  <td className="py-1 text-right font-mono">{oiUsd === 0n ? "—" : `${((Number(h.notionalUsd) / Number(oiUsd)) * 100).toFixed(1)}%`}</td>
                  <td className={`py-1 text-right font-mono ${h.notionalUsd * 10n >= limitUsd * 9n ? "text-amber-300" : ""}`}>{`${((Number(h.notionalUsd) / Number(limitUsd || 1n)) * 100).toFixed(0)}%`}</td>
                </tr>
              ))}
          </Table>
        </ScrollRegion>
      </section>
      <section aria-labelledby="history" className="space-y-2">
        <h2 id="history" className="text-base font-semibold text-neutral-50">Parameter history</h2>
        {historyError ? <p role="alert" className="text-sm text-red-300">The history could not be read: {historyError}</p> : null}
        <ol className="space-y-1 text-sm">
          {history.map((e) => (
            <li key={`${e.transactionHash}-${e.kind}`} className="flex flex-wrap gap-x-3 border-b border-neutral-800 py-1">
              <span className="font-mono text-xs text-neutral-400">{new Date(Number(e.timestamp) * 1000).toISOString().slice(0, 16).replace("T", " ")} · #{e.blockNumber.toString()}</span>
              <span>
                {e.kind === "marketListed"
                  ? "Listed"
                  : e.kind === "marketFrozen"
                    ? e.frozen ? "Frozen (reduce-only)" : "Unfrozen"
                    : e.kind === "marketPaused"
                      ? e.paused ? "Paused" : "Unpaused"
                      : e.kind === "marketParams"
                        ? MARKET_PARAMETERS.filter(({ param }) => e.before[param] !== e.after[param]).map((p) => `${parameterLabel(p)} ${formatParameter(p, e.before[p.param])} → ${formatParameter(p, e.after[p.param])}`).join("; ") || "Parameters re-set unchanged"
                        : ""}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
