import Link from "next/link";
import { formatCountdown } from "@/engine/index";
import type { ProposalRecord, StagePrediction } from "@/lib/actions/readProposalRecord";

const short = (a: string) => `${a.slice(0, 10)}…${a.slice(-4)}`;

const label = (stage: StagePrediction["stage"] | "now") => (stage === "executed" ? "At execution (what happened)" : stage === "now" ? "Now" : `Shown when ${stage}`);

/** Each stage's count of accounts newly liquidatable and its band to execution, oldest first. */
export function StageTable({ stages, now }: { stages: StagePrediction[]; now?: Omit<StagePrediction, "stage" | "newlyLiquidatable"> & { newlyLiquidatable: number } }) {
  const rows = [...stages.map((s) => ({ ...s, stage: s.stage as StagePrediction["stage"] | "now", count: s.newlyLiquidatable.length })), ...(now ? [{ ...now, stage: "now" as const, count: now.newlyLiquidatable }] : [])];
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Accounts newly liquidatable as shown at each stage</caption>
      <thead className="text-left text-xs uppercase tracking-wide text-neutral-400">
        <tr>
          <th scope="col" className="py-1">Stage</th>
          <th scope="col" className="py-1">Block</th>
          <th scope="col" className="py-1 text-right">Newly liquidatable</th>
          <th scope="col" className="py-1 text-right">Band to execution (5–95 %)</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-neutral-800">
        {rows.map((s) => (
          <tr key={s.stage}>
            <th scope="row" className="py-1 text-left font-medium">{label(s.stage)}</th>
            <td className="py-1 font-mono">#{s.blockNumber.toString()}</td>
            <td className="py-1 text-right font-mono">{s.count}</td>
            <td className="py-1 text-right font-mono">{s.band ? `${s.band.p5}–${s.band.p95} (${s.band.expected.toFixed(1)} expected over ${formatCountdown(BigInt(Math.round(s.band.horizonSec)))})` : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * An executed proposal's prediction record: what voters were shown at each stage against what the
 * execution made newly liquidatable and what keepers then liquidated, with each predicted
 * account's outcome in words (lib/actions/readProposalRecord).
 */
export function PredictionRecord({ record }: { record: ProposalRecord }) {
  const executed = record.stages.find((s) => s.stage === "executed")!;
  const liquidatedNewly = executed.newlyLiquidatable.filter((a) => record.liquidations.some((l) => l.account === a)).length;
  return (
    <div className="space-y-3 text-sm">
      <StageTable stages={record.stages} />
      <p className="text-neutral-200">
        Since the execution, keepers liquidated <strong>{record.liquidations.length}</strong> account(s) (Liquidated events), <strong>{liquidatedNewly}</strong> of the {executed.newlyLiquidatable.length} it made newly liquidatable.
      </p>
      {record.outcomes.length ? (
        <ul className="space-y-1" aria-label="What happened to each predicted account">
          {record.outcomes.map((o) => (
            <li key={o.account} className="border-b border-neutral-800 py-1">
              <Link href={`/accounts/${o.account}`} className="font-mono text-xs text-sky-300 hover:underline">{short(o.account)}</Link>{" "}
              <span className="text-xs text-neutral-400">(predicted {o.predictedAt.join(", ")})</span> —{" "}
              <span className={o.outcome === "liquidated" ? "text-emerald-300" : o.outcome === "not reached yet" ? "text-amber-300" : "text-neutral-300"}>{o.outcome}</span>: {o.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
