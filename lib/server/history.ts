/**
 * The system's figures over time: each block the server publishes is recorded once in Backstop's
 * database (lib/db) — reserves, Cover-2, open interest against its cap per market, liquidatable
 * accounts, health quantiles, keeper lag — and the pages chart them over a chosen range.
 *
 * One row per (chain, block number): a reorg's new block at the same height replaces the old
 * one's row. Several servers on one Postgres record the same block once (the insert is
 * idempotent). The figures are USD floats: a chart's precision, not the engine's (the exact
 * figures are the snapshot's). Blocks are recorded as the server reads them, which it does while
 * anyone watches a page; at scale BACKSTOP_HISTORY_EVERY records every N-th block only.
 */

import { z } from "zod";
import { type CoverResult, type ProtocolSnapshot, type SystemRisk } from "../../engine/index.ts";
import type { Monitor } from "../actions/readMonitor.ts";
import type { Database } from "../db/database.ts";
import { ACCOUNT_SORTS } from "../api/accountsQuery.ts";
import type { HistoryPointWire } from "../api/wire.ts";
import type { AccountTable } from "./accountTable.ts";

const usd = (wad: bigint) => Number(wad) / 1e18;

/** The ranges a chart offers, in seconds of chain time back from the newest recorded block. */
export const HISTORY_RANGES = { "1h": 3_600, "24h": 86_400, "7d": 604_800, "30d": 2_592_000, all: null } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
/** Points a chart gets at most: each the last block of its time bucket. */
export const HISTORY_POINTS = 240;

export const historyQuery = z.object({
  range: z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]], { error: `must be one of ${Object.keys(HISTORY_RANGES).join(", ")}` }).default("24h"),
});
export const historyQueryKeys = ["range"] as const;

/** The accounts table's health column: ACCOUNT_SORTS's index of it. */
const HEALTH = ACCOUNT_SORTS.indexOf("health");

/**
 * Health at the 10th and 50th percentile of the accounts that have one (positions and a
 * maintenance margin), read from the accounts table: the healths at those ranks of its health
 * order (ascending, the `known` rows with a health first) — no pass over the rows (at 1,000,000
 * accounts a selection over every health was ~20 ms of every block).
 */
export function healthQuantiles(table: Pick<AccountTable, "health" | "orders" | "known">): { p10: number | null; p50: number | null } {
  const n = table.known[HEALTH]!;
  if (n === 0) return { p10: null, p50: null };
  const order = table.orders[HEALTH]!;
  // −0 and +0 are equal healths, either of which the order may put at a rank: +0.
  const at = (q: number) => table.health[order[Math.min(n - 1, Math.floor(q * n))]!]! + 0;
  return { p10: at(0.1), p50: at(0.5) };
}

/**
 * A block's figures as the history keeps them, computed with its views by the block worker (the
 * health quantiles from its accounts `table`: each health as the table shows it); the keeper's lag
 * comes from the detectors, later (withKeeperLag).
 */
export function historyPointOf(s: ProtocolSnapshot, systemRisk: SystemRisk, cover: CoverResult, table: Pick<AccountTable, "health" | "orders" | "known">): HistoryPointWire {
  const { p10, p50 } = healthQuantiles(table);
  return {
    blockNumber: s.blockNumber.toString(),
    timestamp: Number(s.timestamp),
    insuranceFundUsd: usd(s.reserves.insuranceFundUsd),
    defaultFundUsd: usd(s.reserves.defaultFundUsd),
    badDebtUsd: usd(s.reserves.badDebtUsd),
    cover2Usd: usd(cover.cover2Usd),
    totalEquityUsd: usd(systemRisk.totalEquityUsd),
    liquidatable: systemRisk.liquidatable.length,
    withPositions: systemRisk.accountsWithPositions,
    healthP10: p10,
    healthP50: p50,
    keeperLagBlocks: null,
    markets: systemRisk.markets.map((m) => ({ symbol: s.markets[m.marketId]!.symbol, openInterestUsd: usd(m.openInterestUsd), oiCapUsd: usd(m.oiCapUsd) })),
  };
}

/** The point with the keeper's lag from the block's detectors (the longest a liquidatable account has waited). */
export function withKeeperLag(point: HistoryPointWire, monitor: Monitor | undefined): HistoryPointWire {
  const lag = monitor?.health.keeperLag.maxWaitingBlocks;
  return lag === undefined || lag === null ? point : { ...point, keeperLagBlocks: Number(lag) };
}

export async function recordHistoryPoint(db: Database, chainId: number, blockHash: string, point: HistoryPointWire): Promise<void> {
  const { blockNumber, timestamp, ...figures } = point;
  await db.query(
    `insert into system_history (chain_id, block_number, block_hash, block_time, figures)
     values ($1, $2, $3, to_timestamp($4), $5)
     on conflict (chain_id, block_number) do update
       set block_hash = excluded.block_hash, block_time = excluded.block_time, figures = excluded.figures
       where system_history.block_hash <> excluded.block_hash`,
    [chainId, blockNumber, blockHash, timestamp, JSON.stringify(figures)],
  );
}

/**
 * The history over `range` (chain time back from the newest recorded block), at most
 * HISTORY_POINTS points: the range's blocks cut into equal runs of block numbers back from the
 * newest, each run shown by its last block. (Runs of blocks, not of time: a young chain's few
 * minutes still draw as many points as it has blocks.)
 */
export async function readHistory(db: Database, chainId: number, range: HistoryRange): Promise<HistoryPointWire[]> {
  const rows = await db.query<{ block_number: string; seconds: number; figures: Omit<HistoryPointWire, "blockNumber" | "timestamp"> | string }>(
    `with windowed as (
       select * from system_history
       where chain_id = $1
         and ($2::float8 is null or block_time >= (select max(block_time) from system_history where chain_id = $1) - make_interval(secs => $2::float8))
     ),
     bounds as (select max(block_number) as newest, greatest(ceil((max(block_number) - min(block_number) + 1) / $3::numeric), 1) as width from windowed)
     select distinct on (bucket) block_number::text, extract(epoch from block_time)::float8 as seconds, figures
     from (select w.*, floor((b.newest - w.block_number) / b.width) as bucket from windowed w, bounds b) bucketed
     order by bucket, block_number desc`,
    [chainId, HISTORY_RANGES[range], HISTORY_POINTS],
  );
  return rows
    .map((r) => ({ blockNumber: r.block_number, timestamp: r.seconds, ...(typeof r.figures === "string" ? JSON.parse(r.figures) : r.figures) }))
    .sort((a, b) => (BigInt(a.blockNumber) < BigInt(b.blockNumber) ? -1 : 1));
}

/** The number of blocks between two recorded ones (BACKSTOP_HISTORY_EVERY, default 1: every block). */
export function historyEvery(env: NodeJS.ProcessEnv = process.env): number {
  const every = Number(env.BACKSTOP_HISTORY_EVERY || 1);
  return Number.isSafeInteger(every) && every >= 1 ? every : 1;
}
