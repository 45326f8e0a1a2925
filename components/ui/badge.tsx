const tones = {
  neutral: "border-neutral-700 text-neutral-300",
  warn: "border-amber-600/60 bg-amber-950/40 text-amber-300",
  danger: "border-red-600/60 bg-red-950/40 text-red-300",
  ok: "border-emerald-700/60 bg-emerald-950/40 text-emerald-300",
} as const;

export function Badge({ tone = "neutral", children }: { tone?: keyof typeof tones; children: React.ReactNode }) {
  return <span className={`inline-flex items-center rounded border px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}
