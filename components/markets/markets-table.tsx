import Link from "next/link";
import { formatDuration, formatPrice, formatUsd, fromWad } from "@/engine/format";
import { formatParameter, MARKET_PARAMETERS, parameterLabel, parameterShortLabel } from "@/engine/params/marketParameters";
import type { Market, ProtocolSnapshot } from "@/engine/types";
import { WAD } from "@/engine/math/wad";
import { Badge } from "@/components/ui/badge";
import { Meter } from "@/components/ui/meter";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table, type TableColumn } from "@/components/ui/table";

/** The parameters that are ratios, one column each, named and formatted by the one table of parameters. */
const RATIOS = MARKET_PARAMETERS.filter((p) => p.unit === "percent");

const COLUMNS: TableColumn[] = [
  { label: "Market" },
  { label: "Mark", align: "right" },
  { label: "Open interest / cap" },
  ...RATIOS.map((p): TableColumn => ({ label: parameterShortLabel(p), align: "right", title: p.definition ?? parameterLabel(p) })),
  { label: "Oracle", align: "right" },
  { label: "Status" },
];

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
          <Table caption="Perp markets with their risk parameters" head="banded" className="w-full min-w-[56rem] text-sm" bodyClassName="divide-y divide-neutral-800" columns={COLUMNS}>
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
                    {RATIOS.map((p) => (
                      <td key={p.param} className="px-3 py-2 text-right font-mono">{formatParameter(p, m.params[p.param])}</td>
                    ))}
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
          </Table>
        </ScrollRegion>
  );
}
