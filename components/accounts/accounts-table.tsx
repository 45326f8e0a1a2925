"use client";

import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type RowData, type SortingFn, type SortingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useDeferredValue, useMemo, useRef, useState } from "react";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";
import { accountsQueryOptions } from "@/lib/query/accounts";
import type { AccountRow } from "@/lib/api/wire";
import { formatUsdFloat } from "@/engine/index";
import { AdlLight } from "./adl-light";

declare module "@tanstack/react-table" {
  // What a column's heading says on hover, and its side (numbers right, the default).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the type parameters must match TanStack's declaration.
  interface ColumnMeta<TData extends RowData, TValue> {
    title?: string;
    align?: "left" | "right";
  }
}

/** The rows the "Show" menu keeps, in its order. */
const SHOWN = {
  positions: { label: "Accounts with positions", keep: (r: AccountRow) => r.markets.length > 0 },
  liquidatable: { label: "Liquidatable now", keep: (r: AccountRow) => r.liquidatable },
  near: { label: "Health below 1.25", keep: (r: AccountRow) => r.health !== null && r.health < 1.25 },
  all: { label: "All accounts", keep: () => true },
} as const;
type Shown = keyof typeof SHOWN;

/** The account column's filter: the search (part of an address) and the "Show" menu. */
interface AccountFilter {
  query: string;
  shown: Shown;
}

/**
 * Ascending order on a number column: an unknown value (no positions, no liquidation price) after
 * every known one, ties broken by address so the order is total and the same on every render.
 * The distance to liquidation sorts by its size (−3 % is nearer than +5 %).
 */
const byValue: SortingFn<AccountRow> = (a, b, columnId) => {
  const key = (r: AccountRow) => {
    const v = r[columnId as keyof AccountRow] as number | string | null;
    if (v === null) return Infinity;
    return columnId === "distanceToLiquidation" ? Math.abs(v as number) : v;
  };
  const [x, y] = [key(a.original), key(b.original)];
  return x < y ? -1 : x > y ? 1 : a.original.address < b.original.address ? -1 : 1;
};

const dash = <T,>(v: number | null, shown: (v: number) => T) => (v === null ? "—" : shown(v));
const column = createColumnHelper<AccountRow>();

const columns = [
  column.accessor("address", {
    header: "Account",
    meta: { title: "Address", align: "left" },
    filterFn: (row, _id, { query, shown }: AccountFilter) => SHOWN[shown].keep(row.original) && (!query || row.original.address.includes(query)),
    cell: ({ getValue }) => (
      <Link href={`/accounts/${getValue()}`} className="text-sky-300 hover:underline">
        {getValue()}
      </Link>
    ),
  }),
  column.accessor("health", { header: "Health", meta: { title: "Equity ÷ maintenance margin; below 1 is liquidatable" }, cell: ({ getValue }) => dash(getValue(), (h) => h.toFixed(2)) }),
  column.accessor("equityUsd", { header: "Equity", meta: { title: "Weighted collateral + cash + unrealised PnL" }, cell: ({ getValue }) => formatUsdFloat(getValue()) }),
  column.accessor("notionalUsd", { header: "Notional", meta: { title: "Σ |size| × mark" }, cell: ({ getValue }) => formatUsdFloat(getValue()) }),
  column.accessor("leverage", { header: "Leverage", meta: { title: "Notional ÷ equity" }, cell: ({ getValue }) => dash(getValue(), (l) => `${l.toFixed(1)}×`) }),
  column.accessor("distanceToLiquidation", { header: "To liquidation", meta: { title: "Move of the mark to the nearest liquidation price (others fixed)" }, cell: ({ getValue }) => dash(getValue(), (d) => `${(d * 100).toFixed(1)}%`) }),
  column.accessor("adlLight", { header: "ADL", enableSorting: false, meta: { title: "Auto-deleveraging queue position: 5 lights = first in line" }, cell: ({ getValue }) => dash(getValue(), (light) => <AdlLight light={light} />) }),
];

