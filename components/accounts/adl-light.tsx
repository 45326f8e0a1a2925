/** Five lights, as the venues show ADL rank: all five lit = first to be auto-deleveraged. */
export function AdlLight({ light }: { light: number }) {
  return (
    <span role="img" aria-label={`ADL rank ${light} of 5`} title={`ADL rank ${light} of 5 (5 = first in line)`} className="inline-flex gap-0.5">
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} className={`inline-block h-2.5 w-1.5 rounded-sm ${i <= light ? (light >= 4 ? "bg-red-500" : light === 3 ? "bg-amber-400" : "bg-emerald-500") : "bg-neutral-700"}`} />
      ))}
    </span>
  );
}
