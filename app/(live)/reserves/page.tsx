import type { Metadata } from "next";
import Link from "next/link";
import { formatDuration, formatUsd } from "@/engine/index";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { StaleBanner } from "@/components/stale-banner";
import { HistoryCharts } from "@/components/charts/history-charts";
import { Stat } from "@/components/ui/stat";
import { readDefaultFundQueue } from "@/lib/actions/readDefaultFundQueue";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";
import { reserveLayers } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";

export const metadata: Metadata = { title: "Reserves" };
export const dynamic = "force-dynamic";

export default async function ReservesPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const { snapshot, deployment, views } = read;
  const { reserves } = snapshot;
  const { cover, shocks: moves } = views;
  const { bankRun, accountMarginUsd: marginUsd, adlCapacityUsd } = reserveLayers(read);
  let queue: Awaited<ReturnType<typeof readDefaultFundQueue>> = [];
  let queueError: string | undefined;
  try {
    queue = await readDefaultFundQueue((await getContext()).client, { deployment, toBlock: snapshot.blockNumber });
  } catch (error) {
    queueError = publicErrorMessage(error);
  }
  const layers = [
    { name: "Account margin", value: marginUsd, color: "bg-neutral-500", note: "equity of accounts with positions: each loss is theirs first" },
    { name: "Insurance fund", value: reserves.insuranceFundUsd, color: "bg-emerald-500", note: "first reserve" },
    { name: "Default fund", value: reserves.defaultFundUsd, color: "bg-sky-500", note: "members' mutualised capital" },
    { name: "ADL capacity", value: adlCapacityUsd, color: "bg-amber-500", note: "unrealised profit of open positions: what auto-deleveraging can take" },
  ];
  const total = layers.reduce((s, l) => s + l.value, 0n) || 1n;
  return (
    <div className="space-y-8">
      <StaleBanner stale={read.stale} blockNumber={snapshot.blockNumber} blockHash={snapshot.blockHash} />
      <h1 className="text-lg font-semibold text-neutral-50">Reserves and the loss waterfall</h1>
      <section aria-labelledby="waterfall" className="space-y-3">
        <h2 id="waterfall" className="text-base font-semibold text-neutral-50">
          Who pays a loss, in order (<Link href="/glossary#waterfall" className="underline">how</Link>)
        </h2>
        <div className="flex h-6 w-full overflow-hidden rounded" role="img" aria-label={`The loss waterfall's layers, to scale: ${layers.map((l) => `${l.name} ${formatUsd(l.value)}`).join(", ")}`}>
          {layers.map((l) => (
            <div key={l.name} className={l.color} style={{ width: `${(Number((l.value * 10_000n) / total) / 100).toFixed(2)}%` }} title={`${l.name}: ${formatUsd(l.value)}`} />
          ))}
        </div>
        <ol className="grid grid-cols-1 gap-3 md:grid-cols-4">
          {layers.map((l, i) => (
            <li key={l.name} className="rounded-lg border border-neutral-800 p-3">
              <p className="flex items-center gap-2 text-xs uppercase tracking-wide text-neutral-400">
                <span className={`inline-block h-2.5 w-2.5 rounded-sm ${l.color}`} aria-hidden /> {i + 1}. {l.name}
              </p>
              <p className="mt-1 font-mono text-lg text-neutral-50">{formatUsd(l.value)}</p>
              <p className="text-xs text-neutral-400">{l.note}</p>
            </li>
          ))}
        </ol>
        <p className="text-sm text-neutral-400">Beyond the last layer the loss is bad debt: {formatUsd(reserves.badDebtUsd)} so far.</p>
      </section>
      <HistoryCharts of="reserves" label="Reserves over time" />
      <section aria-labelledby="cover" className="space-y-3">
        <h2 id="cover" className="text-base font-semibold text-neutral-50">
          Default-fund adequacy (<Link href="/glossary#cover-2" className="underline">Cover-2</Link>)
        </h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Cover-1" value={formatUsd(cover.cover1Usd)} definition="Loss to the reserves if the account losing most under the move defaulted" />
          <Stat label="Cover-2" value={formatUsd(cover.cover2Usd)} definition="The same for the two accounts losing most" />
          <Stat label="Insurance + default fund" value={formatUsd(cover.reservesUsd)} />
          <Stat label="Coverage of Cover-2" value={Number.isFinite(cover.coverage) ? `${cover.coverage.toFixed(2)}×` : "∞"} note={cover.coverage < 1 ? "the reserves would not cover it" : "covered"} />
        </div>
        <p className="text-xs text-neutral-400">
          Move applied, each account in its worse direction: {moves.map((m) => `${snapshot.markets[m.marketId]!.symbol} ±${Math.abs(m.move * 100).toFixed(0)}% (${m.scenarioId})`).join(", ")} — the worst drawdown of each asset in the historical library.
        </p>
        {cover.largest.length ? (
          <ul className="text-sm">
            {cover.largest.map((l) => (
              <li key={l.address}>
                <Link href={`/accounts/${l.address}`} className="font-mono text-xs text-sky-300 hover:underline">{l.address}</Link> — deficit {formatUsd(l.deficitUsd)} on a move {l.direction}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="bank-run" className="space-y-3">
        <h2 id="bank-run" className="text-base font-semibold text-neutral-50">Bank-run exposure</h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Unrecognised deficit" value={formatUsd(bankRun.unrecognisedDeficitUsd)} definition="Σ negative equity not yet liquidated: whoever withdraws first escapes it" />
          <Stat label="Per $ of collateral" value={`${(bankRun.deficitPerCollateral * 100).toFixed(3)}%`} />
          <Stat label="Default fund in cooldown" value={formatUsd(bankRun.defaultFundInCooldownUsd)} note={`${(bankRun.defaultFundInCooldownShare * 100).toFixed(1)}% of shares`} />
          <Stat label="Cooldown" value={formatDuration(snapshot.global.defaultFundCooldownSec)} definition="Wait between a withdrawal request and the payout; shares still absorb losses" />
        </div>
        <h3 className="text-sm font-semibold text-neutral-200">Default-fund withdrawals waiting</h3>
        {queueError ? <p role="alert" className="text-sm text-red-300">The queue could not be read: {queueError}</p> : null}
        {queue.length === 0 ? (
          <p className="text-sm text-neutral-400">No withdrawal is waiting.</p>
        ) : (
          <ul className="text-sm">
            {queue.map((q) => (
              <li key={q.member} className="font-mono text-xs">
                {q.member}: {formatUsd(reserves.defaultFundShares === 0n ? 0n : (q.shares * reserves.defaultFundUsd) / reserves.defaultFundShares)} available {new Date(Number(q.availableAt) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
