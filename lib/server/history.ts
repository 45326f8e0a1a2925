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
import type { HistoryPointWire } from "../api/wire.ts";

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

/** healthQuantiles' working copy, kept between calls (a block's worth of megabytes at 1,000,000 accounts). */
let scratch = new Float64Array(0);

/**
 * Health at the 10th and 50th percentile of the accounts that have one (positions and a
 * maintenance margin; null — or NaN, as the block worker keeps them — without any): the values
 * at those ranks of the ascending order, found by selection in linear time rather than by sorting
 * (at 1,000,000 accounts a sort was ~0.1 s of every block).
 */
export function healthQuantiles(healths: ArrayLike<number | null>): { p10: number | null; p50: number | null } {
  if (scratch.length < healths.length) scratch = new Float64Array(healths.length);
  const known = scratch;
  let n = 0;
  for (let i = 0; i < healths.length; i++) {
    const h = healths[i]!;
    if (h !== null && !Number.isNaN(h)) known[n++] = h;
  }
  if (n === 0) return { p10: null, p50: null };
  const rank = (q: number) => Math.min(n - 1, Math.floor(q * n));
  const [r50, r10] = [rank(0.5), rank(0.1)];
  // After the first selection every value below r50 is at most known[r50]: the second looks only there.
  select(known, r50, 0, n - 1);
  select(known, r10, 0, r50);
  // −0 and +0 are equal healths, either of which a selection (or a sort) may put at a rank: +0.
  return { p10: known[r10]! + 0, p50: known[r50]! + 0 };
}

/** Puts into a[k] the value a sort of a[lo..hi] would put there, the smaller ones before it and the larger after (Hoare's selection, middle pivot). */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j]!, a[i]!];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * A block's figures as the history keeps them, computed with its views by the block worker (which
 * passes the accounts' `healths` from their rows: each health as the table shows it, NaN or null
 * for none); the keeper's lag comes from the detectors, later (withKeeperLag).
 */
export function historyPointOf(s: ProtocolSnapshot, systemRisk: SystemRisk, cover: CoverResult, healths: ArrayLike<number | null>): HistoryPointWire {
  const { p10, p50 } = healthQuantiles(healths);
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
