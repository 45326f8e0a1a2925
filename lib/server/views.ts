/**
 * Per-block views of the snapshot that several pages and API routes share. They are computed
 * once per block, off the request thread (lib/server/blockWorker.ts), together with the
 * snapshot itself: with 5,000 accounts, computing or serialising them on the thread that
 * answers requests held every request behind it.
 */

import { gzipSync } from "node:zlib";
import {
  abs,
  computeAccountRisk,
  computeAdlLights,
  computeBankRunExposure,
  computeCover,
  computeHealth,
  computeLiquidationMap,
  computeSystemRisk,
  extremeShock,
  mulDivDown,
  WAD,
  type AdlLight,
  type CoverResult,
  type ExtremeMove,
  type LiquidationMapBucket,
  type ProtocolSnapshot,
  type SystemRisk,
} from "../../engine/index.ts";
import { toJson } from "../../engine/serialize.ts";
import type { AccountRow, AccountsWire, StaleWire } from "../api/wire.ts";

/** A JSON body in UTF-8, and gzipped for the clients that take it (browsers do: 1.5 MB of snapshot is 0.2 MB). */
export interface EncodedJson {
  identity: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

export interface BlockViews {
  systemRisk: SystemRisk;
  /** Cover-1/2 under each market's worst recorded move. */
  cover: CoverResult;
  /** The snapshot as JSON (exact bigints, engine/serialize): what GET /api/snapshot answers. */
  snapshotJson: EncodedJson;
  /** What GET /api/accounts answers while the chain is readable (accountsBody with stale null). */
  accountsJson: EncodedJson;
  /** Every account's row as a JSON array, UTF-8, for accountsBody with a stale mark. */
  accountRowsJson: Uint8Array<ArrayBuffer>;
  /** The move Cover-N applies: each market's worst recorded drawdown. */
  shocks: ExtremeMove[];
  /** ADL lights of every open position, keyed `${address}:${marketId}` (the account rows need them anyway). */
  adlLights: Map<string, AdlLight>;
}

export function accountRows(s: ProtocolSnapshot, lights = computeAdlLights(s)): AccountRow[] {
  return s.accounts.map((account): AccountRow => {
    const h = computeHealth(s, account);
    const distances = h.positions.map((p) => p.distanceToLiquidation).filter((d): d is number => d !== null);
    const nearest = distances.length ? distances.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a)) : null;
    const adl = account.positions.map((p) => lights.get(`${account.address}:${p.marketId}`)?.light ?? 0);
    return {
      address: account.address,
      equityUsd: Number(h.risk.equityUsd) / 1e18,
      notionalUsd: Number(h.risk.notionalUsd) / 1e18,
      health: h.health,
      leverage: h.leverage,
      distanceToLiquidation: nearest,
      markets: account.positions.map((p) => s.markets[p.marketId]!.symbol),
      adlLight: adl.length ? Math.max(...adl) : null,
      liquidatable: h.liquidatable,
    };
  });
}

const utf8 = new TextEncoder();

/**
 * GET /api/accounts's body (AccountsWire), around the rows' JSON, which is serialised once per
 * block: the envelope is built typed, and its closing brace makes room for `"rows":…`.
 */
export function accountsBody(s: Pick<ProtocolSnapshot, "blockNumber" | "blockHash">, stale: StaleWire | undefined, rowsJson: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  const envelope = { blockNumber: s.blockNumber.toString(), blockHash: s.blockHash, stale: stale ?? null } satisfies Omit<AccountsWire, "rows">;
  const head = `${JSON.stringify(envelope).slice(0, -1)},"rows":`;
  return [utf8.encode(head), rowsJson, utf8.encode("}")];
}

function encoded(chunks: Uint8Array<ArrayBuffer>[]): EncodedJson {
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

export function computeBlockViews(s: ProtocolSnapshot): BlockViews {
  const adlLights = computeAdlLights(s);
  const accountRowsJson = utf8.encode(JSON.stringify(accountRows(s, adlLights)));
  const shocks = extremeShock(s.markets);
  return {
    systemRisk: computeSystemRisk(s, { nearest: 10 }),
    cover: computeCover(s, shocks.map((m) => m.move)),
    snapshotJson: encoded([utf8.encode(toJson(s))]),
    accountsJson: encoded(accountsBody(s, null, accountRowsJson)),
    accountRowsJson,
    shocks,
    adlLights,
  };
}

/** The buffers of a BlockViews, to transfer from the worker to the request thread without a copy. */
export function viewBuffers(views: BlockViews): ArrayBuffer[] {
  return [...new Set([views.snapshotJson.identity, views.snapshotJson.gzip, views.accountsJson.identity, views.accountsJson.gzip, views.accountRowsJson].map((b) => b.buffer))];
}

/** Markets for client components: WAD parameters as decimal strings (props cross the server boundary as JSON). */
export function marketsForClient(s: ProtocolSnapshot) {
  return s.markets.map((m) => ({
    id: m.id,
    symbol: m.symbol,
    params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])) as Record<keyof typeof m.params, string>,
  }));
}
