/**
 * Several dashboard servers on one Postgres (DATABASE_URL): each block is read from the chain and
 * its views computed once, by one of them — the publisher, whoever holds a session advisory lock —
 * which stores the result in `block_reads` (and its bytes in `block_read_parts`) and announces it with NOTIFY. The others (followers)
 * LISTEN and load a block's read from the database instead of reading the chain and running the
 * engine again, so every server serves the same block with the same bytes.
 *
 * A follower that has waited PEER_WAIT_MS for a block the publisher has not stored (it died, or
 * is behind) reads that block itself: a page never waits on a peer for longer. It also tries for
 * the lock every few seconds, so when the publisher goes, one follower takes its place.
 */

import { randomUUID } from "node:crypto";
import { deserialize } from "node:v8";
import pg from "pg";
import type { Block } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { fromJson, toJson } from "../../engine/serialize.ts";
import type { Monitor } from "../actions/readMonitor.ts";
import { messageOf } from "../errors/messageOf.ts";
import { BlockReadError, readOfBytes, type BlockRead, type BlockReader } from "./blockReader.ts";
import type { AccountTable } from "./accountTable.ts";
import { viewsWithoutLights, type BlockViews } from "./views.ts";
import { poolSnapshotOf } from "./poolSnapshot.ts";

const CHANNEL = "backstop_block";
/** The advisory lock whose holder is the publisher (any number; the same for every server). */
const PUBLISHER_LOCK = 727_201;
/** How long a follower waits for the publisher to store a block before reading it itself. */
export const PEER_WAIT_MS = 8_000;
/** How often a follower tries to become the publisher. */
const TAKE_OVER_MS = 5_000;
/**
 * Blocks kept behind the newest stored (older ones are deleted as new ones arrive). A follower
 * loads the block its requests ask for, the head or close to it; at 1,000,000 accounts a block's
 * read is ~0.6 GB, so the database holds a few.
 */
const KEPT_BLOCKS = 8n;
/**
 * A part is stored in rows of at most this many bytes. A bytea comes back as hex text (node-postgres
 * reads every result as text: its binary results decode bytes as UTF-8), twice its size, in one
 * string; this keeps those strings small, and far from V8's longest (~512 MB).
 */
const PIECE_BYTES = 16 * 1024 * 1024;

/** Where a server's reads come from: read here from the chain, or loaded from the publisher's. */
export type BlockSource = "chain" | "peer";

/**
 * A block's read as the database holds it: a header (JSON: the views but the accounts table, the
 * detectors, the table's row count, each part's length) and the parts, bytes as they lie in
 * memory — the snapshot but its accounts (v8.serialize, as the engine pool gets it), the accounts'
 * bytes (as the block worker handed them over: lib/server/lazyTransfer) and the accounts table's
 * arrays (lib/server/accountTable). Not the ADL lights, which a server computes from the snapshot
 * if a request reads them (as a block worker's reads do: lib/server/blockReader).
 *
 * Nothing is parsed, serialised or compressed to store a block: at 1,000,000 accounts, writing
 * the read as JSON deserialised a million accounts on the request thread each block and then
 * failed (the text outgrew V8's longest string).
 */
export interface EncodedBlockRead {
  header: string;
  parts: Uint8Array[];
}

