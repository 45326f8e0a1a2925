import Link from "next/link";
import { formatUsd, type LiquidationSummary } from "@/engine/index";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

export interface PreviewSummaryData {
  newlyLiquidatable: { address: string; equityUsd: string; maintenanceMarginAfterUsd: string; notionalUsd: string }[];
  newlySafe: number;
  issues: string[];
  before: LiquidationSummary;
  after: LiquidationSummary;
  afterOther: LiquidationSummary;
  oiCapBreaches: number;
  concentrationBreaches: number;
}

const usd = (wad: bigint | string) => formatUsd(BigInt(wad));

/** A proposal's impact: who it pushes into liquidation and what liquidating them costs, under both ADL modes. */
export function PreviewSummary({ preview }: { preview: PreviewSummaryData }) {
  const rows: [string, LiquidationSummary][] = [["Today", preview.before], ["If it passes", preview.after], ["If it passes, other ADL mode", preview.afterOther]];
  return (
    <div className="space-y-3">
      {preview.issues.map((m) => (
        <p key={m} role="alert" className="text-sm text-red-300">The contract would refuse this: {m}</p>
      ))}
      <p className="text-sm text-neutral-200">
        <strong>{preview.newlyLiquidatable.length}</strong> account(s) newly liquidatable, {preview.newlySafe} newly safe
        {preview.oiCapBreaches ? `, ${preview.oiCapBreaches} market(s) pushed over the OI cap` : ""}
        {preview.concentrationBreaches ? `, ${preview.concentrationBreaches} position(s) over the concentration limit` : ""}.
      </p>
      {preview.newlyLiquidatable.length ? (
        <ScrollRegion label="Accounts newly liquidatable (scrolls sideways)">
          <Table
            caption="Accounts newly liquidatable"
            head="quiet"
            className="w-full min-w-[40rem] text-xs"
            columns={[{ label: "Account" }, { label: "Equity", align: "right" }, { label: "Maintenance after", align: "right" }, { label: "Notional", align: "right" }]}
          >
              {preview.newlyLiquidatable.map((a) => (
                <tr key={a.address} className="border-t border-neutral-800">
                  <td className="py-0.5 font-mono"><Link href={`/accounts/${a.address}`} className="text-sky-300 hover:underline">{a.address}</Link></td>
                  <td className="text-right font-mono">{usd(a.equityUsd)}</td>
                  <td className="text-right font-mono">{usd(a.maintenanceMarginAfterUsd)}</td>
                  <td className="text-right font-mono">{usd(a.notionalUsd)}</td>
                </tr>
              ))}
          </Table>
        </ScrollRegion>
      ) : null}
      <ScrollRegion label="Liquidation cost (scrolls sideways)">
        <Table caption="Cost of liquidating every liquidatable account" head="quiet" className="w-full min-w-[44rem] text-xs" columns={["", "Liquidations", "Notional", "Penalties", "Insurance drawn", "Default fund drawn", "ADL absorbed", "ADL closed", "Bad debt"].map((label) => ({ label }))}>
            {rows.map(([label, s]) => (
              <tr key={label} className="border-t border-neutral-800">
                <th scope="row" className="py-1 text-left font-normal text-neutral-300">{label}</th>
                {[String(s.accounts), ...[s.notionalUsd, s.penaltiesUsd, s.insuranceDrawUsd, s.defaultFundDrawUsd, s.adlAbsorbedUsd, s.adlClosedNotionalUsd, s.badDebtUsd].map(usd)].map((figure, i) => (
                  <td key={i} className="font-mono">{figure}</td>
                ))}
              </tr>
            ))}
        </Table>
      </ScrollRegion>
    </div>
  );
}
