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
 *
 * "Every request" means every route: Next bundles each page and each API route separately, and
 * each bundle gets its own copy of this module, so module-level variables would give one read
 * per block per route, and a route that had never read would know no last good snapshot while
 * the chain is down. The state therefore lives once per process, on globalThis.
 */

import { createPublicClient, http, type Block, type PublicClient } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { backstopChain } from "../chain.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { chainConfig, loadDeployment, type ChainConfig } from "../env.ts";
import { publicErrorMessage } from "./publicError.ts";

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

interface SharedState {
  context?: Promise<Context>;
  latest?: { blockHash: `0x${string}`; snapshot: Promise<ProtocolSnapshot> };
  head?: Promise<Block<bigint, false, "latest">>;
  lastGood?: { snapshot: ProtocolSnapshot; deployment: Deployment };
  failingSince?: number;
}

const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("backstop.server.snapshot")] ??= {}) as SharedState;

/** The server's chain client, configuration and deployment (created once). */
export function getContext(): Promise<Context> {
  shared.context ??= (async () => {
    const config = chainConfig();
    const deployment = await loadDeployment(config);
    const client = createPublicClient({
      chain: backstopChain(config.chainId, config.rpcUrl, deployment.contracts.multicall3),
      transport: http(config.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: RPC_RETRY_COUNT, retryDelay: RPC_RETRY_DELAY_MS }),
    }) as PublicClient;
    return { config, client, deployment };
  })();
  const context = shared.context;
  context.catch(() => {
    if (shared.context === context) shared.context = undefined;
  });
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

async function readLatest(): Promise<{ snapshot: ProtocolSnapshot; deployment: Deployment }> {
  const { client, deployment } = await getContext();
  let block: Block<bigint, false, "latest">;
  try {
    // Concurrent requests share one head request (no time-based cache: a reorg shows at once).
    shared.head ??= client.getBlock({ blockTag: "latest" }).finally(() => (shared.head = undefined));
    block = await shared.head;
  } catch {
    throw new ChainUnavailableError("Cannot reach the chain at the configured RPC endpoint (BACKSTOP_RPC_URL). Is `npm run chain` (or `npm run demo`) running?");
  }
  if (shared.latest?.blockHash !== block.hash) {
    const snapshot = readSnapshot(client, { deployment, block });
    shared.latest = { blockHash: block.hash, snapshot };
    snapshot.catch(() => {
      if (shared.latest?.snapshot === snapshot) shared.latest = undefined;
    });
  }
  return { snapshot: await shared.latest.snapshot, deployment };
}

/**
 * The snapshot of the latest block, read once per block and shared. When the chain cannot be
 * read, the last good snapshot comes back marked stale (with the reason and since when), so
 * pages keep their figures under a banner; with no good snapshot yet, the error is thrown.
 */
export async function getLatestSnapshot(): Promise<LatestSnapshot> {
  try {
    const read = await readLatest();
    shared.lastGood = read;
    shared.failingSince = undefined;
    return read;
  } catch (error) {
    if (!shared.lastGood) throw error;
    const since = (shared.failingSince ??= Date.now());
    return { ...shared.lastGood, stale: { reason: publicErrorMessage(error), sinceMs: since, forSeconds: Math.round((Date.now() - since) / 1000) } };
  }
}

/** getLatestSnapshot for pages: the error's message (safe to show: no RPC URL) instead of a throw, so a page can say it. */
export async function tryLatestSnapshot(): Promise<LatestSnapshot | { error: string }> {
  try {
    return await getLatestSnapshot();
  } catch (error) {
    return { error: publicErrorMessage(error) };
  }
}