interface StoredHeader {
  views: Omit<BlockViews, "accountTable" | "adlLights">;
  monitor: Monitor | { error: string };
  count: number;
  /** The table's lists of markets (a handful of short JSON texts). */
  marketLists: string[];
  /** The arena the accounts' bytes were in at the publisher (lib/server/rowArena): a follower's engine pool reads the next block's from this one's by place. Absent in blocks stored by earlier versions. */
  accountsArena?: string;
  /** The accounts table's name of its addresses (lib/server/accountTable): a follower's request thread keeps its searches of them by it. Absent in blocks stored by earlier versions. */
  addressesName?: string;
  lengths: number[];
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** The parts before the orders; the table's orders follow them, one part each. */
const FIXED_PARTS = 16;

export function encodeBlockRead(read: BlockRead, monitor: Monitor | { error: string }): EncodedBlockRead {
  const { accountTable: t, ...views } = viewsWithoutLights(read.views);
  const { meta, accounts } = poolSnapshotOf(read.snapshot);
  // The arenas whole, earlier blocks' rows between the live ones: a row's place is its start and end.
  const parts = [meta, accounts.bytes, accounts.starts, accounts.ends, t.equityUsd, t.notionalUsd, t.health, t.leverage, t.distanceToLiquidation, t.adlLight, t.liquidatable, t.markets, t.addresses, t.addressEnds, t.known, t.shows, ...t.orders].map(bytesOf);
  const header: StoredHeader = { views, monitor, count: t.count, marketLists: t.marketLists, accountsArena: accounts.arena, addressesName: t.addressesName, lengths: parts.map((p) => p.byteLength) };
  return { header: toJson(header), parts };
}

/**
 * The read `encoded` holds. Its parts must start at multiples of 8 bytes (the number arrays are read
 * in place); in shared memory, the engine pool's threads read the accounts' bytes without a copy.
 */
export function decodeBlockRead({ header, parts }: EncodedBlockRead): BlockRead {
  const stored = fromJson<StoredHeader>(header);
  const ints = (p: Uint8Array) => new Int32Array(p.buffer, p.byteOffset, p.byteLength / 4);
  const floats = (p: Uint8Array) => new Float64Array(p.buffer, p.byteOffset, p.byteLength / 8);
  const [meta, accountBytes, accountStarts, accountEnds, equityUsd, notionalUsd, health, leverage, distanceToLiquidation, adlLight, liquidatable, markets, addresses, addressEnds, known, shows] = parts as [Uint8Array, ...Uint8Array[]];
  const rest = deserialize(meta) as Omit<ProtocolSnapshot, "accounts">;
  const accountTable: AccountTable = {
    count: stored.count,
    equityUsd: floats(equityUsd!),
    notionalUsd: floats(notionalUsd!),
    health: floats(health!),
    leverage: floats(leverage!),
    distanceToLiquidation: floats(distanceToLiquidation!),
    adlLight: new Int8Array(adlLight!.buffer, adlLight!.byteOffset, adlLight!.byteLength),
    liquidatable: liquidatable!,
    markets: ints(markets!),
    marketLists: stored.marketLists,
    addresses: addresses!,
    addressesName: stored.addressesName ?? randomUUID(),
    addressEnds: ints(addressEnds!),
    known: ints(known!),
    shows: shows!,
    orders: parts.slice(FIXED_PARTS).map(ints),
  };
  const { snapshot, views } = readOfBytes(rest, { bytes: accountBytes!, starts: ints(accountStarts!), ends: ints(accountEnds!), arena: stored.accountsArena ?? randomUUID() }, { ...stored.views, accountTable });
  const monitor = "error" in stored.monitor ? Promise.reject(new BlockReadError(stored.monitor.error)) : Promise.resolve(stored.monitor);
  monitor.catch(() => {});
  return { snapshot, views, timing: {}, monitor };
}

export interface SharedBlockReader extends BlockReader {
  /** Whether this server is the publisher now. */
  publishing(): boolean;
  /** Where the read of `blockHash` came from, if this server has it. */
  sourceOf(blockHash: string): BlockSource | undefined;
  close(): Promise<void>;
}

/**
 * A BlockReader shared through the Postgres at `url`: the publisher reads with `local` and
 * stores; a follower loads what the publisher stored. `local` is created only when used.
 */
export async function createSharedBlockReader({ url, chainId, local, pieceBytes = PIECE_BYTES }: { url: string; chainId: number; local: () => BlockReader; /** The bytes of a stored piece (PIECE_BYTES; smaller in a test). */ pieceBytes?: number }): Promise<SharedBlockReader> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A lost connection ends the publisher's lock with it: this server then reads for itself
  // (a follower with no notifications falls back after PEER_WAIT_MS).
  client.on("error", (error) => console.error(`blocks: the database connection failed (${messageOf(error)}); reading the chain here`));
  await client.connect();
  // One query at a time: pg queues those sent while one runs, but says it will stop (pg 9) and
  // warns; the publisher's store runs beside the publisher lock's retries, a follower's load too.
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>> => {
    const run = queue.then(() => client.query<R>(text, values));
    queue = run.catch(() => {});
    return run;
  };
  await client.query(`create table if not exists block_reads (
    chain_id integer not null, block_hash text not null, block_number bigint not null, header text not null,
    primary key (chain_id, block_hash))`);
  await client.query(`create table if not exists block_read_parts (
    chain_id integer not null, block_hash text not null, block_number bigint not null, part integer not null, piece integer not null, bytes bytea not null,
    primary key (chain_id, block_hash, part, piece))`);
  // Stored as they are: Postgres's compression (pglz) would spend seconds of its CPU on each block of a big venue.
  await client.query("alter table block_read_parts alter column bytes set storage external");
  // Blocks stored as one gzipped JSON by earlier versions.
  await client.query("drop table if exists shared_blocks");
  await client.query(`listen ${CHANNEL}`);

  const tryLock = async () => Boolean((await query<{ got: boolean }>("select pg_try_advisory_lock($1) as got", [PUBLISHER_LOCK])).rows[0]?.got);
  let publisher = await tryLock();
  const takeOver = setInterval(() => {
    if (!publisher) tryLock().then((got) => (publisher = got), () => {});
  }, TAKE_OVER_MS);
  takeOver.unref();

