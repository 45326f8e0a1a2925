/**
 * Where the protocol lives on a chain: written by `npm run chain` / `npm run deploy` to
 * deployments/<chainId>.json and read by the dashboard, the keeper and the CLI.
 */

import { isAddress, keccak256, type Address, type Hex } from "viem";
import { z } from "zod";
import { BackstopError, shortMessageOf } from "../errors/backstopError.ts";

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

export class DeploymentError extends BackstopError {
  override name = "DeploymentError";
}

const address = z.custom<Address>((value) => typeof value === "string" && isAddress(value), {
  error: (issue) => (issue.input === undefined ? "is missing" : `is not an address (${String(issue.input)})`),
});

/** The file's schema; each message completes "<source>: <field> …". Unknown contracts are dropped. */
const deploymentSchema = z.object(
  {
    chainId: z.number({ error: "must be a positive integer" }).int({ error: "must be a positive integer" }).positive({ error: "must be a positive integer" }),
    deployBlock: z.number({ error: "must be a block number" }).int({ error: "must be a block number" }).nonnegative({ error: "must be a block number" }),
    contracts: z.object(Object.fromEntries(deploymentContractNames.map((name) => [name, address])) as Record<DeploymentContractName, typeof address>, { error: "is missing" }),
  },
  { error: "not a JSON object" },
);

/** Validates a parsed deployment file; the error names the first field that is wrong. */
export function parseDeployment(json: unknown, source = "deployment file"): Deployment {
  const result = deploymentSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".");
  throw new DeploymentError(`${source}: ${field ? `${field} ` : ""}${issue.message}`, { details: result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "), cause: result.error });
}

/** A deployment file's text, parsed as JSON and validated; text that is not JSON is a DeploymentError too. */
export function parseDeploymentText(text: string, source = "deployment file"): Deployment {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DeploymentError(`${source}: not JSON`, { details: shortMessageOf(cause), cause });
  }
  return parseDeployment(json, source);
}

/** The deployment's name for an address (any letter case), or undefined for a contract it does not know. */
export function deploymentNames(deployment: Deployment): (address: string) => string | undefined {
  const names = new Map(Object.entries(deployment.contracts).map(([name, address]) => [address.toLowerCase(), name]));
  return (address) => names.get(address.toLowerCase());
}

/** keccak256 of a contract's runtime code, an address without code hashing as "0x" does. */
export const codeHashOf = (code: Hex | undefined): Hex => keccak256(code ?? "0x");
