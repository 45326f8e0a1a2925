/**
 * Deploys the protocol and its governance with viem: test tokens, oracle, clearinghouse (with its
 * liquidation library linked), lens, governance token, timelock and governor; lists the markets
 * and collaterals, posts first prices, then hands every governance power to the timelock and
 * renounces the deployer's. The deployer keeps MATCHER_ROLE (the settlement operator that seeds
 * the demo) and stays the oracle's operator.
 *
 * Run directly, it deploys to any EVM chain (the same contracts, the same calls as the demo):
 *
 *   BACKSTOP_DEPLOYER_KEY=0x… npm run deploy -- --rpc URL [--chain-id N] [--out FILE] [--force]
 *
 * The key comes from the environment only (never a flag, never logged). It checks the chain id
 * (against --chain-id, else $BACKSTOP_CHAIN_ID when set), uses Multicall3 at its canonical
 * address when present or deploys one and records its address, writes deployments/<chainId>.json
 * (or --out) and prints the environment lines that point the dashboard, keeper and CLI at it.
 */

import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  formatEther,
  http,
  keccak256,
  parseUnits,
  stringToHex,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { backstopChain, MULTICALL3 as MULTICALL3_ADDRESS } from "../lib/chain.ts";
import * as abis from "../lib/contracts/abis.ts";
import * as bytecodes from "../lib/contracts/bytecode.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { redactRpcUrl } from "../lib/env.ts";
import { WAD } from "../engine/math/wad.ts";

const pct = (x: number) => (BigInt(Math.round(x * 1e6)) * WAD) / 100_000_000n;
const usd = (x: number) => BigInt(x) * WAD;
export const feedId = (symbol: string) => keccak256(stringToHex(symbol));

export interface DeployOptions {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** An unlocked node account (local chain) or a local account holding its key (any chain). */
  deployer: Account | Address;
  /** The Multicall3 the readers batch through; default its canonical address. */
  multicall3?: Address;
  /** Timelock delay in seconds (default one day). */
  timelockDelaySec?: bigint;
  votingDelayBlocks?: number;
  votingPeriodBlocks?: number;
  quorumPercent?: bigint;
  lateQuorumExtensionBlocks?: number;
  gracePeriodSec?: bigint;
  defaultFundCooldownSec?: bigint;
  tokenSupply?: bigint;
}

/** The markets of the demo: ETH and BTC at 10× max leverage, SOL at 5×. */
export const demoMarkets = [
  { symbol: "ETH-PERP", feed: "ETH/USD", price: 3_000, params: { imr: pct(10), mmr: pct(5), liquidationPenalty: pct(2), keeperShare: pct(50), oiCapUsd: usd(60_000_000), concentrationCap: pct(20), oracleMaxAge: 3600n } },
  { symbol: "BTC-PERP", feed: "BTC/USD", price: 65_000, params: { imr: pct(10), mmr: pct(5), liquidationPenalty: pct(1.5), keeperShare: pct(50), oiCapUsd: usd(80_000_000), concentrationCap: pct(20), oracleMaxAge: 3600n } },
  { symbol: "SOL-PERP", feed: "SOL/USD", price: 150, params: { imr: pct(20), mmr: pct(10), liquidationPenalty: pct(4), keeperShare: pct(40), oiCapUsd: usd(20_000_000), concentrationCap: pct(25), oracleMaxAge: 3600n } },
] as const;

function link(bytecode: Hex, links: readonly { library: string; offsets: readonly number[] }[], addresses: Record<string, Address>): Hex {
  let code = bytecode.slice(2);
  for (const { library, offsets } of links) {
    const address = addresses[library];
    if (!address) throw new Error(`no address to link library ${library}`);
    for (const offset of offsets) code = code.slice(0, offset * 2) + address.slice(2).toLowerCase() + code.slice(offset * 2 + 40);
  }
  return `0x${code}`;
}

