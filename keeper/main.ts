/**
 * `npm run keeper -- [--rpc URL] [--deployment FILE] [--account 0x…] [--capacity N] [--backstop]`: the
 * liquidation keeper against any configured chain (defaults: $BACKSTOP_RPC_URL or
 * http://127.0.0.1:8545, $BACKSTOP_DEPLOYMENT or deployments/31337.json, the node's 10th account
 * — the demo's keeper). `--backstop` also liquidates bankrupt accounts, which pay nothing: the
 * protocol's own keeper. Logs one JSON line per decision; Ctrl-C stops it.
 */

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createWalletClient, http, isAddress, type Address } from "viem";
import { parseDeployment } from "../lib/contracts/deployment.ts";
import { startKeeper } from "./keeper.ts";

async function main() {
  const { values } = parseArgs({ options: { rpc: { type: "string" }, deployment: { type: "string" }, account: { type: "string" }, capacity: { type: "string" }, backstop: { type: "boolean" } }, strict: true });
  const rpcUrl = values.rpc ?? process.env.BACKSTOP_RPC_URL ?? "http://127.0.0.1:8545";
  const path = values.deployment ?? process.env.BACKSTOP_DEPLOYMENT ?? "deployments/31337.json";
  const deployment = parseDeployment(JSON.parse(await readFile(path, "utf8").catch(() => Promise.reject(new Error(`no deployment file at ${path}: run npm run chain or pass --deployment`)))), path);
  let account = values.account as Address | undefined;
  if (account !== undefined && !isAddress(account)) throw new Error(`--account "${account}" is not an address`);
  account ??= (await createWalletClient({ transport: http(rpcUrl) }).getAddresses().catch(() => Promise.reject(new Error(`cannot reach the RPC at ${rpcUrl}`))))[9];
  if (!account) throw new Error("no keeper account: pass --account (an unlocked account of the node)");
  const capacity = values.capacity === undefined ? 20 : Number(values.capacity);
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`--capacity must be a whole number ≥ 1, got "${values.capacity}"`);
  const liquidateBankrupt = values.backstop ?? false;
  const keeper = startKeeper({ rpcUrl, deployment, account, capacityPerBlock: capacity, liquidateBankrupt });
  console.log(JSON.stringify({ event: "started", keeper: account, rpcUrl, capacityPerBlock: capacity, liquidateBankrupt }));
  process.once("SIGINT", () => (keeper.stop(), process.exit(0)));
  process.once("SIGTERM", () => (keeper.stop(), process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`keeper: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
