/**
 * `npm run keeper -- [--rpc URL] [--deployment FILE] [--account 0x…] [--capacity N] [--backstop]`: the
 * liquidation keeper against any configured chain. Defaults come from the environment, as for the
 * dashboard (lib/env): $BACKSTOP_RPC_URL or http://127.0.0.1:8545, $BACKSTOP_DEPLOYMENT or
 * deployments/<$BACKSTOP_CHAIN_ID or 31337>.json. The keeper signs with $BACKSTOP_KEEPER_KEY when
 * it is set (any chain); otherwise it uses an unlocked node account: --account, or the node's
 * 10th account — the demo's keeper. `--backstop` also liquidates bankrupt accounts, which pay
 * nothing: the protocol's own keeper. Logs one JSON line per decision; Ctrl-C stops it.
 */

import { parseArgs } from "node:util";
import { createWalletClient, http, isAddress, type Account, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainConfig, readDeploymentFile, redactRpcUrl } from "../lib/env.ts";
import { BackstopError } from "../lib/errors/backstopError.ts";
import { startKeeper } from "./keeper.ts";
import { messageOf } from "../lib/errors/messageOf.ts";

function keyAccount(raw: string): Account {
  const key = raw.startsWith("0x") ? raw : `0x${raw}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new BackstopError("BACKSTOP_KEEPER_KEY is not a private key: expected 64 hex digits, with or without 0x");
  return privateKeyToAccount(key as Hex);
}

async function main() {
  const { values } = parseArgs({ options: { rpc: { type: "string" }, deployment: { type: "string" }, account: { type: "string" }, capacity: { type: "string" }, backstop: { type: "boolean" } }, strict: true });
  const config = chainConfig();
  const rpcUrl = values.rpc ?? config.rpcUrl;
  const path = values.deployment ?? config.deploymentPath;
  const deployment = await readDeploymentFile(path, { otherwise: "or pass --deployment" });
  const key = process.env.BACKSTOP_KEEPER_KEY?.trim();
  if (key && values.account !== undefined) throw new BackstopError("pass either --account (an unlocked node account) or BACKSTOP_KEEPER_KEY, not both");
  let account: Account | Address | undefined = key ? keyAccount(key) : (values.account as Address | undefined);
  if (typeof account === "string" && !isAddress(account)) throw new BackstopError(`--account "${account}" is not an address`);
  account ??= (await createWalletClient({ transport: http(rpcUrl) }).getAddresses().catch((cause: unknown) => Promise.reject(new BackstopError(`cannot reach the RPC at ${redactRpcUrl(rpcUrl)}`, { cause }))))[9];
  if (!account) throw new BackstopError("no keeper account: set BACKSTOP_KEEPER_KEY, or pass --account (an unlocked account of the node)");
  const capacity = values.capacity === undefined ? 20 : Number(values.capacity);
  if (!Number.isInteger(capacity) || capacity < 1) throw new BackstopError(`--capacity must be a whole number ≥ 1, got "${values.capacity}"`);
  const liquidateBankrupt = values.backstop ?? false;
  const keeper = startKeeper({ rpcUrl, deployment, account, capacityPerBlock: capacity, liquidateBankrupt });
  console.log(JSON.stringify({ event: "started", keeper: typeof account === "string" ? account : account.address, chainId: deployment.chainId, capacityPerBlock: capacity, liquidateBankrupt }));
  process.once("SIGINT", () => (keeper.stop(), process.exit(0)));
  process.once("SIGTERM", () => (keeper.stop(), process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`keeper: ${messageOf(error)}`);
  process.exit(1);
});