/** Health's colour: red when liquidatable, amber when near. */
const healthTone = (r: AccountRow) => (r.liquidatable ? "text-red-400" : r.health !== null && r.health < 1.25 ? "text-amber-300" : "");
const GRID = "grid grid-cols-[minmax(15rem,2fr)_repeat(5,minmax(6rem,1fr))_5rem]";

/**
 * Every account, sortable and filterable (TanStack Table: the sorting, filtering and column
 * model), rendered virtually (TanStack Virtual: only the visible rows exist in the DOM).
 */
export function AccountsTable() {
  const block = useLatestBlock();
  const { data, error, isPending } = useQuery(accountsQueryOptions(block.data?.blockHash));
  const [sorting, setSorting] = useState<SortingState>([{ id: "health", desc: false }]);
  const [shown, setShown] = useState<Shown>("positions");
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim().toLowerCase());
  const columnFilters = useMemo(() => [{ id: "address", value: { query, shown } satisfies AccountFilter }], [query, shown]);
  const all = useMemo(() => data?.rows ?? [], [data]);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table returns fresh functions each render; this component is not compiler-memoised.
  const table = useReactTable({
    data: all,
    columns,
    state: { sorting, columnFilters },
    onSortingChange: setSorting,
    getRowId: (r) => r.address,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    defaultColumn: { sortingFn: byValue, sortDescFirst: false },
    enableSortingRemoval: false,
    enableMultiSort: false,
  });
  const rows = table.getRowModel().rows;

  const parent = useRef<HTMLDivElement>(null);
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
          <select value={shown} onChange={(e) => setShown(e.target.value as Shown)} className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100">
            {(Object.keys(SHOWN) as Shown[]).map((key) => (
              <option key={key} value={key}>
                {SHOWN[key].label}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-xs text-neutral-400" aria-live="polite">
          {isPending ? "Loading accounts…" : `${rows.length.toLocaleString("en-US")} of ${all.length.toLocaleString("en-US")} accounts · block #${data?.blockNumber}`}
        </p>
      </div>
      <div role="table" aria-label="Accounts" aria-rowcount={rows.length + 1} className="overflow-x-auto rounded-lg border border-neutral-800 text-sm">
        <div className="min-w-[52rem]">
          <div role="rowgroup" className="bg-neutral-900 text-xs uppercase tracking-wide text-neutral-400">
            {table.getHeaderGroups().map((group) => (
              <div role="row" key={group.id} className={GRID}>
                {group.headers.map((header) => {
                  const { title, align } = header.column.columnDef.meta ?? {};
                  const sorted = header.column.getIsSorted();
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <div role="columnheader" key={header.id} aria-sort={header.column.getCanSort() ? (sorted === "desc" ? "descending" : sorted === "asc" ? "ascending" : "none") : undefined} title={header.column.getCanSort() ? undefined : title} className={`px-3 py-2 ${align === "left" ? "" : "text-right"}`}>
                      {header.column.getCanSort() ? (
                        <button type="button" title={title} onClick={header.column.getToggleSortingHandler()} className="uppercase hover:text-neutral-100">
                          {label} {sorted === "desc" ? "↓" : sorted === "asc" ? "↑" : ""}
                        </button>
                      ) : (
                        label
                      )}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
          <div ref={parent} role="rowgroup" className="h-[32rem] overflow-y-auto" tabIndex={0} aria-label="Account rows">
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index]!;
                return (
                  <div role="row" aria-rowindex={item.index + 2} key={row.id} className={`absolute left-0 top-0 w-full items-center border-t border-neutral-800/70 hover:bg-neutral-900/60 ${GRID}`} style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
                    {row.getVisibleCells().map((cell) => (
                      <div role="cell" key={cell.id} className={cell.column.id === "address" ? "truncate px-3 font-mono text-xs" : `px-3 text-right ${cell.column.id === "adlLight" ? "" : "font-mono"} ${cell.column.id === "health" ? healthTone(row.original) : ""}`}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </div>
                    ))}
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
