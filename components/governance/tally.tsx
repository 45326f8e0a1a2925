import { formatUnits } from "viem";

/** Governance-token amounts (18 decimals) as whole votes, e.g. "2,000,000". */
export const tokens = (x: bigint) => Number(formatUnits(x, 18)).toLocaleString("en-US", { maximumFractionDigits: 0 });

/** For / Against / Abstain bars with quorum progress (For + Abstain count toward quorum). */
export function Tally({ forVotes, againstVotes, abstainVotes, quorum }: { forVotes: bigint; againstVotes: bigint; abstainVotes: bigint; quorum: bigint | null }) {
  const total = forVotes + againstVotes + abstainVotes;
  const pct = (x: bigint) => (total === 0n ? 0 : Number((x * 10_000n) / total) / 100);
  const quorumPct = quorum === null || quorum === 0n ? null : Math.min(100, Number(((forVotes + abstainVotes) * 10_000n) / quorum) / 100);
  return (
    <div className="space-y-1 text-xs">
      <div className="flex h-2 overflow-hidden rounded bg-neutral-800" role="img" aria-label={`For ${pct(forVotes)}%, against ${pct(againstVotes)}%, abstain ${pct(abstainVotes)}%`}>
        <div className="bg-emerald-500" style={{ width: `${pct(forVotes)}%` }} />
        <div className="bg-red-500" style={{ width: `${pct(againstVotes)}%` }} />
        <div className="bg-neutral-500" style={{ width: `${pct(abstainVotes)}%` }} />
      </div>
      <p className="text-neutral-400">
        For {tokens(forVotes)} · Against {tokens(againstVotes)} · Abstain {tokens(abstainVotes)}
        {quorumPct === null ? "" : ` · quorum ${quorumPct.toFixed(0)}% reached (${tokens(quorum!)} needed)`}
      </p>
    </div>
  );
}
