import Link from "next/link";
import { formatUsd, formatUsdFloat, historicalScenarios, pathFromMoves, scenarioMoves, simulateCascade, type ProtocolSnapshot, type ScenarioRunway } from "@/engine/index";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** The stress lab's defaults: what "a path with keepers" means on this page and in its lab. */
export const LAB_DEFAULTS = { steps: 24, impact: { model: "sqrt" as const, depthUsd: 25_000_000 }, keeper: { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 0 } };

/**
 * The library's worst crash for today's accounts, computed two ways side by side: the instant
 * gap the overview's alerts use (marks jump at once to the trough, no keeper acts) and the path
 * the stress lab runs (the move in steps, keepers liquidating, forced selling moving prices).
 * Two answers to two questions, each labelled, with why they differ.
 */
export function CrashTwoWays({ snapshot, runway }: { snapshot: ProtocolSnapshot; runway: ScenarioRunway[] }) {
  const worst = [...runway].sort((a, b) => (b.lossUsd > a.lossUsd ? 1 : b.lossUsd < a.lossUsd ? -1 : 0))[0];
  const scenario = worst && historicalScenarios.find((s) => s.id === worst.id);
  if (!worst || !scenario) return null;
  const path = simulateCascade({
    snapshot,
    path: pathFromMoves(scenarioMoves(scenario, snapshot.markets), LAB_DEFAULTS.steps),
    impact: snapshot.markets.map(() => LAB_DEFAULTS.impact),
    keeper: LAB_DEFAULTS.keeper,
  }).totals;
  const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
  const gapOnReserves = worst.lossUsd < reservesUsd ? worst.lossUsd : reservesUsd;
  const rows: [string, string, string][] = [
    ["What it assumes", "every mark jumps at once to the crash's trough; no keeper acts; no market impact", `the move in ${LAB_DEFAULTS.steps} steps; after each, keepers liquidate (gas $${LAB_DEFAULTS.keeper.gasCostUsd}) and forced selling moves prices (square-root impact, $25M depth)`],
    ["Loss beyond collateral", formatUsd(worst.lossUsd), formatUsdFloat(path.insuranceDrawUsd + path.defaultFundDrawUsd + path.adlAbsorbedUsd + path.badDebtUsd)],
    ["Drawn from the insurance and default funds", formatUsd(gapOnReserves), formatUsdFloat(path.insuranceDrawUsd + path.defaultFundDrawUsd)],
    ["Beyond the reserves (ADL, bad debt)", formatUsd(worst.shortfallUsd), formatUsdFloat(path.adlAbsorbedUsd + path.badDebtUsd)],
    ["Liquidations", "none (no keeper has time)", path.liquidations.toLocaleString("en-US")],
  ];
  return (
    <section aria-labelledby="worst-crash" className="space-y-2">
      <h2 id="worst-crash" className="text-base font-semibold text-neutral-50">
        The worst crash in the library, today: {scenario.id}, two ways
      </h2>
      <p className="max-w-3xl text-sm text-neutral-400">
        {Object.entries(scenario.moves).map(([asset, move]) => `${asset} ${move}%`).join(", ")} over {scenario.durationHours} h, from {scenario.start.slice(0, 10)}. Computed at block #{snapshot.blockNumber.toString()}. The overview&apos;s alerts use the instant gap; the lab below runs the path (and lets you change its settings or compare proposed parameters). They answer different questions: keepers closing accounts along the way stop losses growing past collateral, while forced selling deepens the move. The truth of a real crash lies between a gap and an orderly path.
      </p>
      <ScrollRegion label="The worst crash, two ways (scrolls sideways)">
        <table className="w-full min-w-[40rem] text-sm">
          <caption className="sr-only">The worst library crash as an instant gap and as a path with keepers</caption>
          <thead className="bg-neutral-900 text-left text-xs uppercase tracking-wide text-neutral-400">
            <tr>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Figure</span></th>
              <th scope="col" className="px-3 py-2">Instant gap (the overview&apos;s alerts)</th>
              <th scope="col" className="px-3 py-2">Path with keepers and market impact (the lab)</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-800">
            {rows.map(([label, gap, withKeepers]) => (
              <tr key={label}>
                <th scope="row" className="px-3 py-2 text-left font-medium text-neutral-300">{label}</th>
                <td className={`px-3 py-2 ${label === "What it assumes" ? "text-xs text-neutral-400" : "font-mono"}`}>{gap}</td>
                <td className={`px-3 py-2 ${label === "What it assumes" ? "text-xs text-neutral-400" : "font-mono"}`}>{withKeepers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="text-xs text-neutral-400">
        How each is computed: <Link className="underline" href="/glossary#stress">the glossary</Link>.
      </p>
    </section>
  );
}
