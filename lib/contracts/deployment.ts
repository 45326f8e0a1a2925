/**
 * Where the protocol lives on a chain: written by `npm run chain` / `npm run deploy` to
 * deployments/<chainId>.json and read by the dashboard, the keeper and the CLI.
 */

import { isAddress, type Address } from "viem";

export const deploymentContractNames = [
  "clearinghouse",
  "liquidationLogic",
  "lens",
  "oracle",
  "usdc",
  "weth",
  "governanceToken",
  "timelock",
  "governor",
  "multicall3",
] as const;

export type DeploymentContractName = (typeof deploymentContractNames)[number];

export interface Deployment {
  chainId: number;
  /** The block of the first deployment transaction: event scans start here. */
  deployBlock: number;
  contracts: Record<DeploymentContractName, Address>;
}

export class DeploymentError extends Error {
  override name = "DeploymentError";
}

/** Validates a parsed deployment file; the error names the first field that is wrong. */
export function parseDeployment(json: unknown, source = "deployment file"): Deployment {
  if (typeof json !== "object" || json === null) throw new DeploymentError(`${source}: not a JSON object`);
  const { chainId, deployBlock, contracts } = json as Record<string, unknown>;
  if (!Number.isSafeInteger(chainId) || (chainId as number) <= 0) throw new DeploymentError(`${source}: chainId must be a positive integer`);
  if (!Number.isSafeInteger(deployBlock) || (deployBlock as number) < 0) throw new DeploymentError(`${source}: deployBlock must be a block number`);
  if (typeof contracts !== "object" || contracts === null) throw new DeploymentError(`${source}: contracts is missing`);
  const parsed = {} as Record<DeploymentContractName, Address>;
  for (const name of deploymentContractNames) {
    const address = (contracts as Record<string, unknown>)[name];
    if (typeof address !== "string" || !isAddress(address)) {
      throw new DeploymentError(`${source}: contracts.${name} is ${address === undefined ? "missing" : `not an address (${String(address)})`}`);
    }
    parsed[name] = address;
  }
  return { chainId: chainId as number, deployBlock: deployBlock as number, contracts: parsed };
}