async function hasCode(publicClient: PublicClient, address: Address): Promise<boolean> {
  const code = await publicClient.getCode({ address });
  return code !== undefined && code !== "0x";
}

async function deployMulticall3(publicClient: PublicClient, walletClient: WalletClient, account: Account | Address): Promise<Address> {
  const hash = await walletClient.deployContract({ abi: abis.multicall3Abi, bytecode: bytecodes.multicall3Bytecode.bytecode, account, chain: walletClient.chain ?? null });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`Multicall3 deployment reverted: ${hash}`);
  return receipt.contractAddress;
}

/** Installs a Multicall3 at its canonical address (anvil lacks it): deploy once, copy the runtime code. */
export async function installMulticall3(publicClient: PublicClient, walletClient: WalletClient): Promise<void> {
  if (await hasCode(publicClient, MULTICALL3_ADDRESS)) return;
  const [from] = await walletClient.getAddresses();
  const deployed = await deployMulticall3(publicClient, walletClient, from!);
  const runtime = await publicClient.getCode({ address: deployed });
  await publicClient.request({ method: "anvil_setCode", params: [MULTICALL3_ADDRESS, runtime!] } as never);
}

/**
 * The Multicall3 to use on a chain that is not ours to rewrite: the canonical one when the chain
 * has it (most public chains do), otherwise a fresh deployment whose address the deployment file
 * records (the readers take it from there).
 */
export async function ensureMulticall3(publicClient: PublicClient, walletClient: WalletClient, account: Account | Address): Promise<{ address: Address; deployed: boolean }> {
  if (await hasCode(publicClient, MULTICALL3_ADDRESS)) return { address: MULTICALL3_ADDRESS, deployed: false };
  return { address: await deployMulticall3(publicClient, walletClient, account), deployed: true };
}

