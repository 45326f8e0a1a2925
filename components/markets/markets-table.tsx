import Link from "next/link";
import { formatDuration, formatPercent, formatPrice, formatUsd, fromWad } from "@/engine/format";
import type { Market, ProtocolSnapshot } from "@/engine/types";
import { WAD } from "@/engine/math/wad";
import { Badge } from "@/components/ui/badge";
import { Meter } from "@/components/ui/meter";
import { ScrollRegion } from "@/components/ui/scroll-region";


function openInterestUsd(m: Market): bigint {
  return (m.longOpenInterestBase * m.markPriceWad) / WAD;
}

function priceAge(updatedAt: bigint, now: bigint): string {
  return updatedAt === 0n ? "no price" : `${formatDuration(now > updatedAt ? now - updatedAt : 0n)} ago`;
}

/** Every market with its governable parameters, OI against its cap, oracle age and status. */
export function MarketsTable({ snapshot }: { snapshot: ProtocolSnapshot }) {
  const { markets } = snapshot;
  return (
        <ScrollRegion label="Markets (scrolls sideways)">
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
                    <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-medium text-neutral-100">
                      <Link href={`/markets/${m.id}`} className="hover:underline">{m.symbol}</Link>
                    </th>
                    <td className="px-3 py-2 text-right font-mono">{formatPrice(m.markPriceWad)}</td>
                    <td className="px-3 py-2">
                      <div className="flex items-center justify-between gap-2 font-mono text-xs">
                        <span>{formatUsd(oi)}</span>
                        <span className="text-neutral-400">/ {formatUsd(m.params.oiCapUsd)}</span>
                      </div>
                      <Meter label={`${m.symbol} open interest against its cap`} ratio={ratio} />
                    </td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.imrWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.mmrWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.liquidationPenaltyWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.keeperShareWad)}</td>
                    <td className="px-3 py-2 text-right font-mono">{formatPercent(m.params.concentrationCapWad)}</td>
                    <td className="px-3 py-2 text-right text-xs text-neutral-400">
                      {priceAge(m.priceUpdatedAt, snapshot.timestamp)} <span className="text-neutral-400">(max {formatDuration(m.params.oracleMaxAgeSec)})</span>
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
        </ScrollRegion>
  );
}
