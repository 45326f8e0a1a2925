"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchApiJson } from "@/lib/query/fetchApi";
import { useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { impactWire, type ImpactAccountWire as View } from "@/lib/api/wire";

/** The connected wallet's account today and if the proposal passes: health, liquidation prices, ADL lights. */
export function YourAccount({ proposalId }: { proposalId: string }) {
  const { address } = useWalletAccount();
  const { data, error } = useQuery({
    queryKey: ["impact", { proposalId, address }] as const,
    enabled: Boolean(address),
    queryFn: () => fetchApiJson(`/api/impact?proposal=${proposalId}&account=${address}`, impactWire),
  });
  if (!address) return <p className="text-sm text-neutral-400">Connect a wallet to see your own account under this proposal.</p>;
  if (error) return <p role="alert" className="text-sm text-red-300">Your account could not be previewed: {error.message}</p>;
  if (!data) return <p className="text-sm text-neutral-400">Computing your account…</p>;
  if (!data.before) return <p className="text-sm text-neutral-400">Your wallet has no account on the clearinghouse: this proposal does not touch you directly.</p>;
  const health = (v: View | null) => (v?.health == null ? "—" : v.health.toFixed(3));
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Your account today and if the proposal passes</caption>
      <thead className="text-left text-xs uppercase text-neutral-400">
        <tr>
          <th scope="col">Your account</th>
          <th scope="col" className="text-right">Today</th>
          <th scope="col" className="text-right">If it passes</th>
        </tr>
      </thead>
      <tbody>
        <tr className="border-t border-neutral-800">
          <th scope="row" className="py-1 text-left font-normal">Health</th>
          <td className="text-right font-mono">{health(data.before)}</td>
          <td className={`text-right font-mono ${data.after?.liquidatable ? "text-red-400" : ""}`}>{health(data.after)}{data.after?.liquidatable ? " (liquidatable)" : ""}</td>
        </tr>
        {data.before.positions.map((p, i) => (
          <tr key={p.market} className="border-t border-neutral-800">
            <th scope="row" className="py-1 text-left font-normal">{p.market} liquidation price · ADL light</th>
            <td className="text-right font-mono">{p.liquidationPrice === null ? "none" : `$${p.liquidationPrice.toFixed(2)}`} · {p.adlLight ?? "—"}/5</td>
            <td className="text-right font-mono">{data.after?.positions[i]?.liquidationPrice == null ? "none" : `$${data.after.positions[i]!.liquidationPrice!.toFixed(2)}`} · {data.after?.positions[i]?.adlLight ?? "—"}/5</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
