/**
 * Per-block views of the snapshot that several pages and API routes share. They are computed
 * once per block, off the request thread (lib/server/blockWorker.ts), together with the
 * snapshot itself: with 5,000 accounts, computing or serialising them on the thread that
 * answers requests held every request behind it. The worker computes each block's from the last
 * block's (lib/server/followBlockViews); computeBlockViews is the same from scratch.
 */

import { gzipSync } from "node:zlib";
import {
  abs,
  computeAccountRisk,
  computeAdlLights,
  computeBankRunExposure,
  computeCover,
  computeLiquidationMap,
  computeSystemRisk,
  createFigures,
  exactFigures,
  extremeShock,
  mulDivDown,
  WAD,
  type Account,
  type AccountRisk,
  type AdlLight,
  type CoverResult,
  type ExtremeMove,
  type Figures,
  type LiquidationMapBucket,
  type ProtocolSnapshot,
  type SystemRisk,
} from "../../engine/index.ts";
import { toJson } from "../../engine/serialize.ts";
import type { AccountsQuery } from "../api/accountsQuery.ts";
import type { AccountRow, HistoryPointWire, StaleWire } from "../api/wire.ts";
import { accountPageJson, createAccountTableBuilder, orNull, pageOfAccountTable, type AccountTable, type AccountTableBuilder } from "./accountTable.ts";
import { historyPointOf } from "./history.ts";
import { withLazyProperty } from "./lazyTransfer.ts";
import { BackstopError } from "../errors/backstopError.ts";

