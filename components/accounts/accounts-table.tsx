"use client";

import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";
import { accountsQueryOptions } from "@/lib/query/accounts";
import type { AccountRow } from "@/lib/api/wire";
import { formatUsdFloat } from "@/engine/index";
import { AdlLight } from "./adl-light";

type SortKey = "health" | "equityUsd" | "notionalUsd" | "leverage" | "distanceToLiquidation" | "address";
type Filter = "all" | "positions" | "liquidatable" | "near";

const columns: { key: SortKey; label: string; title: string; align: "left" | "right" }[] = [
  { key: "address", label: "Account", title: "Address", align: "left" },
  { key: "health", label: "Health", title: "Equity ÷ maintenance margin; below 1 is liquidatable", align: "right" },
  { key: "equityUsd", label: "Equity", title: "Weighted collateral + cash + unrealised PnL", align: "right" },
  { key: "notionalUsd", label: "Notional", title: "Σ |size| × mark", align: "right" },
  { key: "leverage", label: "Leverage", title: "Notional ÷ equity", align: "right" },
  { key: "distanceToLiquidation", label: "To liquidation", title: "Move of the mark to the nearest liquidation price (others fixed)", align: "right" },
];


function value(row: AccountRow, key: SortKey): number | string {
  const v = row[key];
  if (key === "distanceToLiquidation") return v === null ? Infinity : Math.abs(v as number);
  return v ?? Infinity;
}

/** Every account, sortable and filterable, rendered virtually (only the visible rows exist in the DOM). */
export function AccountsTable() {
  const block = useLatestBlock();
  const { data, error, isPending } = useQuery(accountsQueryOptions(block.data?.blockHash));
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "health", descending: false });
  const [filter, setFilter] = useState<Filter>("positions");
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim().toLowerCase());
  const rows = useMemo(() => {
    const all = data?.rows ?? [];
    const filtered = all.filter((r) => {
      if (query && !r.address.includes(query)) return false;
      if (filter === "positions") return r.markets.length > 0;
      if (filter === "liquidatable") return r.liquidatable;
      if (filter === "near") return r.health !== null && r.health < 1.25;
      return true;
    });
    const sign = sort.descending ? -1 : 1;
    return filtered.sort((a, b) => {
      const x = value(a, sort.key);
      const y = value(b, sort.key);
      return (x < y ? -1 : x > y ? 1 : a.address < b.address ? -1 : 1) * sign;
    });
  }, [data, filter, query, sort]);

  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions each render; this component is not compiler-memoised.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 40, overscan: 12 });

  const failure = error ?? (block.data ? null : block.error);
  if (failure && !data) return <p role="alert" className="text-sm text-red-300">Accounts could not be loaded: {failure.message}</p>;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Search by address
          <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="0x…" className="w-72 max-w-full rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 font-mono text-sm text-neutral-100" />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Show
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100">
            <option value="positions">Accounts with positions</option>
            <option value="liquidatable">Liquidatable now</option>
            <option value="near">Health below 1.25</option>
            <option value="all">All accounts</option>
          </select>
        </label>
        <p className="ml-auto text-xs text-neutral-400" aria-live="polite">
          {isPending ? "Loading accounts…" : `${rows.length.toLocaleString("en-US")} of ${(data?.rows.length ?? 0).toLocaleString("en-US")} accounts · block #${data?.blockNumber}`}
        </p>
      </div>
      <div role="table" aria-label="Accounts" aria-rowcount={rows.length + 1} className="overflow-x-auto rounded-lg border border-neutral-800 text-sm">
        <div className="min-w-[52rem]">
          <div role="rowgroup" className="bg-neutral-900 text-xs uppercase tracking-wide text-neutral-400">
            <div role="row" className="grid grid-cols-[minmax(15rem,2fr)_repeat(5,minmax(6rem,1fr))_5rem]">
              {columns.map((c) => (
                <div role="columnheader" key={c.key} aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"} className={`px-3 py-2 ${c.align === "right" ? "text-right" : ""}`}>
                  <button type="button" title={c.title} onClick={() => setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : false }))} className="uppercase hover:text-neutral-100">
                    {c.label} {sort.key === c.key ? (sort.descending ? "↓" : "↑") : ""}
                  </button>
                </div>
              ))}
              <div role="columnheader" className="px-3 py-2 text-right" title="Auto-deleveraging queue position: 5 lights = first in line">
                ADL
              </div>
            </div>
          </div>
          <div ref={parent} role="rowgroup" className="h-[32rem] overflow-y-auto" tabIndex={0} aria-label="Account rows">
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => {
                const r = rows[item.index]!;
                return (
                  <div role="row" aria-rowindex={item.index + 2} key={r.address} className="absolute left-0 top-0 grid w-full grid-cols-[minmax(15rem,2fr)_repeat(5,minmax(6rem,1fr))_5rem] items-center border-t border-neutral-800/70 hover:bg-neutral-900/60" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
                    <div role="cell" className="truncate px-3 font-mono text-xs">
                      <Link href={`/accounts/${r.address}`} className="text-sky-300 hover:underline">
                        {r.address}
                      </Link>
                    </div>
                    <div role="cell" className={`px-3 text-right font-mono ${r.liquidatable ? "text-red-400" : r.health !== null && r.health < 1.25 ? "text-amber-300" : ""}`}>
                      {r.health === null ? "—" : r.health.toFixed(2)}
                    </div>
                    <div role="cell" className="px-3 text-right font-mono">{formatUsdFloat(r.equityUsd)}</div>
                    <div role="cell" className="px-3 text-right font-mono">{formatUsdFloat(r.notionalUsd)}</div>
                    <div role="cell" className="px-3 text-right font-mono">{r.leverage === null ? "—" : `${r.leverage.toFixed(1)}×`}</div>
                    <div role="cell" className="px-3 text-right font-mono">{r.distanceToLiquidation === null ? "—" : `${(r.distanceToLiquidation * 100).toFixed(1)}%`}</div>
                    <div role="cell" className="px-3 text-right">{r.adlLight === null ? "—" : <AdlLight light={r.adlLight} />}</div>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
