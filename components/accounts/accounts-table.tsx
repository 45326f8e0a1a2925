"use client";

import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowData, type SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useDeferredValue, useEffect, useState } from "react";
import { ACCOUNT_PAGE_SIZE, ACCOUNT_SHOWS, accountsQuery, type AccountShow, type AccountSort } from "@/lib/api/accountsQuery";
import type { AccountRow } from "@/lib/api/wire";
import { useLatestBlock } from "@/lib/hooks/useLatestBlock";
import { accountsQueryOptions } from "@/lib/query/accounts";
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

const dash = <T,>(v: number | null, shown: (v: number) => T) => (v === null ? "—" : shown(v));
const column = createColumnHelper<AccountRow>();

const columns = [
  column.accessor("address", {
    header: "Account",
    meta: { title: "Address", align: "left" },
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

/** The route's answer to a question with no parameters: what the table shows first. */
const DEFAULTS = accountsQuery.parse({});

/** What the table shows, as the page's URL says it (?q=&show=&sort=&dir=&page=, page from 1): a value the route would refuse is left at its default, the search kept as typed (it says why it is not used). */
function viewOfUrl(params: URLSearchParams) {
  // Each parameter by the route's own schema, its default where it is missing or refused.
  const { show, sort, dir } = accountsQuery.shape;
  const value = (key: string) => params.get(key) ?? undefined;
  const page = Number(params.get("page"));
  return {
    search: params.get("q") ?? "",
    shown: show.safeParse(value("show")).data ?? DEFAULTS.show,
    sorting: [{ id: sort.safeParse(value("sort")).data ?? DEFAULTS.sort, desc: (dir.safeParse(value("dir")).data ?? DEFAULTS.dir) === "desc" }] as SortingState,
    pageIndex: Number.isSafeInteger(page) && page >= 1 ? page - 1 : 0,
  };
}

/**
 * Every account, a page at a time: the server filters, searches, sorts and slices
 * (GET /api/accounts), so the browser holds one page whatever the venue's size. TanStack Table
 * keeps the columns, the header's sort state and the rendering. The search, the filter, the
 * order and the page live in the URL too (replaced, not pushed), so a reload or a shared link
 * shows the same rows.
 */
export function AccountsTable() {
  const block = useLatestBlock();
  const params = useSearchParams();
  const [initial] = useState(() => viewOfUrl(params));
  const [sorting, setSorting] = useState<SortingState>(initial.sorting);
  const [shown, setShown] = useState<AccountShow>(initial.shown);
  const [search, setSearch] = useState(initial.search);
  const [pageIndex, setPageIndex] = useState(initial.pageIndex);
  useEffect(() => {
    const url = new URL(window.location.href);
    const put = (key: string, value: string, byDefault: string) => (value === byDefault ? url.searchParams.delete(key) : url.searchParams.set(key, value));
    put("q", search, DEFAULTS.q);
    put("show", shown, DEFAULTS.show);
    put("sort", sorting[0]?.id ?? DEFAULTS.sort, DEFAULTS.sort);
    put("dir", sorting[0]?.desc ? "desc" : "asc", DEFAULTS.dir);
    put("page", String(pageIndex + 1), "1");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url);
  }, [search, shown, sorting, pageIndex]);
  const deferred = useDeferredValue(search.trim());
  // The search is checked by the route's own schema before it is sent: a bad one says why here.
  const q = accountsQuery.shape.q.safeParse(deferred);
  const question = {
    show: shown,
    q: q.success ? q.data : "",
    sort: (sorting[0]?.id ?? "health") as AccountSort,
    dir: sorting[0]?.desc ? ("desc" as const) : ("asc" as const),
    offset: pageIndex * ACCOUNT_PAGE_SIZE,
    limit: ACCOUNT_PAGE_SIZE,
  };
  const { data, error, isPending, isPlaceholderData } = useQuery(accountsQueryOptions(block.data?.blockHash, question));
  const rows = data?.rows ?? [];

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table returns fresh functions each render; this component is not compiler-memoised.
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: (update) => {
      setSorting(update);
      setPageIndex(0);
    },
    getRowId: (r) => r.address,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    defaultColumn: { sortDescFirst: false },
    enableSortingRemoval: false,
    enableMultiSort: false,
  });

  const matched = data?.matched ?? 0;
  const pages = Math.max(1, Math.ceil(matched / ACCOUNT_PAGE_SIZE));
  // A new block can leave fewer pages than the one shown: move to the last one there is.
  if (data && !isPlaceholderData && pageIndex >= pages) setPageIndex(pages - 1);
  const failure = error ?? (block.data ? null : block.error);
  if (failure && !data) return <p role="alert" className="text-sm text-red-300">Accounts could not be loaded: {failure.message}</p>;
  const first = data && matched > 0 ? data.offset + 1 : 0;
  const last = data ? data.offset + rows.length : 0;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Search by address
          <input
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPageIndex(0);
            }}
            placeholder="0x… (from the start) or any part"
            aria-invalid={!q.success}
            aria-describedby={q.success ? undefined : "account-search-error"}
            className="w-72 max-w-full rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 font-mono text-sm text-neutral-100"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Show
          <select
            value={shown}
            onChange={(e) => {
              setShown(e.target.value as AccountShow);
              setPageIndex(0);
            }}
            className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100"
          >
            {(Object.keys(ACCOUNT_SHOWS) as AccountShow[]).map((key) => (
              <option key={key} value={key}>
                {ACCOUNT_SHOWS[key].label}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-xs text-neutral-400" aria-live="polite">
          {isPending ? "Loading accounts…" : `${matched.toLocaleString("en-US")} of ${data!.total.toLocaleString("en-US")} accounts · block #${data!.blockNumber}`}
        </p>
      </div>
      {!q.success && (
        <p id="account-search-error" role="alert" className="text-xs text-amber-300">
          The search {q.error.issues[0]!.message}; showing every account meanwhile.
        </p>
      )}
      <div role="table" aria-label="Accounts" aria-rowcount={matched + 1} aria-busy={isPlaceholderData} className="overflow-x-auto rounded-lg border border-neutral-800 text-sm">
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
          <div role="rowgroup" aria-label="Account rows" className={isPlaceholderData ? "opacity-70" : undefined}>
            {table.getRowModel().rows.map((row, i) => (
              <div role="row" aria-rowindex={(data?.offset ?? 0) + i + 2} key={row.id} className={`h-10 items-center border-t border-neutral-800/70 hover:bg-neutral-900/60 ${GRID}`}>
                {row.getVisibleCells().map((cell) => (
                  <div role="cell" key={cell.id} className={cell.column.id === "address" ? "truncate px-3 font-mono text-xs" : `px-3 text-right ${cell.column.id === "adlLight" ? "" : "font-mono"} ${cell.column.id === "health" ? healthTone(row.original) : ""}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            ))}
            {data && rows.length === 0 && <p className="px-3 py-6 text-center text-sm text-neutral-400">No account matches.</p>}
          </div>
        </div>
      </div>
      <nav aria-label="Account pages" className="flex items-center justify-end gap-3 text-xs text-neutral-400">
        <span>
          Rows {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} · page {pageIndex + 1} of {pages.toLocaleString("en-US")}
        </span>
        <button type="button" disabled={pageIndex === 0} onClick={() => setPageIndex((p) => p - 1)} className="rounded border border-neutral-700 px-2 py-1 text-neutral-100 disabled:opacity-40">
          Previous
        </button>
        <button type="button" disabled={pageIndex + 1 >= pages} onClick={() => setPageIndex((p) => p + 1)} className="rounded border border-neutral-700 px-2 py-1 text-neutral-100 disabled:opacity-40">
          Next
        </button>
      </nav>
    </div>
  );
}
