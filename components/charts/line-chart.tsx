/**
 * A small SVG line chart: several series over the same x steps, labelled axes, a legend, and a
 * table fallback for screen readers. Enough for stress paths; no library weight for it.
 */

export interface Series {
  label: string;
  values: number[];
  color: string;
  dashed?: boolean;
}

export function LineChart({ title, series, format = (v) => v.toLocaleString("en-US", { maximumFractionDigits: 2 }), height = 180 }: { title: string; series: Series[]; format?: (v: number) => string; height?: number }) {
  const width = 560;
  const pad = { left: 64, right: 12, top: 12, bottom: 24 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(...all, 0 < Math.min(...all) ? Math.min(...all) : 0);
  const hi = Math.max(...all, lo + 1e-9);
  const n = Math.max(1, ...series.map((s) => s.values.length - 1));
  const x = (i: number) => pad.left + (i / n) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - lo) / (hi - lo)) * (height - pad.top - pad.bottom);
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium text-neutral-200">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label={title}>
        {[lo, (lo + hi) / 2, hi].map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="stroke-neutral-800" />
            <text x={pad.left - 6} y={y(v) + 4} textAnchor="end" className="fill-neutral-500 text-[10px]">{format(v)}</text>
          </g>
        ))}
        <text x={width - pad.right} y={height - 6} textAnchor="end" className="fill-neutral-500 text-[10px]">step {n}</text>
        <text x={pad.left} y={height - 6} className="fill-neutral-500 text-[10px]">step 0</text>
        {series.map((s) => (
          <polyline key={s.label} fill="none" stroke={s.color} strokeWidth={1.8} strokeDasharray={s.dashed ? "4 3" : undefined} points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} />
        ))}
      </svg>
      <ul className="flex flex-wrap gap-3 text-xs text-neutral-400">
        {series.map((s) => (
          <li key={s.label} className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: s.color }} /> {s.label}
          </li>
        ))}
      </ul>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            {series.map((s) => (
              <th scope="col" key={s.label}>{s.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: n + 1 }, (_, i) => (
            <tr key={i}>
              <th scope="row">{i}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[i] === undefined ? "" : format(s.values[i]!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
