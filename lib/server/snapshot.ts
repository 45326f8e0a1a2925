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

function getContext(): Promise<Context> {
  context ??= (async () => {
    const config = chainConfig();
    const deployment = await loadDeployment(config);
    const client = createPublicClient({
      chain: backstopChain(config.chainId, config.rpcUrl),
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

/** The snapshot of the latest block, read once per block. */
export async function getLatestSnapshot(): Promise<{ snapshot: ProtocolSnapshot; deployment: Deployment; rpcUrl: string }> {
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
  return { snapshot: await latest.snapshot, deployment, rpcUrl: config.rpcUrl };
}