export async function deployProtocol(options: DeployOptions): Promise<Deployment> {
  const {
    publicClient,
    walletClient,
    deployer,
    timelockDelaySec = 86_400n,
    votingDelayBlocks = 1,
    votingPeriodBlocks = 50,
    quorumPercent = 4n,
    lateQuorumExtensionBlocks = 10,
    gracePeriodSec = 900n,
    defaultFundCooldownSec = 7n * 86_400n,
    tokenSupply = 100_000_000n * WAD,
    multicall3 = MULTICALL3_ADDRESS,
  } = options;
  const deployerAddress = typeof deployer === "string" ? deployer : deployer.address;
  const chain = walletClient.chain ?? null;
  const deployBlock = Number(await publicClient.getBlockNumber()) + 1;

  async function deploy(abi: Abi, bytecode: Hex, args: unknown[] = []): Promise<Address> {
    const hash = await walletClient.deployContract({ abi, bytecode, args, account: deployer, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deployment reverted: ${hash}`);
    return receipt.contractAddress;
  }
  async function send(to: Address, abi: Abi, functionName: string, args: unknown[]): Promise<void> {
    const hash = await walletClient.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), account: deployer, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted: ${hash}`);
  }

  const usdc = await deploy(abis.testTokenAbi, bytecodes.testTokenBytecode.bytecode, ["USD Coin (test)", "USDC", 6, deployerAddress]);
  const weth = await deploy(abis.testTokenAbi, bytecodes.testTokenBytecode.bytecode, ["Wrapped Ether (test)", "WETH", 18, deployerAddress]);
  const oracle = await deploy(abis.priceOracleAbi, bytecodes.priceOracleBytecode.bytecode, [deployerAddress, deployerAddress]);
  const liquidationLogic = await deploy(abis.liquidationLogicAbi, bytecodes.liquidationLogicBytecode.bytecode);
  const clearinghouseCode = link(bytecodes.clearinghouseBytecode.bytecode, bytecodes.clearinghouseBytecode.links, { LiquidationLogic: liquidationLogic });
  const clearinghouse = await deploy(abis.clearinghouseAbi, clearinghouseCode, [deployerAddress, oracle, gracePeriodSec, defaultFundCooldownSec]);
  const lens = await deploy(abis.clearinghouseLensAbi, bytecodes.clearinghouseLensBytecode.bytecode, [clearinghouse]);
  const governanceToken = await deploy(abis.backstopTokenAbi, bytecodes.backstopTokenBytecode.bytecode, [deployerAddress, tokenSupply]);
  const timelock = await deploy(abis.backstopTimelockAbi, bytecodes.backstopTimelockBytecode.bytecode, [timelockDelaySec, [], [zeroAddress], deployerAddress]);
  const governor = await deploy(abis.backstopGovernorAbi, bytecodes.backstopGovernorBytecode.bytecode, [
    governanceToken, timelock, votingDelayBlocks, votingPeriodBlocks, 0n, quorumPercent, lateQuorumExtensionBlocks,
  ]);

  // Prices first: listing reads token metadata only, but trading needs fresh prices.
  // WETH collateral reads the ETH/USD feed of ETH-PERP; USDC has its own.
  const feeds = [...demoMarkets.map((m) => feedId(m.feed)), feedId("USDC/USD")];
  const prices = [...demoMarkets.map((m) => BigInt(m.price) * WAD), WAD];
  await send(oracle, abis.priceOracleAbi, "setPrices", [feeds, prices]);
  for (const m of demoMarkets) await send(clearinghouse, abis.clearinghouseAbi, "listMarket", [m.symbol, feedId(m.feed), m.params]);
  await send(clearinghouse, abis.clearinghouseAbi, "listCollateral", [usdc, feedId("USDC/USD"), { weight: WAD, depositCap: parseUnits("500000000", 6), oracleMaxAge: 86_400n }]);
  await send(clearinghouse, abis.clearinghouseAbi, "listCollateral", [weth, feedId("ETH/USD"), { weight: pct(80), depositCap: parseUnits("100000", 18), oracleMaxAge: 3600n }]);

  // Hand over: the governor proposes and cancels on the timelock, anyone executes, the timelock
  // alone governs the clearinghouse and the oracle; the deployer keeps no admin power.
  const proposer = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "PROPOSER_ROLE" });
  const canceller = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "CANCELLER_ROLE" });
  const timelockAdmin = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "DEFAULT_ADMIN_ROLE" });
  await send(timelock, abis.backstopTimelockAbi, "grantRole", [proposer, governor]);
  await send(timelock, abis.backstopTimelockAbi, "grantRole", [canceller, governor]);
  const governance = await publicClient.readContract({ address: clearinghouse, abi: abis.clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
  const matcher = await publicClient.readContract({ address: clearinghouse, abi: abis.clearinghouseAbi, functionName: "MATCHER_ROLE" });
  await send(clearinghouse, abis.clearinghouseAbi, "grantRole", [matcher, deployerAddress]);
  await send(clearinghouse, abis.clearinghouseAbi, "grantRole", [governance, timelock]);
  await send(clearinghouse, abis.clearinghouseAbi, "renounceRole", [governance, deployerAddress]);
  await send(oracle, abis.priceOracleAbi, "transferOwnership", [timelock]);
  await send(timelock, abis.backstopTimelockAbi, "renounceRole", [timelockAdmin, deployerAddress]);

  return {
    chainId: await publicClient.getChainId(),
    deployBlock,
    contracts: { clearinghouse, liquidationLogic, lens, oracle, usdc, weth, governanceToken, timelock, governor, multicall3 },
  };
}

/** A refusal of the deploy command: printed as one line, exit code 1. */
class DeployCommandError extends Error {}

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
    options: { rpc: { type: "string" }, "chain-id": { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } },
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
  const deployment = await deployProtocol({ publicClient, walletClient, deployer: account, multicall3: multicall3.address });
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
    const message = error instanceof DeployCommandError ? error.message : error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message).split("\n")[0] : String(error);
    console.error(`deploy: ${message}`);
    process.exit(1);
  });
}
