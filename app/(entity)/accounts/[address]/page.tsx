import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isAddress } from "viem";
import { computeHealth, formatPrice, formatSize, formatUsd, fromUnits } from "@/engine/index";
import { AdlLight } from "@/components/accounts/adl-light";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { StaleBanner } from "@/components/stale-banner";
import { Stat } from "@/components/ui/stat";
import { findInLatest } from "@/lib/server/snapshot";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ address: string }> }): Promise<Metadata> {
  const { address } = await params;
  return { title: `Account ${address.slice(0, 10)}…` };
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(2)}%`);

export default async function AccountPage({ params }: { params: Promise<{ address: string }> }) {
  const { address: raw } = await params;
  if (!isAddress(raw, { strict: false })) notFound();
  const address = raw.toLowerCase() as `0x${string}`;
  const result = await findInLatest(({ snapshot }) => snapshot.accounts.find((a) => a.address === address));
  if ("error" in result) return <ChainUnavailable message={result.error} />;
  const { read, found: account } = result;
  const { snapshot } = read;
  if (!account) notFound();
  const h = computeHealth(snapshot, account);
  const lights = read.views.adlLights;
  return (
    <div className="space-y-6">
      <StaleBanner stale={read.stale} blockNumber={snapshot.blockNumber} blockHash={snapshot.blockHash} />
      <div>
        <p className="text-xs text-neutral-400">
          <Link href="/accounts" className="hover:underline">Accounts</Link> / account
        </p>
        <h1 className="break-all font-mono text-base text-neutral-50">{address}</h1>
        {h.liquidatable ? <p className="mt-1 text-sm font-semibold text-red-400">Liquidatable now: equity is below maintenance margin.</p> : null}
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
        <Stat label="Equity" value={formatUsd(h.risk.equityUsd)} definition="Weighted collateral + cash + unrealised PnL" />
        <Stat label="Health" value={h.health === null ? "—" : h.health.toFixed(3)} definition="Equity ÷ maintenance margin" />
        <Stat label="Leverage" value={h.leverage === null ? "—" : `${h.leverage.toFixed(2)}×`} definition="Notional ÷ equity" />
        <Stat label="Maintenance margin" value={formatUsd(h.risk.maintenanceMarginUsd)} definition="Σ notional × MMR, rounded up" />
        <Stat label="Initial margin" value={formatUsd(h.risk.initialMarginUsd)} definition="Σ notional × IMR, rounded up" />
        <Stat label="Cash" value={formatUsd(account.cashUsd)} definition="Realised PnL, penalties and ADL haircuts" />
      </div>
      <section className="space-y-2" aria-labelledby="positions">
        <h2 id="positions" className="text-base font-semibold text-neutral-50">Positions</h2>
        {h.positions.length === 0 ? (
          <p className="text-sm text-neutral-400">No open positions.</p>
        ) : (
          <ScrollRegion label="Positions (scrolls sideways)">
            <Table
              caption="Open positions with liquidation and bankruptcy prices"
              head="banded"
              className="w-full min-w-[60rem] text-sm"
              bodyClassName="divide-y divide-neutral-800"
              columns={["Market", "Size", "Entry", "Mark", "Notional", "Unrealised PnL", "Liquidation price", "To liquidation", "Bankruptcy price", "ADL"].map((label) => ({ label, align: label === "Market" ? ("left" as const) : ("right" as const) }))}
            >
                {h.positions.map((p) => (
                  <tr key={p.marketId}>
                    <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-medium">
                      <Link href={`/markets/${p.marketId}`} className="hover:underline">{snapshot.markets[p.marketId]!.symbol}</Link>{" "}
                      <span className={p.sizeBase > 0n ? "text-emerald-400" : "text-red-400"}>{p.sizeBase > 0n ? "long" : "short"}</span>
                    </th>
                    <td className="px-3 py-2 text-right font-mono">{formatSize(p.sizeBase)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(p.entryPriceWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(p.markPriceWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatUsd(p.notionalUsd)}</td>
                    <td className={`px-3 py-2 text-right font-mono ${p.upnlUsd < 0n ? "text-red-300" : "text-emerald-300"}`}>{formatUsd(p.upnlUsd)}</td>
                    <td className="px-3 py-2 text-right font-mono">{p.liquidationPriceWad === null ? "none" : formatPrice(p.liquidationPriceWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{pct(p.distanceToLiquidation)}</td>
                    <td className="px-3 py-2 text-right font-mono">{p.bankruptcyPriceWad === null ? "none" : formatPrice(p.bankruptcyPriceWad)}</td>
                    <td className="px-3 py-2 text-right">
                      <AdlLight light={lights.get(`${address}:${p.marketId}`)?.light ?? 1} />
                    </td>
                  </tr>
                ))}
            </Table>
          </ScrollRegion>
        )}
        <p className="text-xs text-neutral-400">Liquidation and bankruptcy prices hold every other price fixed, collateral included (<Link className="underline" href="/glossary#liquidation-price">how they are computed</Link>).</p>
      </section>
      <section className="space-y-2" aria-labelledby="collateral">
        <h2 id="collateral" className="text-base font-semibold text-neutral-50">Collateral</h2>
        <ul className="space-y-1 text-sm">
          {snapshot.collaterals.map((c) => (
            <li key={c.id} className="flex justify-between gap-3 border-b border-neutral-800 py-1">
              <span>{c.symbol}</span>
              <span className="font-mono">{fromUnits(account.balancesNative[c.id] ?? 0n, c.decimals).toDecimalPlaces(6).toString()}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
