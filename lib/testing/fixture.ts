/**
 * A deployed protocol on a real anvil for contract tests and incident replays: one chain per
 * test file, the state reverted to the fresh deployment before each test (`evm_snapshot` /
 * `evm_revert`).
 * The timelock is impersonated to call governance setters directly; one test goes through the
 * real Governor → Timelock path.
 */

import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  encodeFunctionData,
  http,
  parseEther,
  parseUnits,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { foundry } from "viem/chains";
import { clearinghouseAbi, priceOracleAbi, testTokenAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { startAnvil, type AnvilInstance } from "../local/anvil.ts";
import { deployProtocol, feedId, installMulticall3 } from "../contracts/deployProtocol.ts";

import { WAD } from "../../engine/math/wad.ts";

export { WAD };
export const usdc = (x: number | string) => parseUnits(String(x), 6);
export const wad = (x: number | string) => parseEther(String(x));
export const FEEDS = { ETH: feedId("ETH/USD"), BTC: feedId("BTC/USD"), SOL: feedId("SOL/USD"), USDC: feedId("USDC/USD") };
export const MARKET = { ETH: 0n, BTC: 1n, SOL: 2n };

export interface Fixture {
  anvil: AnvilInstance;
  deployment: Deployment;
  dev: Address[];
  deployer: Address;
  publicClient: ReturnType<typeof createPublicClient>;
  testClient: ReturnType<typeof createTestClient>;
  /** Sends a transaction and returns its receipt; throws the decoded revert (see `revertOf`). */
  write(from: Address, to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<TransactionReceipt>;
  /** Calls `functionName` as `from` and returns the custom error name and args it reverts with. */
  revertOf(from: Address, to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<{ errorName: string; args: readonly unknown[] } | undefined>;
  /** Calls the clearinghouse as governance (the impersonated timelock). */
  govern(functionName: string, args: unknown[]): Promise<TransactionReceipt>;
  /** Mints USDC to `account`, approves and deposits it. */
  depositUsdc(account: Address, amount: bigint): Promise<void>;
  setPrice(feed: Hex, priceUsd: number | string): Promise<void>;
  ch: Address;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function createFixture({ port = 0, anvilArgs = [] }: { port?: number; anvilArgs?: string[] } = {}): Promise<Fixture> {
  const anvil = await startAnvil({ port, args: anvilArgs });
  const transport = http(anvil.rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 20 });
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
  const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
  const deployer = dev[0]!;
  const walletClient = createWalletClient({ chain: foundry, account: deployer, transport });
  await installMulticall3(publicClient, walletClient);
  const deployment = await deployProtocol({ publicClient, walletClient, deployer, timelockDelaySec: 3600n });
  const ch = deployment.contracts.clearinghouse;
  const timelock = deployment.contracts.timelock;
  await testClient.impersonateAccount({ address: timelock });
  await testClient.setBalance({ address: timelock, value: parseEther("100") });
  let snapshot = await testClient.snapshot();

  const write: Fixture["write"] = async (from, to, abi, functionName, args = []) => {
    const failure = await revertOf(from, to, abi, functionName, args);
    if (failure) throw new Error(`${functionName} reverted with ${failure.errorName}(${failure.args.join(", ")})`);
    const wallet = createWalletClient({ chain: foundry, account: from, transport });
    const hash = await wallet.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), gas: 30_000_000n });
    return publicClient.waitForTransactionReceipt({ hash });
  };
  const revertOf: Fixture["revertOf"] = async (from, to, abi, functionName, args = []) => {
    try {
      await publicClient.simulateContract({ address: to, abi, functionName, args, account: from });
      return undefined;
    } catch (error) {
      if (error instanceof BaseError) {
        const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
        if (revert instanceof ContractFunctionRevertedError && revert.data) {
          return { errorName: revert.data.errorName, args: revert.data.args ?? [] };
        }
      }
      throw error;
    }
  };
  const fixture: Fixture = {
    anvil,
    deployment,
    dev,
    deployer,
    publicClient,
    testClient,
    ch,
    write,
    revertOf,
    govern: (functionName, args) => write(timelock, ch, clearinghouseAbi, functionName, args),
    async depositUsdc(account, amount) {
      await write(deployer, deployment.contracts.usdc, testTokenAbi, "mint", [account, amount]);
      await write(account, deployment.contracts.usdc, testTokenAbi, "approve", [ch, amount]);
      await write(account, ch, clearinghouseAbi, "deposit", [0n, amount]);
    },
    async setPrice(feed, priceUsd) {
      await write(deployer, deployment.contracts.oracle, priceOracleAbi, "setPrice", [feed, wad(priceUsd)]);
    },
    async reset() {
      await testClient.revert({ id: snapshot });
      snapshot = await testClient.snapshot();
    },
    stop: () => anvil.stop(),
  };
  return fixture;
}

/** Decodes every clearinghouse event of a receipt. */
export function clearinghouseEvents(receipt: TransactionReceipt, ch: Address) {
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === ch.toLowerCase())
    .map((log) => decodeEventLog({ abi: clearinghouseAbi, data: log.data, topics: log.topics }));
}
