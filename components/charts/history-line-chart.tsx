"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistorySeries } from "./history-charts";

/** One chart of HistoryCharts, drawn by Recharts (loaded with this module, on demand): a line per series over the block times. */
export function HistoryLineChart({ rows, series, allowDecimals, format, tickTime, labelTime }: { rows: Record<string, unknown>[]; series: HistorySeries[]; allowDecimals: boolean; format: (v: number) => string; tickTime: (t: number) => string; labelTime: (t: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#262626" vertical={false} />
        <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={tickTime} stroke="#737373" fontSize={10} />
        <YAxis tickFormatter={format} allowDecimals={allowDecimals} stroke="#737373" fontSize={10} width={64} />
        <Tooltip
          contentStyle={{ background: "#171717", border: "1px solid #404040", fontSize: 12 }}
          labelFormatter={(t, payload) => `${labelTime(Number(t))} UTC · block #${(payload?.[0]?.payload as { block?: string } | undefined)?.block ?? ""}`}
          formatter={(v) => (typeof v === "number" ? format(v) : "—")}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {series.map((s) => (
          <Line key={s.label} dataKey={s.label} stroke={s.color} strokeDasharray={s.dashed ? "4 3" : undefined} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
