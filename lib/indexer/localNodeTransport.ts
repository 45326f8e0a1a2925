/**
 * localNodeTransport(url): the indexer's transport to a local node (anvil), where a block may hold
 * a big venue's injection (scripts/venue: ~91,000 accounts, ~310,000 logs, a 205 MB answer).
 *
 * Ponder's own HTTP transport gives every request 10 s and asks for a whole range's logs at once,
 * every filter's at the same time (sync-historical's syncLogsDynamic, Promise.all). Against a
 * node that builds each answer whole in memory, a 1,000,000-account venue's injected blocks made
 * answers of over a gigabyte, built side by side: each request timed out and was asked again, and
 * anvil grew until the bench stopped it (12 GiB) or the kernel killed it (18 GiB). Here:
 *
 * - an eth_getLogs over a block range is asked in parts of at most LOGS_GAS_PER_REQUEST gas (the
 *   blocks' gasUsed, read in JSON-RPC batches first), a block bigger than that alone, and the
 *   parts' logs joined in order: the answer the node would give, never bigger than a block's;
 * - eth_getLogs go one at a time, in the order asked;
 * - a block asked for while the same ask is out (Ponder polls the head every second) shares its
 *   answer: a node busy mining answers late, and Ponder's polls piled up behind it. Measured at
 *   1,000,000 accounts, where anvil mines a block in ~18 s: 7,956 eth_getBlockByNumber of ~10 s
 *   each, 55 connections open at once, anvil at 190 % of the machine's two cores while nothing
 *   was mined;
 * - the head Ponder polls for every 100 ms (`eth_getBlockByNumber latest` with its transactions)
 *   is asked for in full only when its number moved (eth_blockNumber, a few bytes, answers the
 *   poll meanwhile) or the full answer known is old: LATEST_RECHECK_MS, Ponder's own polling
 *   interval off a local chain, or ten times as long as that answer took to come, whichever is
 *   longer — a reorg to another block at the same height is seen within that. At 1,000,000
 *   accounts a block of 5,000 trades with its transactions is 4.9 MB and 3.5 s of anvil (measured):
 *   polled ten times a second, anvil built it back to back, a core of the two, while the
 *   dashboard read that block;
 * - every other method goes straight through;
 * - a request may take LOCAL_REQUEST_TIMEOUT_MS and its answer may be as long as a string can be;
 * - the strings logs share (the contract's address, block and transaction hashes, topics) are one
 *   string each, not one per log: Ponder holds a stretch's logs in memory until it has stored them,
 *   and JSON.parse makes each anew (shareLogStrings);
 * - a range read in more than one part says so after each part that held logs (`note`, a line on
 *   stderr that startIndexer passes on, beginning LOGS_PART_NOTE): Ponder indexes nothing of a
 *   stretch before it has all its logs, minutes at 1,000,000 accounts, and these lines are how a
 *   watcher (the demo's log, the bench's stall watch) tells that wait from a stall.
 *
 * Example: Ponder asks for blocks 200–328's logs, of which 288–298 are injected blocks of 22 G gas
 * each and the rest small: parts 200–287, 288, 289, …, 298, 299–328, asked one after another.
 * (Ponder's `ethGetLogsBlockRange: 1` does not do: Ponder paces its own requests at ~20–45 a
 * second, and a range of one block made the first 130 blocks of a local chain take 150 s.)
 */

import { custom, http, numberToHex, type Transport } from "viem";
import { MAX_RPC_ANSWER_BYTES } from "../chain.ts";

/** The least time the full head block last answered answers Ponder's polls while the head's number has not moved: Ponder's polling interval off a local chain. */
export const LATEST_RECHECK_MS = 1_000;
/** …or this many times as long as that answer took, when longer: the node spends at most a tenth of its time asked again for a head it gave. */
const LATEST_RECHECK_TIMES = 10;

