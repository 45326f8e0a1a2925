/**
 * One snapshot per block, shared by every server request: concurrent requests for the same
 * block wait on the same read; a failed read is forgotten so the next request retries.
 *
 * The cache is keyed by block HASH, not number: after a reorg the same height holds another
 * block with other state (a different price, a trade undone), and a number-keyed cache would
 * keep serving the orphaned one. Each request first asks for the head block (one cheap
 * eth_getBlockByNumber, shared by concurrent requests) and reads the state again when its hash
 * has changed.
 *
 * Reads go through viem's http transport with bounded retries and exponential backoff
 * (RPC_RETRY_COUNT retries, RPC_RETRY_DELAY_MS doubling each time) and a per-request timeout,
 * so a slow or flapping node delays a page by a known bound instead of hanging it.
 */

import { createPublicClient, http, type Block, type PublicClient } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { backstopChain } from "../chain.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { chainConfig, loadDeployment, type ChainConfig } from "../env.ts";

interface Context {
  config: ChainConfig;
  client: PublicClient;
  deployment: Deployment;
}

/** Retries after a failed RPC request (timeouts, 5xx, 429, network errors), not counting the first try. */
export const RPC_RETRY_COUNT = 3;
/** The first retry waits this long; each next one twice as long (viem: `~~(1 << count) * retryDelay`): 200, 400, 800 ms. */
export const RPC_RETRY_DELAY_MS = 200;
/** One request gives up after this long (then counts as a failure to retry). */
export const RPC_TIMEOUT_MS = 10_000;

let context: Promise<Context> | undefined;
let latest: { blockHash: `0x${string}`; snapshot: Promise<ProtocolSnapshot> } | undefined;
let head: Promise<Block<bigint, false, "latest">> | undefined;

/** The server's chain client, configuration and deployment (created once). */
export function getContext(): Promise<Context> {
  context ??= (async () => {
    const config = chainConfig();
    const deployment = await loadDeployment(config);
    const client = createPublicClient({
      chain: backstopChain(config.chainId, config.rpcUrl),
      transport: http(config.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: RPC_RETRY_COUNT, retryDelay: RPC_RETRY_DELAY_MS }),
    }) as PublicClient;
    return { config, client, deployment };
  })();
  context.catch(() => (context = undefined));
  return context;
}

export class ChainUnavailableError extends Error {
  override name = "ChainUnavailableError";
}

export interface LatestSnapshot {
  snapshot: ProtocolSnapshot;
  deployment: Deployment;
  /** Set when the chain could not be read: the snapshot shown is the last good one. */
  stale?: { reason: string; sinceMs: number; forSeconds: number };
}

let lastGood: { snapshot: ProtocolSnapshot; deployment: Deployment } | undefined;
let failingSince: number | undefined;

async function readLatest(): Promise<{ snapshot: ProtocolSnapshot; deployment: Deployment }> {
  const { client, deployment, config } = await getContext();
  let block: Block<bigint, false, "latest">;
  try {
    // Concurrent requests share one head request (no time-based cache: a reorg shows at once).
    head ??= client.getBlock({ blockTag: "latest" }).finally(() => (head = undefined));
    block = await head;
  } catch {
    throw new ChainUnavailableError(`Cannot reach the chain at ${config.rpcUrl}. Is \`npm run chain\` (or \`npm run demo\`) running?`);
  }
  if (latest?.blockHash !== block.hash) {
    const snapshot = readSnapshot(client, { deployment, block });
    latest = { blockHash: block.hash, snapshot };
    snapshot.catch(() => {
      if (latest?.snapshot === snapshot) latest = undefined;
    });
  }
  return { snapshot: await latest.snapshot, deployment };
}

/**
 * The snapshot of the latest block, read once per block and shared. When the chain cannot be
 * read, the last good snapshot comes back marked stale (with the reason and since when), so
 * pages keep their figures under a banner; with no good snapshot yet, the error is thrown.
 */
export async function getLatestSnapshot(): Promise<LatestSnapshot> {
  try {
    const read = await readLatest();
    lastGood = read;
    failingSince = undefined;
    return read;
  } catch (error) {
    if (!lastGood) throw error;
    failingSince ??= Date.now();
    const now = Date.now();
    return { ...lastGood, stale: { reason: error instanceof Error ? error.message : String(error), sinceMs: failingSince, forSeconds: Math.round((now - failingSince) / 1000) } };
  }
}

/** getLatestSnapshot for pages: the error's message instead of a throw, so a page can say it. */
export async function tryLatestSnapshot(): Promise<LatestSnapshot | { error: string }> {
  try {
    return await getLatestSnapshot();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
