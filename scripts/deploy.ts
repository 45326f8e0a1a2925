/**
 * `npm run deploy`: deploys the protocol and its governance (lib/contracts/deployProtocol) to any
 * EVM chain — the same contracts, the same calls as the demo:
 *
 *   BACKSTOP_DEPLOYER_KEY=0x… npm run deploy -- --rpc URL [--chain-id N] [--out FILE] [--force] [--guardian 0x…]
 *
 * --guardian: the account that may cancel a queued proposal on the timelock (its CANCELLER_ROLE,
 * beside the governor), the remedy the watchdog offers; default the deployer.
 *
 * The key comes from the environment only (never a flag, never logged). It checks the chain id
 * (against --chain-id, else $BACKSTOP_CHAIN_ID when set), uses Multicall3 at its canonical
 * address when present or deploys one and records its address, writes deployments/<chainId>.json
 * (or --out) and prints the environment lines that point the dashboard, keeper and CLI at it.
 */

import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, createWalletClient, formatEther, http, isAddress, type Account, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { backstopChain } from "../lib/chain.ts";
import { deployProtocol, ensureMulticall3 } from "../lib/contracts/deployProtocol.ts";
import { redactRpcUrl } from "../lib/env.ts";
import { BackstopError, shortMessageOf } from "../lib/errors/backstopError.ts";

/** A refusal of the deploy command: printed as one line, exit code 1. */
class DeployCommandError extends BackstopError {
  override name = "DeployCommandError";
}

function deployerAccount(env: NodeJS.ProcessEnv): Account {
  const raw = env.BACKSTOP_DEPLOYER_KEY?.trim();
  if (!raw) throw new DeployCommandError("BACKSTOP_DEPLOYER_KEY is not set: export the deployer's private key in the environment (it is never taken as a flag)");
  const key = raw.startsWith("0x") ? raw : `0x${raw}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new DeployCommandError("BACKSTOP_DEPLOYER_KEY is not a private key: expected 64 hex digits, with or without 0x");
  return privateKeyToAccount(key as Hex);
}

async function deployCommand(argv: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { rpc: { type: "string" }, "chain-id": { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false }, guardian: { type: "string" } },
    strict: true,
  });
  const rpcUrl = values.rpc ?? (env.BACKSTOP_RPC_URL || undefined);
  if (!rpcUrl) throw new DeployCommandError("pass --rpc URL (the JSON-RPC endpoint of the chain to deploy to)");
  let shownUrl: string;
  try {
    if (!/^https?:$/.test(new URL(rpcUrl).protocol)) throw new Error();
    shownUrl = redactRpcUrl(rpcUrl);
  } catch {
    throw new DeployCommandError("--rpc must be an http(s) URL, such as https://rpc.example.org or http://127.0.0.1:8545");
  }
  const expectedRaw = values["chain-id"] ?? (env.BACKSTOP_CHAIN_ID || undefined);
  const expectedChainId = expectedRaw === undefined ? undefined : Number(expectedRaw);
  if (expectedChainId !== undefined && (!Number.isSafeInteger(expectedChainId) || expectedChainId <= 0)) {
    throw new DeployCommandError(`${values["chain-id"] !== undefined ? "--chain-id" : "BACKSTOP_CHAIN_ID"} must be a positive integer, got "${expectedRaw}"`);
  }
  if (values.guardian !== undefined && !isAddress(values.guardian)) throw new DeployCommandError(`--guardian must be an address (0x and 40 hex digits), got "${values.guardian}"`);
  const account = deployerAccount(env);

  const transport = http(rpcUrl, { timeout: 30_000, retryCount: 0 });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch {
    throw new DeployCommandError(`cannot reach the RPC at ${shownUrl}: check the URL and that the node is up`);
  }
  if (expectedChainId !== undefined && chainId !== expectedChainId) {
    throw new DeployCommandError(`the node at ${shownUrl} is chain ${chainId}, not ${expectedChainId}: nothing deployed`);
  }
  const out = resolve(values.out ?? `deployments/${chainId}.json`);
  if (!values.force && (await access(out).then(() => true, () => false))) {
    throw new DeployCommandError(`${out} already exists: pass --force to replace it, or --out another file`);
  }

  const chain = backstopChain(chainId, rpcUrl);
  const publicClient = createPublicClient({ chain, transport }) as PublicClient;
  const walletClient = createWalletClient({ account, chain, transport });
  const balance = await publicClient.getBalance({ address: account.address });
  if (balance === 0n) throw new DeployCommandError(`the deployer ${account.address} holds no native currency on chain ${chainId}: fund it first`);
  log(`deploying to chain ${chainId} at ${shownUrl} from ${account.address} (balance ${formatEther(balance)})`);

  const started = performance.now();
  const multicall3 = await ensureMulticall3(publicClient, walletClient, account);
  log(multicall3.deployed ? `Multicall3 is not at its canonical address on this chain: deployed one at ${multicall3.address}` : `Multicall3 found at its canonical address ${multicall3.address}`);
  // The guardian may cancel a queued proposal on the timelock (the watchdog's remedy); default the deployer.
  const deployment = await deployProtocol({ publicClient, walletClient, deployer: account, multicall3: multicall3.address, guardian: values.guardian as Address | undefined });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(deployment, null, 2)}\n`);
  const spent = balance - (await publicClient.getBalance({ address: account.address }));
  log(`deployed the protocol and its governance at block ${deployment.deployBlock} in ${((performance.now() - started) / 1000).toFixed(1)} s (gas paid ${formatEther(spent)}); wrote ${out}`);
  log(`clearinghouse ${deployment.contracts.clearinghouse}, lens ${deployment.contracts.lens}, governor ${deployment.contracts.governor}, timelock ${deployment.contracts.timelock}`);
  log("");
  log("Point the dashboard, the keeper and the CLI at it:");
  log(`BACKSTOP_RPC_URL=${shownUrl === new URL(rpcUrl).origin ? shownUrl : `${shownUrl}   # the URL you passed to --rpc (hidden: it may hold a key)`}`);
  log(`BACKSTOP_CHAIN_ID=${chainId}`);
  log(`BACKSTOP_DEPLOYMENT=${relative(process.cwd(), out).startsWith("..") ? out : relative(process.cwd(), out)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  deployCommand(process.argv.slice(2), process.env, (line) => console.log(line)).catch((error: unknown) => {
    const message = shortMessageOf(error).split("\n")[0];
    console.error(`deploy: ${message}`);
    process.exit(1);
  });
}