/** How long one request to the local node may take: a big block's logs take seconds to build and to send. */
export const LOCAL_REQUEST_TIMEOUT_MS = 300_000;
/** Gas of the blocks asked for in one eth_getLogs: ~20 MB of an injected venue's logs (~9 bytes of JSON a gas). */
export const LOGS_GAS_PER_REQUEST = 2_000_000_000n;
/** How the line said after each part of a range's logs begins (see the file's header). */
export const LOGS_PART_NOTE = "logs read in parts:";

export interface LocalNodeTransportOptions {
  /** Gas of the blocks asked for in one eth_getLogs (default LOGS_GAS_PER_REQUEST). */
  logsGasPerRequest?: bigint;
  /** Where the line after each part of a range read in parts goes; default stderr. */
  note?: (line: string) => void;
}

type Request = (args: { method: string; params?: unknown }) => Promise<unknown>;
type LogFilter = { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };

const isQuantity = (value: unknown): value is `0x${string}` => typeof value === "string" && /^0x[0-9a-f]+$/i.test(value);

/**
 * Consecutive block ranges from `from` with these gasUsed, each at most `limit` gas or a single
 * block: [from, to] pairs. E.g. gas [1, 1, 5, 1] from 10, limit 3 → [10, 11], [12, 12], [13, 13].
 */
export function rangesByGas(from: number, gasUsed: readonly bigint[], limit: bigint): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  let sum = 0n;
  for (let i = 0; i < gasUsed.length; i++) {
    if (i > start && sum + gasUsed[i]! > limit) {
      ranges.push([from + start, from + i - 1]);
      [start, sum] = [i, 0n];
    }
    sum += gasUsed[i]!;
  }
  if (gasUsed.length > start) ranges.push([from + start, from + gasUsed.length - 1]);
  return ranges;
}

/** Reads whose concurrent identical asks share one request (see the file's header). */
const SHARED_READS = new Set(["eth_blockNumber", "eth_getBlockByNumber", "eth_getBlockByHash"]);

type RpcLog = { address?: unknown; blockHash?: unknown; transactionHash?: unknown; topics?: unknown };

/**
 * Makes equal strings of `logs` one string: each log's address, blockHash and transactionHash and
 * every topic (an event's signature; an account's address, which its several events share). A
 * million-account venue's injection is ~3.4 million logs in 11 blocks, held by Ponder at once; a
 * log's hashes and topics are ~400 of its bytes, mostly repeats. Returns `logs`, changed in place.
 */
export function shareLogStrings<T>(logs: T): T {
  if (!Array.isArray(logs)) return logs;
  const seen = new Map<string, string>();
  const one = (value: unknown) => {
    if (typeof value !== "string") return value;
    const kept = seen.get(value);
    if (kept !== undefined) return kept;
    seen.set(value, value);
    return value;
  };
  for (const log of logs as unknown[] as RpcLog[]) {
    if (typeof log !== "object" || log === null) continue;
    log.address = one(log.address);
    log.blockHash = one(log.blockHash);
    log.transactionHash = one(log.transactionHash);
    if (Array.isArray(log.topics)) for (let i = 0; i < log.topics.length; i++) log.topics[i] = one(log.topics[i]);
  }
  return logs;
}

