/**
 * Server-side chain configuration, from the environment, with the local demo as the default:
 * - BACKSTOP_RPC_URL      JSON-RPC endpoint (default http://127.0.0.1:8545)
 * - BACKSTOP_CHAIN_ID     expected chain id (default 31337)
 * - BACKSTOP_DEPLOYMENT   deployment file (default deployments/<chainId>.json)
 * An empty variable counts as unset. The RPC URL stays on the server: nothing here is exposed to
 * the browser bundle.
 */

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseDeploymentText, type Deployment } from "./contracts/deployment.ts";
import { BackstopError } from "./errors/backstopError.ts";

export interface ChainConfig {
  rpcUrl: string;
  chainId: number;
  deploymentPath: string;
}

export class ConfigError extends BackstopError {
  override name = "ConfigError";
}

export function chainConfig(env: NodeJS.ProcessEnv = process.env): ChainConfig {
  const chainId = Number(env.BACKSTOP_CHAIN_ID || 31337);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new ConfigError(`BACKSTOP_CHAIN_ID must be a positive integer, got "${env.BACKSTOP_CHAIN_ID}"`);
  const rpcUrl = env.BACKSTOP_RPC_URL || "http://127.0.0.1:8545";
  if (!/^https?:\/\//.test(rpcUrl)) throw new ConfigError(`BACKSTOP_RPC_URL must be an http(s) URL, got "${rpcUrl}"`);
  const deploymentPath = resolve(/*turbopackIgnore: true*/ env.BACKSTOP_DEPLOYMENT || `deployments/${chainId}.json`);
  return { rpcUrl, chainId, deploymentPath };
}

/** The RPC URL as it may be printed: a provider's key often sits in the path or the query. */
export function redactRpcUrl(url: string): string {
  const parsed = new URL(url);
  const hidden = parsed.username !== "" || parsed.password !== "" || parsed.pathname.length > 1 || parsed.search !== "";
  return hidden ? `${parsed.protocol}//${parsed.host}/…` : parsed.origin;
}

/**
 * Reads and validates a deployment file (the dashboard's, the CLI's, the keeper's): a missing
 * file is a ConfigError saying what to run, `otherwise` naming the caller's own way to point at
 * one; a malformed one is a DeploymentError naming the field.
 */
export async function readDeploymentFile(path: string, { otherwise = "or set BACKSTOP_DEPLOYMENT" }: { otherwise?: string } = {}): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ConfigError(`No deployment file at ${path}: run \`npm run chain\` (or \`npm run demo\`), ${otherwise}`, { cause });
  }
  return parseDeploymentText(text, path);
}

/** The configured deployment file, checked to be for the configured chain. */
export async function loadDeployment(config: ChainConfig): Promise<Deployment> {
  const deployment = await readDeploymentFile(config.deploymentPath);
  if (deployment.chainId !== config.chainId) {
    throw new ConfigError(`${config.deploymentPath} is for chain ${deployment.chainId}, but BACKSTOP_CHAIN_ID is ${config.chainId}.`);
  }
  return deployment;
}
