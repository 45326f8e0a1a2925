/** A horizontal fill for "used of cap"; turns amber at 75 % and red at 90 %. */
export function Meter({ label, ratio }: { label: string; ratio: number }) {
  const pct = Math.max(0, Math.min(1, ratio)) * 100;
  const color = ratio >= 0.9 ? "bg-red-500" : ratio >= 0.75 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} className="h-1.5 w-full rounded bg-neutral-800">
      <div className={`h-1.5 rounded ${color}`} style={{ width: `${pct}%` }} />
    </div>
  );
}
