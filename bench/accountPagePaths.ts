/**
 * The /api/accounts pages the venue bench's clients ask for, as people use the accounts table:
 * every column sorted both ways, pages deep into the table, each "Show" filter, and address
 * searches (from the start with 0x, and anywhere in the address) built from real addresses, so
 * each one matches. A search is answered fresh for every request (it is one request's own); the
 * other pages are built once per block (lib/server/views.ts, accountPage).
 */

import { ACCOUNT_PAGE_MAX, ACCOUNT_SORTS, type AccountShow } from "../lib/api/accountsQuery.ts";

/** Paths (with their query strings) of /api/accounts for a venue of `accountCount` accounts; `addresses` seeds the searches. */
export function accountPagePaths(accountCount: number, addresses: readonly string[]): string[] {
  const page = (params: Record<string, string | number>) => `/api/accounts?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;
  const paths: string[] = [];
  for (const sort of ACCOUNT_SORTS) for (const dir of ["asc", "desc"]) paths.push(page({ sort, dir }));
  const middle = Math.floor(accountCount / 200) * 100;
  for (const offset of [100, 1000, middle]) paths.push(page({ sort: "health", offset }));
  paths.push(page({ show: "all", sort: "address", offset: middle, limit: ACCOUNT_PAGE_MAX }));
  for (const show of ["liquidatable", "near", "all"] satisfies AccountShow[]) paths.push(page({ show, sort: "notionalUsd", dir: "desc" }));
  for (const address of addresses.slice(0, 3)) {
    paths.push(page({ q: address.slice(0, 6).toLowerCase() }));
    paths.push(page({ show: "all", q: address.slice(12, 18).toLowerCase() }));
  }
  return paths;
}
