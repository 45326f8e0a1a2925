"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import dynamic from "next/dynamic";
import { formatChartTime, formatUsdFloat } from "@/engine/format";
import type { HistoryPointWire } from "@/lib/api/wire";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";
import { historyQueryOptions } from "@/lib/query/history";

/**
 * The drawing, Recharts' ~120 kB (gzip), fetched once a chart has points to draw rather than with
 * the page: the figures above the charts are up and interactive without it.
 */
const HistoryLineChart = dynamic(() => import("./history-line-chart").then((m) => m.HistoryLineChart), {
  ssr: false,
  loading: () => <div className="h-full animate-pulse rounded bg-neutral-900" />,
});

/** The ranges offered, as GET /api/history names them (lib/server/history: HISTORY_RANGES). */
const RANGES = [
  ["1h", "1 h"],
  ["24h", "24 h"],
  ["7d", "7 d"],
  ["30d", "30 d"],
  ["all", "All"],
] as const;

export interface HistorySeries {
  label: string;
  color: string;
  value: (p: HistoryPointWire) => number | null;
  dashed?: boolean;
}

interface HistoryChartSpec {
  title: string;
  series: HistorySeries[];
  unit: "usd" | "count" | "ratio";
}

/** Which charts a page shows: a server page names them (functions cannot cross to the browser). */
export type HistoryChartsOf = "overview" | "reserves" | { market: string };

const reservesChart: HistoryChartSpec = {
  title: "Reserves against Cover-2",
  unit: "usd",
  series: [
    { label: "Insurance + default fund", color: "#34d399", value: (p) => p.insuranceFundUsd + p.defaultFundUsd },
    { label: "Cover-2", color: "#f87171", value: (p) => p.cover2Usd, dashed: true },
  ],
};

function chartsOf(of: HistoryChartsOf): HistoryChartSpec[] {
  if (of === "overview")
    return [
      reservesChart,
      { title: "Liquidatable accounts", unit: "count", series: [{ label: "Liquidatable", color: "#f87171", value: (p) => p.liquidatable }] },
      {
        title: "Health of accounts with positions",
        unit: "ratio",
        series: [
          { label: "10th percentile", color: "#fbbf24", value: (p) => p.healthP10 },
          { label: "Median", color: "#38bdf8", value: (p) => p.healthP50 },
        ],
      },
      { title: "Keeper lag (blocks a liquidatable account waited)", unit: "count", series: [{ label: "Longest wait", color: "#a78bfa", value: (p) => p.keeperLagBlocks }] },
    ];
  if (of === "reserves")
    return [
      reservesChart,
      {
        title: "Funds and bad debt",
        unit: "usd",
        series: [
          { label: "Insurance fund", color: "#34d399", value: (p) => p.insuranceFundUsd },
          { label: "Default fund", color: "#38bdf8", value: (p) => p.defaultFundUsd },
          { label: "Bad debt", color: "#f87171", value: (p) => p.badDebtUsd },
        ],
      },
    ];
  const market = (p: HistoryPointWire) => p.markets.find((m) => m.symbol === of.market);
  return [
    {
      title: `${of.market} open interest against its cap`,
      unit: "usd",
      series: [
        { label: "Open interest", color: "#38bdf8", value: (p) => market(p)?.openInterestUsd ?? null },
        { label: "Cap", color: "#f87171", value: (p) => market(p)?.oiCapUsd ?? null, dashed: true },
      ],
    },
  ];
}

const formatters = {
  usd: (v: number) => formatUsdFloat(v),
  count: (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 0 }),
  ratio: (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 }),
};

/**
 * Charts of the system's figures over time (Recharts: axes, tooltips and legends as a
 * well-kept library draws them), one range menu for all of them. The figures are those the
 * server recorded block by block (GET /api/history); the page says so when there are none yet.
 */
export function HistoryCharts({ of, label = "History" }: { of: HistoryChartsOf; label?: string }) {
  const charts = chartsOf(of);
  const block = useLatestBlock();
  const [range, setRange] = useState<(typeof RANGES)[number][0]>("24h");
  const { data, error, isPending } = useQuery(historyQueryOptions(range, block.data?.blockHash));
  const points = data?.points ?? [];
  const span = points.length > 1 ? points.at(-1)!.timestamp - points[0]!.timestamp : 0;

  return (
    <section aria-label={label} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-base font-semibold text-neutral-50">{label}</h2>
        <div role="group" aria-label="Range" className="flex gap-1">
          {RANGES.map(([key, text]) => (
            <button key={key} type="button" aria-pressed={range === key} onClick={() => setRange(key)} className={`rounded px-2 py-1 text-xs ${range === key ? "bg-neutral-700 text-neutral-50" : "text-neutral-400 hover:text-neutral-100"}`}>
              {text}
            </button>
          ))}
        </div>
      </div>
      {error && !data ? (
        <p role="alert" className="text-sm text-red-300">
          The history could not be loaded: {error.message}
        </p>
      ) : isPending ? (
        <p className="text-sm text-neutral-400">Loading the history…</p>
      ) : points.length < 2 ? (
        <p className="text-sm text-neutral-400">
          {points.length === 0 ? "No history yet in this range." : "One block recorded so far in this range."} The server records each block it reads; the charts fill in as blocks arrive.
        </p>
      ) : (
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {charts.map((chart) => (
            <HistoryChart key={chart.title} chart={chart} points={points} span={span} />
          ))}
        </div>
      )}
      {points.length > 0 && (
        <p className="text-xs text-neutral-400">
          {points.length.toLocaleString("en-US")} {points.length === 1 ? "point" : "points"}, blocks #{points[0]!.blockNumber}–#{points.at(-1)!.blockNumber}
        </p>
      )}
    </section>
  );
}

function HistoryChart({ chart, points, span }: { chart: HistoryChartSpec; points: HistoryPointWire[]; span: number }) {
  const format = formatters[chart.unit];
  const rows = points.map((p) => ({ t: p.timestamp, block: p.blockNumber, ...Object.fromEntries(chart.series.map((s) => [s.label, s.value(p)])) }));
  const last = points.at(-1)!;
  return (
    <figure className="min-w-0 space-y-1 rounded-lg border border-neutral-800 p-3">
      <figcaption className="text-sm font-medium text-neutral-200">{chart.title}</figcaption>
      <div className="h-48" role="img" aria-label={`${chart.title}: ${chart.series.map((s) => `${s.label} ${nullable(s.value(last), format)}`).join(", ")} at block #${last.blockNumber}`}>
        <HistoryLineChart rows={rows} series={chart.series} allowDecimals={chart.unit !== "count"} format={format} tickTime={(t) => formatChartTime(t, span)} labelTime={(t) => formatChartTime(t, Infinity)} />
      </div>
    </figure>
  );
}

const nullable = (v: number | null, format: (v: number) => string) => (v === null ? "—" : format(v));
