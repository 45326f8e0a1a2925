/**
 * Deploys the protocol and its governance with viem: test tokens, oracle, clearinghouse (with its
 * liquidation library linked), lens, governance token, timelock and governor; lists the markets
 * and collaterals, posts first prices, then hands every governance power to the timelock and
 * renounces the deployer's. The deployer keeps MATCHER_ROLE (the settlement operator that seeds
 * the demo) and stays the oracle's operator.
 *
 * A library: the deploy command (scripts/deploy.ts), the local chain (scripts/chain.ts), the test
 * fixtures and the replays all deploy through deployProtocol. Multicall3 is used at its canonical
 * address when present, else deployed (ensureMulticall3) or, on anvil, installed there.
 */

import {
  encodeFunctionData,
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
import { MULTICALL3 as MULTICALL3_ADDRESS } from "../chain.ts";
import * as abis from "./abis.ts";
import * as bytecodes from "./bytecode.ts";
import type { Deployment } from "./deployment.ts";
import { WAD } from "../../engine/math/wad.ts";
import { BackstopError } from "../errors/backstopError.ts";

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
  /**
   * The guardian: besides the governor, the one holder of the timelock's CANCELLER_ROLE, who can
   * cancel a queued operation before it runs (the watchdog's remedy when a queued proposal stops
   * doing what voters saw) and nothing else. Default: the deployer.
   */
  guardian?: Address;
}

/** The markets of the demo: ETH and BTC at 10× max leverage, SOL at 5×. */
export const demoMarkets = [
  { symbol: "ETH-PERP", feed: "ETH/USD", price: 3_000, params: { imr: pct(10), mmr: pct(5), liquidationPenalty: pct(2), keeperShare: pct(50), oiCapUsd: usd(60_000_000), concentrationCap: pct(20), oracleMaxAge: 3600n } },
  { symbol: "BTC-PERP", feed: "BTC/USD", price: 65_000, params: { imr: pct(10), mmr: pct(5), liquidationPenalty: pct(1.5), keeperShare: pct(50), oiCapUsd: usd(80_000_000), concentrationCap: pct(20), oracleMaxAge: 3600n } },
  { symbol: "SOL-PERP", feed: "SOL/USD", price: 150, params: { imr: pct(20), mmr: pct(10), liquidationPenalty: pct(4), keeperShare: pct(40), oiCapUsd: usd(20_000_000), concentrationCap: pct(25), oracleMaxAge: 3600n } },
] as const;

/** Writes each library's address into the link references of a creation bytecode. */
export function link(bytecode: Hex, links: readonly { library: string; offsets: readonly number[] }[], addresses: Record<string, Address>): Hex {
  let code = bytecode.slice(2);
  for (const { library, offsets } of links) {
    const address = addresses[library];
    if (!address) throw new BackstopError(`no address to link library ${library}`);
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
  if (receipt.status !== "success" || !receipt.contractAddress) throw new BackstopError(`Multicall3 deployment reverted: ${hash}`);
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
  const guardian = options.guardian ?? (typeof deployer === "string" ? deployer : deployer.address);
  const deployerAddress = typeof deployer === "string" ? deployer : deployer.address;
  const chain = walletClient.chain ?? null;
  const deployBlock = Number(await publicClient.getBlockNumber()) + 1;

  async function deploy(abi: Abi, bytecode: Hex, args: unknown[] = []): Promise<Address> {
    const hash = await walletClient.deployContract({ abi, bytecode, args, account: deployer, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new BackstopError(`deployment reverted: ${hash}`);
    return receipt.contractAddress;
  }
  async function send(to: Address, abi: Abi, functionName: string, args: unknown[]): Promise<void> {
    const hash = await walletClient.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), account: deployer, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new BackstopError(`${functionName} reverted: ${hash}`);
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
  // alone governs the clearinghouse and the oracle; the deployer keeps no admin power. The
  // guardian may cancel a queued operation (no more): the governor itself lets only a proposer
  // cancel, and only before voting starts.
  const proposer = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "PROPOSER_ROLE" });
  const canceller = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "CANCELLER_ROLE" });
  const timelockAdmin = await publicClient.readContract({ address: timelock, abi: abis.backstopTimelockAbi, functionName: "DEFAULT_ADMIN_ROLE" });
  await send(timelock, abis.backstopTimelockAbi, "grantRole", [proposer, governor]);
  await send(timelock, abis.backstopTimelockAbi, "grantRole", [canceller, governor]);
  await send(timelock, abis.backstopTimelockAbi, "grantRole", [canceller, guardian]);
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
