/**
 * Several dashboard servers on one Postgres (DATABASE_URL): each block is read from the chain and
 * its views computed once, by one of them — the publisher, whoever holds a session advisory lock —
 * which stores the result in `shared_blocks` and announces it with NOTIFY. The others (followers)
 * LISTEN and load a block's read from the database instead of reading the chain and running the
 * engine again, so every server serves the same block with the same bytes.
 *
 * A follower that has waited PEER_WAIT_MS for a block the publisher has not stored (it died, or
 * is behind) reads that block itself: a page never waits on a peer for longer. It also tries for
 * the lock every few seconds, so when the publisher goes, one follower takes its place.
 */

import { gunzipSync, gzipSync } from "node:zlib";
import pg from "pg";
import type { Block } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { fromJson, toJson } from "../../engine/serialize.ts";
import type { Monitor } from "../actions/readMonitor.ts";
import { messageOf } from "../errors/messageOf.ts";
import { BlockReadError, type BlockRead, type BlockReader } from "./blockReader.ts";
import { withAdlLightsOnRead, type BlockViews } from "./views.ts";
import { compactAccountTable, type AccountTable } from "./accountTable.ts";

const CHANNEL = "backstop_block";
/** The advisory lock whose holder is the publisher (any number; the same for every server). */
const PUBLISHER_LOCK = 727_201;
/** How long a follower waits for the publisher to store a block before reading it itself. */
export const PEER_WAIT_MS = 8_000;
/** How often a follower tries to become the publisher. */
const TAKE_OVER_MS = 5_000;
/** Blocks kept behind the newest stored (older ones are deleted as new ones arrive). */
const KEPT_BLOCKS = 64n;

/** Where a server's reads come from: read here from the chain, or loaded from the publisher's. */
export type BlockSource = "chain" | "peer";

/**
 * What `shared_blocks` holds of a block's read: the accounts table's arrays in base64, and not
 * the ADL lights, which a server computes from the snapshot if a request reads them (as a block
 * worker's reads do: lib/server/blockReader).
 */
interface StoredBlock {
  snapshot: ProtocolSnapshot;
  views: Omit<BlockViews, "accountTable" | "adlLights">;
  accountTable: { [K in keyof AccountTable]: AccountTable[K] extends number ? number : AccountTable[K] extends unknown[] ? string[] : string };
  monitor: Monitor | { error: string };
}

const base64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
/** The bytes of `text` (base64) in a buffer of their own, as `Array` reads them. */
function fromBase64<T>(text: string, Array: new (buffer: ArrayBuffer) => T): T {
  const bytes = Buffer.from(text, "base64");
  return new Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

export function encodeBlockRead(read: BlockRead, monitor: Monitor | { error: string }): Buffer {
  const { accountTable: table, adlLights, ...views } = read.views;
  void adlLights;
  // Only the rows' live bytes: the table's JSON lies in an arena, earlier blocks' rows between them.
  const t = compactAccountTable(table);
  const accountTable = { count: t.count, json: base64(t.json), rowStarts: base64(t.rowStarts), rowEnds: base64(t.rowEnds), addresses: base64(t.addresses), addressEnds: base64(t.addressEnds), orders: t.orders.map(base64), known: base64(t.known), shows: base64(t.shows) };
  const stored: StoredBlock = { snapshot: read.snapshot, views, accountTable, monitor };
  return gzipSync(toJson(stored));
}

export function decodeBlockRead(bytes: Uint8Array): BlockRead {
  const stored = fromJson<StoredBlock>(gunzipSync(bytes).toString());
  const t = stored.accountTable;
  const accountTable: AccountTable = {
    count: t.count,
    json: fromBase64(t.json, Uint8Array),
    rowStarts: fromBase64(t.rowStarts, Int32Array),
    rowEnds: fromBase64(t.rowEnds, Int32Array),
    addresses: fromBase64(t.addresses, Uint8Array),
    addressEnds: fromBase64(t.addressEnds, Int32Array),
    orders: t.orders.map((o) => fromBase64(o, Int32Array)),
    known: fromBase64(t.known, Int32Array),
    shows: fromBase64(t.shows, Uint8Array),
  };
  const views = withAdlLightsOnRead({ ...stored.views, accountTable }, stored.snapshot);
  const monitor = "error" in stored.monitor ? Promise.reject(new BlockReadError(stored.monitor.error)) : Promise.resolve(stored.monitor);
  monitor.catch(() => {});
  return { snapshot: stored.snapshot, views, monitor, monitorSettled: true };
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
export async function createSharedBlockReader({ url, chainId, local }: { url: string; chainId: number; local: () => BlockReader }): Promise<SharedBlockReader> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A lost connection ends the publisher's lock with it: this server then reads for itself
  // (a follower with no notifications falls back after PEER_WAIT_MS).
  client.on("error", (error) => console.error(`blocks: the database connection failed (${messageOf(error)}); reading the chain here`));
  await client.connect();
  await client.query(`create table if not exists shared_blocks (
    chain_id integer not null, block_hash text not null, block_number bigint not null, payload bytea not null,
    primary key (chain_id, block_hash))`);
  await client.query(`listen ${CHANNEL}`);

  const tryLock = async () => Boolean((await client.query<{ got: boolean }>("select pg_try_advisory_lock($1) as got", [PUBLISHER_LOCK])).rows[0]?.got);
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
  const load = async (hash: string) => (await client.query<{ payload: Buffer }>("select payload from shared_blocks where chain_id = $1 and block_hash = $2", [chainId, hash])).rows[0]?.payload;

  async function store(read: BlockRead) {
    const monitor = await read.monitor.then(
      (m) => m,
      (error: unknown) => ({ error: messageOf(error) }),
    );
    const { blockHash, blockNumber } = read.snapshot;
    await client.query("insert into shared_blocks (chain_id, block_hash, block_number, payload) values ($1, $2, $3, $4) on conflict do nothing", [chainId, blockHash, blockNumber.toString(), encodeBlockRead(read, monitor)]);
    await client.query("select pg_notify($1, $2)", [CHANNEL, blockHash]);
    await client.query("delete from shared_blocks where chain_id = $1 and block_number < $2", [chainId, (blockNumber - KEPT_BLOCKS).toString()]);
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
      let stored = await load(block.hash).catch(() => undefined);
      if (stored) announcement.cancel();
      else stored = (await announcement.promise, await load(block.hash).catch(() => undefined));
      if (!stored) return readHere(block);
      remember(block.hash, "peer");
      return decodeBlockRead(stored);
    },
    publishing: () => publisher,
    sourceOf: (hash) => sources.get(hash),
    async close() {
      clearInterval(takeOver);
      await client.end();
    },
  };
}
