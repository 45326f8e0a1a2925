/**
 * The server's chain client, configuration and deployment, from the environment (lib/env.ts).
 * The request thread and the block worker each make their own (a client is not transferable
 * between threads) with the same settings.
 *
 * Reads go through viem's http transport with bounded retries and exponential backoff
 * (RPC_RETRY_COUNT retries, RPC_RETRY_DELAY_MS doubling each time) and a per-request timeout,
 * so a slow or flapping node delays a page by a known bound instead of hanging it.
 */

import { createPublicClient, http, type PublicClient } from "viem";
import { backstopChain, MAX_RPC_ANSWER_BYTES } from "../chain.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { chainConfig, loadDeployment, type ChainConfig } from "../env.ts";

export interface ServerContext {
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

export async function createServerContext(): Promise<ServerContext> {
  const config = chainConfig();
  const deployment = await loadDeployment(config);
  const client = createPublicClient({
    chain: backstopChain(config.chainId, config.rpcUrl, deployment.contracts.multicall3),
    transport: http(config.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: RPC_RETRY_COUNT, retryDelay: RPC_RETRY_DELAY_MS, maxResponseBodySize: MAX_RPC_ANSWER_BYTES }),
  }) as PublicClient;
  return { config, client, deployment };
}
