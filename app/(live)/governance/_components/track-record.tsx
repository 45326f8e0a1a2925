import Link from "next/link";
import type { ProposalRecord } from "@/lib/actions/readProposalRecord";
import { proposalTitle, type ProposalSummary } from "@/lib/actions/readProposals";

/**
 * Every executed proposal, predicted against what happened: what voters were shown when it was
 * created (count and band), what its execution made newly liquidatable, and how many of those
 * keepers have liquidated since — read from chain history (lib/actions/readProposalRecord).
 */
export function TrackRecord({ rows }: { rows: { proposal: ProposalSummary; record: ProposalRecord | { error: string } }[] }) {
  if (rows.length === 0) return <p className="text-sm text-neutral-400">No proposal has been executed yet.</p>;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Executed proposals, predicted against what happened</caption>
      <thead className="text-left text-xs uppercase tracking-wide text-neutral-400">
        <tr>
          <th scope="col" className="py-1">Proposal</th>
          <th scope="col" className="py-1 text-right">Shown when created</th>
          <th scope="col" className="py-1 text-right">Band then (5–95 %)</th>
          <th scope="col" className="py-1 text-right">Newly liquidatable at execution</th>
          <th scope="col" className="py-1 text-right">Liquidated since, of those</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-neutral-800">
        {rows.map(({ proposal, record }) => {
          const title = proposalTitle(proposal);
          if ("error" in record) {
            return (
              <tr key={proposal.id.toString()}>
                <th scope="row" className="py-1 text-left font-medium"><Link href={`/governance/${proposal.id}`} className="hover:underline">{title}</Link></th>
                <td colSpan={4} className="py-1 text-right text-amber-300">could not be read: {record.error}</td>
              </tr>
            );
          }
          const created = record.stages.find((s) => s.stage === "created");
          const executed = record.stages.find((s) => s.stage === "executed")!;
          const liquidated = executed.newlyLiquidatable.filter((a) => record.liquidations.some((l) => l.account === a)).length;
          const inside = created?.band ? created.band.p5 <= executed.newlyLiquidatable.length && executed.newlyLiquidatable.length <= created.band.p95 : undefined;
          return (
            <tr key={proposal.id.toString()}>
              <th scope="row" className="py-1 text-left font-medium"><Link href={`/governance/${proposal.id}`} className="hover:underline">{title}</Link></th>
              <td className="py-1 text-right font-mono">{created?.newlyLiquidatable.length ?? "—"}</td>
              <td className="py-1 text-right font-mono">
                {created?.band ? `${created.band.p5}–${created.band.p95}` : "—"}
                {inside === undefined ? null : <span className={inside ? "text-emerald-300" : "text-amber-300"}> {inside ? "✓ held" : "✗ missed"}</span>}
              </td>
              <td className="py-1 text-right font-mono">{executed.newlyLiquidatable.length}</td>
              <td className="py-1 text-right font-mono">{liquidated} of {executed.newlyLiquidatable.length}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
