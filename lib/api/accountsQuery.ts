/**
 * The accounts table's questions — which rows ("show"), matching what address text ("q"), in
 * which order, which page — answered on the server (GET /api/accounts), so the browser downloads
 * one page, never the venue. Shared by the route, which answers them, and the table, which asks
 * them and labels its menus with the same words.
 */

import { z } from "zod";
import type { AccountRow } from "./wire.ts";

/** The rows the "Show" menu keeps, in its order. */
export const ACCOUNT_SHOWS = {
  positions: { label: "Accounts with positions", keep: (r: AccountRow) => r.markets.length > 0 },
  liquidatable: { label: "Liquidatable now", keep: (r: AccountRow) => r.liquidatable },
  near: { label: "Health below 1.25", keep: (r: AccountRow) => r.health !== null && r.health < 1.25 },
  all: { label: "All accounts", keep: () => true },
} as const;
export type AccountShow = keyof typeof ACCOUNT_SHOWS;

/** The columns a page can be sorted by. */
export const ACCOUNT_SORTS = ["health", "equityUsd", "notionalUsd", "leverage", "distanceToLiquidation", "address"] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

/** Rows per page unless asked: ~25 kB of JSON. */
export const ACCOUNT_PAGE_SIZE = 100;
/** The most rows one page may hold: ~50 kB of JSON (a row is ≤ 250 bytes). */
export const ACCOUNT_PAGE_MAX = 200;

const whole = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: `must be a whole number (${name})`, abort: true })
    .transform(Number)
    .refine((n) => n <= max, { error: `is at most ${max.toLocaleString("en-US")}` });

/** GET /api/accounts?show=&q=&sort=&dir=&offset=&limit= — every parameter optional. */
export const accountsQuery = z.object({
  show: z.enum(Object.keys(ACCOUNT_SHOWS) as [AccountShow, ...AccountShow[]], { error: `must be one of ${Object.keys(ACCOUNT_SHOWS).join(", ")}` }).default("positions"),
  q: z
    .string()
    .max(42, { error: "is at most 42 characters: part of an address" })
    .regex(/^(0x)?[0-9a-fA-F]*$/, { error: "must be part of an address: hexadecimal digits, with or without 0x" })
    .transform((s) => s.toLowerCase())
    .default(""),
  sort: z.enum(ACCOUNT_SORTS, { error: `must be one of ${ACCOUNT_SORTS.join(", ")}` }).default("health"),
  dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("asc"),
  offset: whole("rows to skip", 100_000_000).default(0),
  limit: whole("rows per page", ACCOUNT_PAGE_MAX)
    .refine((n) => n >= 1, { error: "must be at least 1" })
    .default(ACCOUNT_PAGE_SIZE),
});
export const accountsQueryKeys = ["show", "q", "sort", "dir", "offset", "limit"] as const;
export type AccountsQuery = z.output<typeof accountsQuery>;

/**
 * Ascending order on a column: an unknown value (no positions, no liquidation price) after every
 * known one, ties broken by address so the order is total and the same for every request. The
 * distance to liquidation sorts by its size (−3 % is nearer than +5 %).
 */
export function compareAccountRows(sort: AccountSort): (a: AccountRow, b: AccountRow) => number {
  const key = (r: AccountRow): number | string => {
    const v = r[sort];
    if (v === null) return Infinity;
    return sort === "distanceToLiquidation" ? Math.abs(v as number) : v;
  };
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  };
}

/** Whether an address matches the search: from its start when the search starts with 0x, anywhere otherwise. */
export function addressMatches(address: string, q: string): boolean {
  return q === "" || (q.startsWith("0x") ? address.startsWith(q) : address.includes(q));
}
