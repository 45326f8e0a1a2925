import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { MarketsTable } from "@/components/markets/markets-table";
import { StaleBanner } from "@/components/stale-banner";
import { formatPercent, formatUsd } from "@/engine/format";
import { tryLatestSnapshot } from "@/lib/server/snapshot";

export const metadata: Metadata = { title: "Markets" };
export const dynamic = "force-dynamic";

export default async function MarketsPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot } = read;
  const risk = read.views.systemRisk;
  return (
    <div className="space-y-6">
      <StaleBanner stale={read.stale} blockNumber={snapshot.blockNumber} blockHash={snapshot.blockHash} />
      <h1 className="text-lg font-semibold text-neutral-50">Markets</h1>
      <MarketsTable snapshot={snapshot} />
      <section aria-labelledby="concentration" className="space-y-2">
        <h2 id="concentration" className="text-base font-semibold text-neutral-50">Concentration</h2>
        <ul className="grid grid-cols-1 gap-3 md:grid-cols-3">
          {risk.markets.map((m) => {
            const market = snapshot.markets[m.marketId]!;
            const limit = (market.params.concentrationCapWad * market.params.oiCapUsd) / 10n ** 18n;
            return (
              <li key={m.marketId} className="rounded-lg border border-neutral-800 p-3 text-sm">
                <p className="font-medium text-neutral-100">{market.symbol}</p>
                <p className="text-neutral-400">
                  Largest position {formatUsd(m.largestPositionUsd)} = {(m.largestShare * 100).toFixed(1)}% of one side&apos;s open interest; the limit is {formatUsd(limit)} ({formatPercent(market.params.concentrationCapWad)} of the {formatUsd(market.params.oiCapUsd)} cap).
                </p>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