export function localNodeTransport(url: string, { logsGasPerRequest = LOGS_GAS_PER_REQUEST, note = (line) => process.stderr.write(`${line}\n`) }: LocalNodeTransportOptions = {}): Transport {
  return ({ chain }) => {
    // The timeout given here wins over Ponder's (viem's http reads the caller's first).
    const node = http(url, { maxResponseBodySize: MAX_RPC_ANSWER_BYTES })({ chain, retryCount: 0, timeout: LOCAL_REQUEST_TIMEOUT_MS }).request as unknown as Request;
    // The blocks' headers go as JSON-RPC batches (viem's batching): a request each would be one round trip each.
    const headers = http(url, { batch: true, maxResponseBodySize: MAX_RPC_ANSWER_BYTES })({ chain, retryCount: 0, timeout: LOCAL_REQUEST_TIMEOUT_MS }).request as unknown as Request;
    /** The gasUsed of blocks from…to (0 for a block the node does not have). */
    const gasOf = (from: number, to: number): Promise<bigint[]> =>
      Promise.all(Array.from({ length: to - from + 1 }, async (_, i) => {
        const block = (await headers({ method: "eth_getBlockByNumber", params: [numberToHex(from + i), false] })) as { gasUsed: string } | null;
        return block ? BigInt(block.gasUsed) : 0n;
      }));
    const logsOf = async (args: { method: string; params?: unknown }): Promise<unknown> => {
      const [filter, ...rest] = (args.params ?? []) as [LogFilter, ...unknown[]];
      const [from, to] = [Number(filter?.fromBlock), Number(filter?.toBlock)];
      // A block hash, a tag ("latest") or a single block: one request, as asked.
      if (!isQuantity(filter?.fromBlock) || !isQuantity(filter?.toBlock) || !(to > from)) return shareLogStrings(await node(args));
      const logs: unknown[] = [];
      const parts = rangesByGas(from, await gasOf(from, to), logsGasPerRequest);
      for (const [i, [a, b]] of parts.entries()) {
        const part = (await node({ method: "eth_getLogs", params: [{ ...filter, fromBlock: numberToHex(a), toBlock: numberToHex(b) }, ...rest] })) as unknown[];
        for (const log of shareLogStrings(part)) logs.push(log);
        if (parts.length > 1 && part.length > 0) note(`${LOGS_PART_NOTE} blocks ${from}–${to}, part ${i + 1} of ${parts.length} (blocks ${a}–${b}): ${part.length.toLocaleString("en-US")} log${part.length === 1 ? "" : "s"}`);
      }
      return logs;
    };
    let logsQueue: Promise<unknown> = Promise.resolve();
    const out = new Map<string, Promise<unknown>>();
    /** The answer of a request out with the same method and parameters, each caller its own copy; else a new request. */
    const shared = (args: { method: string; params?: unknown }): Promise<unknown> => {
      const key = JSON.stringify([args.method, args.params ?? []]);
      const pending = out.get(key);
      if (pending) return pending.then((answer) => structuredClone(answer));
      const answer = node(args).finally(() => out.delete(key));
      out.set(key, answer);
      return answer;
    };
    /** The full head block last asked for, and until when it answers polls while the head's number stands (performance.now(); while it is asked, until it is answered). */
    let latest: { block: Promise<{ number?: unknown } | null>; freshUntil: number } | undefined;
    /** The head with its transactions, asked for in full only when its number moved or the one known is old (see the file's header). */
    const latestBlock = async (args: { method: string; params?: unknown }): Promise<unknown> => {
      const known = latest;
      if (known && performance.now() <= known.freshUntil) {
        const [number, block] = await Promise.all([shared({ method: "eth_blockNumber" }), known.block.catch(() => null)]);
        if (block && block.number === number) return structuredClone(block);
      }
      const askedAt = performance.now();
      // Straight to the node: polls that come while this ask is out join it above (freshUntil), and one
      // whose head moved meanwhile must not be handed this ask's answer, as `shared` would.
      const asked = { block: node(args) as Promise<{ number?: unknown } | null>, freshUntil: Infinity };
      latest = asked;
      asked.block.then(
        () => (asked.freshUntil = performance.now() + Math.max(LATEST_RECHECK_MS, LATEST_RECHECK_TIMES * (performance.now() - askedAt))),
        () => {
          if (latest === asked) latest = undefined;
        },
      );
      return structuredClone(await asked.block);
    };
    return custom({
      request(args: { method: string; params?: unknown }) {
        const [tag, full] = (args.params ?? []) as unknown[];
        if (args.method === "eth_getBlockByNumber" && tag === "latest" && full === true) return latestBlock(args);
        if (SHARED_READS.has(args.method)) return shared(args);
        if (args.method !== "eth_getLogs") return node(args);
        const answer = logsQueue.then(() => logsOf(args));
        logsQueue = answer.catch(() => undefined);
        return answer;
      },
    })({ chain, retryCount: 0 });
  };
}
