import Link from "next/link";
import { formatCountdown, formatUsd, type PreviewBand } from "@/engine/index";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

export interface ExecutionWindowProps {
  band: PreviewBand;
  blockNumber: string;
  /** Per market: symbol and σ per √day in percent, with whether it is a fallback. */
  volatility: { symbol: string; dailyPct: number; fallback: boolean }[];
  timing: { votingBlocks: string; blockTimeSec: number; timelockDelaySec: string } | null;
  /** Where there is a cliff: the same change in equal steps, each previewed at today's prices. */
  phased?: { label: string; newlyLiquidatable: number }[];
}

/**
 * What a proposal does across the moves plausible before it executes: the point figure beside a
 * 5–95 % band from simulated price paths, a per-market sensitivity strip (count and liquidation
 * cost), and a warning where a small move flips many accounts (see engine/preview/previewBand).
 */
export function ExecutionWindow({ band, blockNumber, volatility, timing, phased }: ExecutionWindowProps) {
  const every = (pct: number) => Math.abs(pct) % 2 === 0;
  const moves = band.strip[0]?.points.filter((p) => every(p.movePct)).map((p) => p.movePct) ?? [];
  const drawn = band.strip.flatMap((s) => s.points).reduce((worst, p) => (p.reserveDrawUsd > worst ? p.reserveDrawUsd : worst), 0n);
  return (
    <div className="space-y-3 text-sm">
      <p className="text-neutral-200">
        At block #{blockNumber} and today&apos;s prices: <strong>{band.point}</strong> account(s) newly liquidatable. It can execute in about{" "}
        <strong>{formatCountdown(BigInt(Math.round(band.horizonSec)))}</strong>
        {timing ? ` (${timing.votingBlocks} blocks of voting at ~${timing.blockTimeSec.toFixed(0)} s, then the ${formatCountdown(BigInt(timing.timelockDelaySec))} timelock)` : ""}; over {band.paths} simulated price paths to then:{" "}
        <strong>
          {band.p5}–{band.p95}
        </strong>{" "}
        newly liquidatable (5–95 %), {band.expected.toFixed(1)} expected.
      </p>
      <p className="text-xs text-neutral-400">
        Volatility measured from the oracle&apos;s own posts: {volatility.map((v) => `${v.symbol} ${v.dailyPct.toFixed(1)} %/√day${v.fallback ? " (too little history: 80 %/√year assumed)" : ""}`).join(", ")}; correlated moves, no drift (<Link className="underline" href="/glossary#band">method</Link>).
      </p>
      {band.cliffs.map((c) => (
        <p key={`${c.marketId}:${c.fromPct}`} role="alert" className="rounded border border-amber-700 bg-amber-950/30 p-2 text-amber-200">
          Cliff: {c.symbol} moving from {c.fromPct}% to {c.toPct}% changes the count from {c.from} to {c.to}. A phased change (the same step in smaller parts, each previewed) spreads that risk.
        </p>
      ))}
      {band.cliffs.length && phased?.length ? (
        <div className="rounded border border-neutral-800 p-2">
          <p className="text-neutral-200">Phased alternative: the same change in {phased.length} proposals, each with its own vote and timelock, so accounts can add margin between steps.</p>
          <ol className="mt-1 list-decimal pl-5 text-xs text-neutral-300">
            {phased.map((p) => (
              <li key={p.label}>
                {p.label}: <span className="font-mono">{p.newlyLiquidatable}</span> newly liquidatable at today&apos;s prices
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <ScrollRegion label="Sensitivity strip (scrolls sideways)">
        <Table
          caption="Accounts newly liquidatable, and the penalties their liquidation charges, with one market's price moved, every other price fixed"
          head="compact"
          className="w-full min-w-[44rem] text-xs"
          bodyClassName="divide-y divide-neutral-800"
          columns={[{ label: "Move" }, ...moves.map((m) => ({ label: `${m > 0 ? `+${m}` : m}%`, align: "right" as const, className: "font-mono" }))]}
        >
            {band.strip.map((s) => (
              <tr key={s.marketId}>
                <th scope="row" className="px-2 py-1 text-left font-medium">
                  {s.symbol}
                  <span className="block font-normal text-neutral-400">accounts · cost</span>
                </th>
                {s.points.filter((p) => every(p.movePct)).map((p) => (
                  <td key={p.movePct} className={`px-2 py-1 text-right font-mono ${p.newlyLiquidatable > band.point ? "text-amber-300" : ""}`}>
                    {p.newlyLiquidatable}
                    <span className="block text-neutral-400">{formatUsd(p.penaltiesUsd + p.reserveDrawUsd)}</span>
                  </td>
                ))}
              </tr>
            ))}
        </Table>
      </ScrollRegion>
      <p className="text-xs text-neutral-400">
        Cost: the liquidation penalties those accounts would pay (to the keeper and the insurance fund) plus what their losses beyond collateral would draw from the reserves
        {drawn ? <> — at worst <strong className="text-amber-300">{formatUsd(drawn)}</strong> from the reserves</> : " (nothing here: each is still solvent when it becomes liquidatable)"}. Every other price is held fixed; a collateral on the same feed (WETH with ETH) moves with its market.
      </p>
    </div>
  );
}
