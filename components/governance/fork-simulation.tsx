"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { simulationWire } from "@/lib/api/wire";
import { fetchApiJson } from "@/lib/query/fetchApi";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Table } from "@/components/ui/table";

/**
 * A proposal's exact calls — or a draft's, from the builder — executed on a fork of the latest
 * block, as the timelock (GET or POST /api/simulate, lib/fork/simulateProposal): each call's result, what it changed, who it
 * liquidates, and where the calls do something the calldata decoder did not read.
 */
export function ForkSimulation(of: { proposalId: string } | { calls: readonly { target: string; value: bigint; calldata: string }[] }) {
  // A draft's calls (the builder's) are sent as they are; a proposal's are read on chain by the server.
  const draft = "calls" in of ? JSON.stringify({ calls: of.calls.map((c) => ({ target: c.target, value: c.value.toString(), calldata: c.calldata })) }) : undefined;
  const { data, error, isPending } = useQuery({
    queryKey: ["simulate", "proposalId" in of ? of.proposalId : draft] as const,
    queryFn: () =>
      draft === undefined
        ? fetchApiJson(`/api/simulate?proposal=${"proposalId" in of ? of.proposalId : ""}`, simulationWire)
        : fetchApiJson("/api/simulate", simulationWire, { method: "POST", body: draft, headers: { "content-type": "application/json" } }),
    staleTime: 60_000,
    retry: 1,
  });
  if (isPending) return <p className="text-sm text-neutral-400" role="status">Executing its calls on a fork of the chain…</p>;
  if (error) return <p role="alert" className="text-sm text-red-300">The fork simulation could not run: {error.message}</p>;
  return (
    <div className="space-y-3 text-sm">
      <p className={data.executes ? "text-neutral-200" : "text-red-300"}>
        On a fork of block #{data.forkBlock}, executed as the timelock: {data.executes ? "it executes." : "a call reverts, so the whole proposal would revert and nothing changes."}
      </p>
      {data.blindSpots.length ? (
        <div role="alert" className="rounded border border-red-700 bg-red-950/30 p-2 text-red-200">
          <p className="font-medium">The calls do something the calldata decoder did not read:</p>
          <ul className="mt-1 list-disc pl-5">
            {data.blindSpots.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ScrollRegion label="Simulated calls (scrolls sideways)">
        <Table caption="Each call of the proposal as the fork ran it" head="quiet" className="w-full min-w-[36rem] text-xs" columns={[{ label: "Call" }, { label: "Target" }, { label: "Result" }, { label: "Gas", align: "right", className: "px-2" }, { label: "Events", className: "px-2" }]}>
            {data.calls.map((c, i) => (
              <tr key={i} className="border-t border-neutral-800">
                <td className="py-1">{i + 1}</td>
                <td className="py-1 font-mono">{c.target}</td>
                <td className={`py-1 ${c.status === "success" ? "text-emerald-300" : c.status === "reverted" ? "text-red-300" : "text-neutral-400"}`}>{c.status === "reverted" ? `reverted: ${c.revert ?? "no reason given"}` : c.status}</td>
                <td className="px-2 py-1 text-right font-mono">{c.gasUsed}</td>
                <td className="px-2 py-1">{c.events.map((e) => e ?? "unknown event").join(", ") || "—"}</td>
              </tr>
            ))}
        </Table>
      </ScrollRegion>
      {data.stateChanges.length ? (
        <Table caption="Governable values the fork changed, before and after" head="quiet" className="w-full text-xs" columns={[{ label: "Changed on the fork" }, { label: "Before", align: "right" }, { label: "After", align: "right" }]}>
            {data.stateChanges.map((c) => (
              <tr key={c.what} className="border-t border-neutral-800">
                <th scope="row" className="py-1 text-left font-normal">{c.what}</th>
                <td className="py-1 text-right font-mono">{c.before}</td>
                <td className="py-1 text-right font-mono">{c.after}</td>
              </tr>
            ))}
        </Table>
      ) : (
        <p className="text-neutral-400">No governable value changes on the fork.</p>
      )}
      <p className="text-neutral-200">
        Newly liquidatable on the fork after it: <strong>{data.newlyLiquidatable.length}</strong>
        {data.newlyLiquidatable.length ? (
          <>
            {" "}
            (
            {data.newlyLiquidatable.slice(0, 10).map((a, i) => (
              <span key={a}>
                {i ? ", " : ""}
                <Link href={`/accounts/${a}`} className="font-mono text-sky-300 hover:underline">{`${a.slice(0, 8)}…`}</Link>
              </span>
            ))}
            {data.newlyLiquidatable.length > 10 ? `, and ${data.newlyLiquidatable.length - 10} more` : ""})
          </>
        ) : null}
      </p>
      <p className="text-neutral-200">
        Gas used by the calls: <span className="font-mono">{data.gasUsed}</span>
      </p>
      <Traced
        caption="Storage slots changed"
        empty="No storage slot changes."
        head={["Contract", "Slot", "Before", "After"]}
        rows={data.storageChanges.map((c) => [c.knownAs ?? c.address, c.slot, c.before, c.after])}
      />
      <Traced
        caption="Contracts reached"
        empty="No contract was reached."
        head={["Address", "In the deployment", "Code hash"]}
        rows={data.contracts.map((c) => [c.address, c.knownAs ?? "no — unknown to the deployment", c.codeHash])}
      />
      <Traced caption="ETH and token movements" empty="No ETH or token moves." head={["Asset", "From", "To", "Amount"]} rows={data.movements.map((m) => [m.asset, m.from, m.to, m.amount])} />
      <Traced caption="Role grants and revocations" empty="No role is granted or revoked." head={["Contract", "Role", "Account", "Change"]} rows={data.roleChanges.map((r) => [r.knownAs ?? r.contract, r.role, r.account, r.change])} />
    </div>
  );
}

/** One of the trace's tables (storage, contracts, movements, roles), or a line saying it is empty. */
function Traced({ caption, empty, head, rows }: { caption: string; empty: string; head: string[]; rows: string[][] }) {
  if (!rows.length) return <p className="text-neutral-400">{empty}</p>;
  return (
    <ScrollRegion label={`${caption} (scrolls sideways)`}>
      <table className="w-full min-w-[36rem] text-xs">
        <caption className="py-1 text-left text-neutral-300">{caption}</caption>
        <thead className="text-left text-neutral-400">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="py-1 pr-2">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-neutral-800">
              {r.map((cell, j) => (
                <td key={j} className="break-all py-1 pr-2 font-mono">{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
