import Link from "next/link";
import type { Alert } from "@/engine/index";

const box = { critical: "border-red-800/70 bg-red-950/30", warning: "border-amber-800/60 bg-amber-950/20", info: "border-neutral-800" } as const;
const label = { critical: "text-red-300", warning: "text-amber-300", info: "text-neutral-400" } as const;

/** Alerts (or detector findings), most severe first, each with its severity, title and figures. */
export function AlertList({ alerts, quiet }: { alerts: readonly Alert[]; quiet: string }) {
  if (alerts.length === 0) return <p className="text-sm text-emerald-300">{quiet}</p>;
  return (
    <ul className="space-y-1.5">
      {alerts.map((a) => (
        <li key={a.id} data-alert={a.id} className={`rounded border px-3 py-2 text-sm [overflow-wrap:anywhere] ${box[a.severity]}`}>
          <span className={`mr-2 text-xs font-semibold uppercase ${label[a.severity]}`}>{a.severity}</span>
          <strong className="font-medium text-neutral-100">{a.href ? <Link href={a.href} className="hover:underline">{a.title}</Link> : a.title}</strong> <span className="text-neutral-400">— {a.detail}</span>
        </li>
      ))}
    </ul>
  );
}