  const waiting = new Map<string, Set<() => void>>();
  client.on("notification", (n) => {
    for (const wake of waiting.get(n.payload ?? "") ?? []) wake();
  });
  /** Resolves when `hash` is announced, or after `ms`; `cancel` ends the wait at once. */
  const announced = (hash: string, ms: number) => {
    let wake = () => {};
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), ms);
      wake = () => {
        clearTimeout(timer);
        waiting.get(hash)?.delete(wake);
        if (waiting.get(hash)?.size === 0) waiting.delete(hash);
        resolve();
      };
      waiting.set(hash, (waiting.get(hash) ?? new Set()).add(wake));
    });
    return { promise, cancel: () => wake() };
  };

  const sources = new Map<string, BlockSource>();
  const remember = (hash: string, source: BlockSource) => {
    sources.set(hash, source);
    if (sources.size > Number(KEPT_BLOCKS)) sources.delete(sources.keys().next().value!);
  };
  /** The read of `hash` the publisher stored, its parts in shared memory; undefined if it is not (wholly) there. */
  const load = async (hash: string): Promise<EncodedBlockRead | undefined> => {
    const head = (await query<{ header: string }>("select header from block_reads where chain_id = $1 and block_hash = $2", [chainId, hash])).rows[0];
    if (!head) return undefined;
    const { lengths } = fromJson<StoredHeader>(head.header);
    const parts = lengths.map((length) => new Uint8Array(new SharedArrayBuffer(length)));
    const filled = lengths.map(() => 0);
    const pieces = await query<{ part: number; piece: number; bytes: Buffer }>({ text: "select part, piece, bytes from block_read_parts where chain_id = $1 and block_hash = $2 order by part, piece", values: [chainId, hash] });
    for (const { part, piece, bytes } of pieces.rows) {
      if (piece * pieceBytes !== filled[part] || filled[part]! + bytes.byteLength > lengths[part]!) return undefined;
      parts[part]!.set(bytes, filled[part]);
      filled[part]! += bytes.byteLength;
    }
    // Deleted meanwhile (the publisher moved KEPT_BLOCKS past it): not there.
    return filled.every((f, part) => f === lengths[part]) ? { header: head.header, parts } : undefined;
  };

  async function store(read: BlockRead) {
    const monitor = await read.monitor.then(
      (m) => m,
      (error: unknown) => ({ error: messageOf(error) }),
    );
    const { blockHash, blockNumber } = read.snapshot;
    const { header, parts } = encodeBlockRead(read, monitor);
    const key = [chainId, blockHash, blockNumber.toString()];
    // The parts first, the header last: a follower that finds the header finds every part.
    for (const [part, bytes] of parts.entries()) {
      for (let piece = 0; piece * pieceBytes < bytes.byteLength; piece++) {
        const slice = bytes.subarray(piece * pieceBytes, (piece + 1) * pieceBytes);
        await query("insert into block_read_parts (chain_id, block_hash, block_number, part, piece, bytes) values ($1, $2, $3, $4, $5, $6) on conflict do nothing", [...key, part, piece, Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength)]);
      }
    }
    await query("insert into block_reads (chain_id, block_hash, block_number, header) values ($1, $2, $3, $4) on conflict do nothing", [...key, header]);
    await query("select pg_notify($1, $2)", [CHANNEL, blockHash]);
    const old = [chainId, (blockNumber - KEPT_BLOCKS).toString()];
    await query("delete from block_reads where chain_id = $1 and block_number < $2", old);
    await query("delete from block_read_parts where chain_id = $1 and block_number < $2", old);
  }

  let reader: BlockReader | undefined;
  const readHere = async (block: Block<bigint, false, "latest">) => {
    const read = await (reader ??= local()).read(block);
    remember(block.hash, "chain");
    if (publisher) store(read).catch((error: unknown) => console.error(`blocks: block ${block.number} not shared: ${messageOf(error)}`));
    return read;
  };

  return {
    async read(block) {
      if (publisher) return readHere(block);
      // Listening before looking: an announcement between the two is not missed.
      const announcement = announced(block.hash, PEER_WAIT_MS);
      const started = performance.now();
      let stored = await load(block.hash).catch(() => undefined);
      if (stored) announcement.cancel();
      else {
        await announcement.promise;
        stored = await load(block.hash).catch((error: unknown) => {
          console.error(`blocks: block ${block.number} as the publisher stored it could not be loaded (${messageOf(error)}); reading the chain here`);
          return undefined;
        });
      }
      if (!stored) return readHere(block);
      remember(block.hash, "peer");
      const read = decodeBlockRead(stored);
      read.timing = { load: performance.now() - started };
      return read;
    },
    publishing: () => publisher,
    sourceOf: (hash) => sources.get(hash),
    async close() {
      clearInterval(takeOver);
      await client.end();
    },
  };
}
