/**
 * One snapshot per block, shared by every server request: concurrent requests for the same
 * block wait on the same read; a failed read is forgotten so the next request retries.
 */

import { createPublicClient, http, type PublicClient } from "viem";
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

let context: Promise<Context> | undefined;
let latest: { blockNumber: bigint; snapshot: Promise<ProtocolSnapshot> } | undefined;

/** The server's chain client, configuration and deployment (created once). */
export function getContext(): Promise<Context> {
  context ??= (async () => {
    const config = chainConfig();
    const deployment = await loadDeployment(config);
    const client = createPublicClient({
      chain: backstopChain(config.chainId, config.rpcUrl, deployment.contracts.multicall3),
      transport: http(config.rpcUrl, { timeout: 10_000, retryCount: 1 }),
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
  let blockNumber: bigint;
  try {
    blockNumber = await client.getBlockNumber({ cacheTime: 250 });
  } catch {
    throw new ChainUnavailableError(`Cannot reach the chain at ${config.rpcUrl}. Is \`npm run chain\` (or \`npm run demo\`) running?`);
  }
  if (latest?.blockNumber !== blockNumber) {
    const snapshot = readSnapshot(client, { deployment, blockNumber });
    latest = { blockNumber, snapshot };
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