/** A JSON body in UTF-8, and gzipped for the clients that take it (browsers do: 1.5 MB of snapshot is 0.2 MB). */
export interface EncodedJson {
  identity: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

/**
 * The most accounts a venue may have for the browser to be sent it whole (GET /api/snapshot: the
 * builder's live preview and the stress lab run the engine in the browser). At 20,000 the body is
 * ~1 MB gzipped and a fraction of a second of the request thread's time once a block; a bigger
 * venue's snapshot is never made into a body, and those pages run the engine on the server's
 * engine pool instead (lib/server/enginePool). The default of browserVenueMax().
 */
export const BROWSER_VENUE_MAX = 20_000;

/**
 * The browser limit in force: BACKSTOP_BROWSER_VENUE_MAX accounts (a whole number, 0 sends no
 * venue to the browser: every preview and stress run on the server), else BROWSER_VENUE_MAX.
 * Tests set it low to take the server's path on a small venue.
 */
export function browserVenueMax(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BACKSTOP_BROWSER_VENUE_MAX;
  if (raw === undefined || raw.trim() === "") return BROWSER_VENUE_MAX;
  const max = Number(raw);
  if (!Number.isSafeInteger(max) || max < 0) throw new BackstopError(`BACKSTOP_BROWSER_VENUE_MAX must be a whole number of accounts, 0 or more (it is "${raw}")`);
  return max;
}

/** Whether a venue of `accountCount` accounts is sent to the browser for the engine to run there, or run on the server's pool. */
export const engineSideOf = (accountCount: number, env?: Record<string, string | undefined>): "browser" | "server" => (accountCount <= browserVenueMax(env) ? "browser" : "server");

export interface BlockViews {
  systemRisk: SystemRisk;
  /** Cover-1/2 under each market's worst recorded move. */
  cover: CoverResult;
  /** Every account's row (accountRows), written and ordered for GET /api/accounts to page (accountPage). */
  accountTable: AccountTable;
  /** How many accounts the snapshot has, and open positions they hold (the overview's figures, without the accounts). */
  accountCount: number;
  openPositions: number;
  /** The move Cover-N applies: each market's worst recorded drawdown. */
  shocks: ExtremeMove[];
  /**
   * ADL lights of every open position, keyed `${address}:${marketId}` (the account rows need them
   * anyway). They do not cross to the request thread: there the first request that reads them
   * computes them again (lib/server/blockReader).
   */
  adlLights: Map<string, AdlLight>;
  /** The block's figures for the history (lib/server/history), but the keeper's lag. */
  history: HistoryPointWire;
}

/**
 * An account's row from its figures (engine screenFigures' or exactFigures': rounded to what the
 * table shows and a little more — cents; health and leverage to 0.0001; distance to 0.0001 % —
 * so that a page of 200 rows fits in 50 kB, and so that the float screen can tell them without a
 * bigint), with `brightest`, the brightest ADL light of its positions (0 when none is lit).
 */
function rowOfFigures(s: ProtocolSnapshot, account: Account, f: Figures, brightest: number): AccountRow {
  return {
    address: account.address,
    equityUsd: f.equityUsd,
    notionalUsd: f.notionalUsd,
    health: orNull(f.health),
    leverage: orNull(f.leverage),
    distanceToLiquidation: orNull(f.distanceToLiquidation),
    markets: account.positions.map((p) => s.markets[p.marketId]!.symbol),
    adlLight: account.positions.length ? brightest : null,
    liquidatable: f.liquidatable,
  };
}

const exact = createFigures(0);

/** An account's row from its exact risk (rowOfFigures of exactFigures). */
export function accountRowOf(s: ProtocolSnapshot, account: Account, risk: AccountRisk, brightest: number): AccountRow {
  return rowOfFigures(s, account, exactFigures(s, account, risk, exact), brightest);
}

/**
 * Every account's row (accountRowOf), with the brightest ADL light of its positions from `lights`.
 * `risks[i]` is the exact risk of account i.
 */
export function accountRows(s: ProtocolSnapshot, risks: readonly AccountRisk[], lights = computeAdlLights(s, (row) => risks[row]!)): AccountRow[] {
  // The lights are keyed by address and market: one pass over them finds each row's brightest
  // (a key built per position to look it up cost ~0.3 s at 100,000 accounts).
  const rowOf = new Map<string, number>();
  s.accounts.forEach((a, row) => rowOf.set(a.address, row));
  const brightest = new Uint8Array(s.accounts.length);
  for (const { address, light } of lights.values()) {
    const row = rowOf.get(address);
    if (row !== undefined && light > brightest[row]!) brightest[row] = light;
  }
  return s.accounts.map((account, row) => accountRowOf(s, account, risks[row]!, brightest[row]!));
}

const utf8 = new TextEncoder();

export function encoded(chunks: Uint8Array<ArrayBuffer>[]): EncodedJson {
  const identity = chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
  const gzip = gzipSync(identity);
  return { identity, gzip: new Uint8Array(gzip.buffer, gzip.byteOffset, gzip.byteLength) };
}

/**
 * Figures only some pages show, computed at most once per block, by the first request that needs
 * them, and kept with that block's views: a page never recomputes an engine figure per request,
 * and the block worker does not pay for pages nobody opens.
 */
const perBlock = new WeakMap<BlockViews, Map<string, unknown>>();
type Read = { snapshot: ProtocolSnapshot; views: BlockViews };
function oncePerBlock<T>(read: Read, key: string, compute: (s: ProtocolSnapshot) => T): T {
  let cache = perBlock.get(read.views);
  if (!cache) perBlock.set(read.views, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, compute(read.snapshot));
  return cache.get(key) as T;
}

/**
 * GET /api/accounts's answer (AccountsWire): one page of the rows the query selects, in its
 * order, cut from the block's AccountTable (lib/server/accountTable: figures in columns, ordered
 * by the block worker), so a request walks one order and writes ≤ 200 rows' JSON. Without an
 * address filter the page's body is kept for the block too (identity and gzip), as the
 * snapshot's is.
 */
export function accountPage(read: Read, stale: StaleWire | undefined, query: AccountsQuery): EncodedJson {
  const build = () => {
    const table = read.views.accountTable;
    const page = pageOfAccountTable(table, query);
    const head = { blockNumber: read.snapshot.blockNumber.toString(), blockHash: read.snapshot.blockHash, stale: stale ?? null, total: table.count, matched: page.matched, offset: query.offset };
    return encoded([accountPageJson(table, head, page.rows)]);
  };
  // A stale mark changes while the block does not; a search is one request's own.
  if (stale || query.q) return build();
  return oncePerBlock(read, `accountPage:${query.show}:${query.sort}:${query.dir}:${query.offset}:${query.limit}`, build);
}

/** The reserves page's layers beyond the funds: the equity of accounts with positions (each loss is theirs first), unrealised profit (what ADL can take), and bank-run exposure. */
export const reserveLayers = (read: Read) =>
  oncePerBlock(read, "reserveLayers", (s) => {
    let accountMarginUsd = 0n;
    let adlCapacityUsd = 0n;
    for (const a of s.accounts) {
      const risk = computeAccountRisk(s, a);
      if (risk.positions.length && risk.equityUsd > 0n) accountMarginUsd += risk.equityUsd;
      for (const p of risk.positions) if (p.upnlUsd > 0n) adlCapacityUsd += p.upnlUsd;
    }
    return { bankRun: computeBankRunExposure(s), accountMarginUsd, adlCapacityUsd };
  });

/** A market's liquidation map as its page draws it: 2.5 % buckets out to ±30 % of the mark. */
export const liquidationMap = (read: Read, marketId: number): LiquidationMapBucket[] => oncePerBlock(read, `liquidationMap:${marketId}`, (s) => computeLiquidationMap(s, marketId, { stepPct: 2.5, rangePct: 30 }));

/** A market's ten largest positions by notional at the mark. */
export const largestPositions = (read: Read, marketId: number) =>
  oncePerBlock(read, `largestPositions:${marketId}`, (s) => {
    const mark = s.markets[marketId]!.markPriceWad;
    return s.accounts
      .flatMap((a) => a.positions.filter((p) => p.marketId === marketId).map((p) => ({ address: a.address, sizeBase: p.sizeBase, notionalUsd: mulDivDown(abs(p.sizeBase), mark, WAD) })))
      .sort((x, y) => (y.notionalUsd > x.notionalUsd ? 1 : y.notionalUsd < x.notionalUsd ? -1 : 0))
      .slice(0, 10);
  });

/**
 * The views of a block, from scratch: every account valued. The block worker follows them from
 * block to block instead (lib/server/followBlockViews), which is tested against this.
 * `accountTable` builds the accounts table (a builder reused across blocks sorts from the last
 * block's address order).
 */
export function computeBlockViews(s: ProtocolSnapshot, accountTable: AccountTableBuilder = createAccountTableBuilder()): BlockViews {
  // Every account's exact risk once, for its ADL lights and its row.
  const risks = s.accounts.map((a) => computeAccountRisk(s, a));
  const adlLights = computeAdlLights(s, (row) => risks[row]!);
  const rows = accountRows(s, risks, adlLights);
  const shocks = extremeShock(s.markets);
  const systemRisk = computeSystemRisk(s, { nearest: 10 });
  const cover = computeCover(s, shocks.map((m) => m.move));
  const table = accountTable(rows);
  return {
    systemRisk,
    cover,
    history: historyPointOf(s, systemRisk, cover, table),
    accountTable: table,
    accountCount: s.accounts.length,
    openPositions: rows.reduce((n, r) => n + r.markets.length, 0),
    shocks,
    adlLights,
  };
}

/**
 * GET /api/snapshot's body: the snapshot in the engine's exact JSON (engine/serialize), and
 * gzipped, made by the first request of a block that asks — made by the block worker for every
 * block, it cost the overview's p99 under `npm run load` (653–678 ms against 383 ms this way, at
 * 5,000 accounts) for a body only the builder and the stress lab fetch. None above
 * browserVenueMax() accounts.
 */
export const snapshotBody = (read: Read): EncodedJson | undefined =>
  engineSideOf(read.views.accountCount) === "browser" ? oncePerBlock(read, "snapshotBody", (s) => encoded([utf8.encode(toJson(s))])) : undefined;

/**
 * `views` but their ADL lights, field by field: a destructuring rest or spread would read
 * `adlLights`, which on a read's views (withAdlLightsOnRead) computes them, deserialising every
 * account on the thread that asked (at 1,000,000 accounts, seconds and ~0.7 GB of the request
 * thread's heap, each block the publisher stored).
 */
export function viewsWithoutLights({ systemRisk, cover, accountTable, accountCount, openPositions, shocks, history }: BlockViews): Omit<BlockViews, "adlLights"> {
  return { systemRisk, cover, accountTable, accountCount, openPositions, shocks, history };
}

/**
 * `views` whose ADL lights are computed from `snapshot` when first read: they never cross to the
 * request thread or into the shared database (30 MB at 100,000 accounts, for the account page's
 * few readers), and the block worker's follower does not compute them either.
 */
export function withAdlLightsOnRead(views: Omit<BlockViews, "adlLights">, snapshot: ProtocolSnapshot): BlockViews {
  return withLazyProperty<BlockViews, "adlLights">(views, "adlLights", () => computeAdlLights(snapshot));
}

/** Markets for client components: WAD parameters as decimal strings (props cross the server boundary as JSON). */
export function marketsForClient(s: ProtocolSnapshot) {
  return s.markets.map((m) => ({
    id: m.id,
    symbol: m.symbol,
    params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])) as Record<keyof typeof m.params, string>,
  }));
}
