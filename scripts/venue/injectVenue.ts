/**
 * Builds a big local venue (100k–1M accounts) in bounded time by state injection instead of
 * the ~2.5 transactions per account of `seedMarket`: the same plan (scripts/seed/plan.ts),
 * written through the clearinghouse's own code.
 *
 * 1. plan the market exactly as the seed does and settle it into accounts (venueAccounts);
 * 2. mint the tokens those accounts hold to the clearinghouse (it must hold what it credits);
 * 3. deploy VenueSeeder (the clearinghouse plus `seedAccounts`, contracts/src/testing) with the
 *    clearinghouse's constructor arguments and library, and `anvil_setCode` its runtime code at
 *    the clearinghouse's address: same storage, so `seedAccounts` writes the real venue;
 * 4. send the accounts in batches of `batchSize` (one transaction each, emitting the
 *    AccountRegistered, Deposited and PositionUpdated events the indexer reads), many batches
 *    to a block (ACCOUNTS_PER_BLOCK);
 * 5. put the clearinghouse's own runtime code back, checked byte for byte, even on failure;
 * 6. open the market as the seed does: the first price move. The reserves and the governance
 *    token (and its 256 blocks of aging) come before step 3, while the state is small: anvil's
 *    cost per mined block grows with the state. So the keeper and the two dev traders register
 *    before the venue's accounts, not after them as in the seed.
 *
 * The node needs a block gas limit that holds a block of batches (`INJECT_ANVIL_ARGS`). Anvil
 * only: `anvil_setCode` exists nowhere else.
 */

import { createPublicClient, createWalletClient, encodeFunctionData, http, type Address, type Hex, type PublicClient } from "viem";
import { clearinghouseAbi, testTokenAbi, venueSeederAbi } from "../../lib/contracts/abis.ts";
import { venueSeederBytecode } from "../../lib/contracts/bytecode.ts";
import { link } from "../../lib/contracts/deployProtocol.ts";
import type { Deployment } from "../../lib/contracts/deployment.ts";
import { sendCalls, type Call } from "../../lib/local/sendCalls.ts";
import { BackstopError } from "../../lib/errors/backstopError.ts";
import type { Account } from "../../engine/types.ts";
import { fundReservesAndToken, movePrices, planMarket, roleFundingCalls, seedRoles, type SeedReport } from "../seed/seed.ts";
import { venueAccounts } from "./venueAccounts.ts";

/** Gas one account may take in `seedAccounts`, with margin (measured: 243k on average over the 303 accounts of a 300-account plan). */
const GAS_PER_ACCOUNT = 400_000n;
/**
 * Accounts per `seedAccounts` transaction. At 100,000 accounts (`npm run bench -- --accounts
 * 100000 --batch B`) 250, 500, 1000 and 2000 built in 14.7, 13.6, 15.4 and 15.5 s: within noise.
 */
export const DEFAULT_BATCH_SIZE = 500;
/**
 * Accounts injected per mined block. Anvil's cost per mined block grows with the state (an empty
 * block takes ~1.6 s at 100,000 accounts), so few big blocks. 1M accounts (`npm run bench --
 * --accounts 1000000`): at 4,000 a block the blocks slowed from one a second to one every 6 s
 * (384k accounts after 6.5 min, stopped there); at 50,000 a block the build took 286 s, at
 * 200,000 163 s, at 500,000 139 s. But an indexer reads a block's logs in one answer at least:
 * ~3.6 logs an account, ~630 bytes of JSON each, so 228 MB at 100,000 accounts, and at 500,000
 * 1.1 GB — longer than the longest string V8 makes (~512 MB): Ponder could never read it. At
 * 100,000 a block (91,000 at 1M, 11 blocks) the 1M build took 227–238 s.
 */
const ACCOUNTS_PER_BLOCK = 100_000;
/**
 * Anvil flags for an injected venue: a block gas limit that holds ACCOUNTS_PER_BLOCK accounts.
 * History is kept unless asked otherwise (startLocalChain's `historyBlocks`, `--history N`): at 1M
 * accounts anvil's RSS after the build is 6.1 GiB (3.5 GiB pruned, build time the same within
 * noise: 150 s against 139 s), and every block mined after it adds ~1 GiB.
 */
export const INJECT_ANVIL_ARGS = ["--gas-limit", String(BigInt(ACCOUNTS_PER_BLOCK) * GAS_PER_ACCOUNT)];

export interface InjectVenueParameters {
  rpcUrl: string;
  deployment: Deployment;
  accounts: number;
  seed?: number;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface InjectVenueReport extends SeedReport {
  /** The accounts the venue was built to hold, in registration order: what the lens must read. */
  venue: Account[];
  /** Seconds spent sending `seedAccounts` batches (the rest is planning, tokens and the market's opening). */
  injectSeconds: number;
}

type Request = (args: { method: string; params: unknown[] }) => Promise<unknown>;

function seedAccountsCall(from: Address, to: Address, accounts: Account[]): Call {
  const data = encodeFunctionData({
    abi: venueSeederAbi,
    functionName: "seedAccounts",
    args: [accounts.map((a) => ({
      account: a.address,
      balances: a.balancesNative,
      positions: a.positions.map((p) => ({ marketId: BigInt(p.marketId), size: p.sizeBase })),
    }))],
  });
  return { from, to, data, label: `seedAccounts of ${accounts.length} accounts from ${accounts[0]!.address}` };
}

/** Deploys VenueSeeder with the clearinghouse's constructor arguments and returns its runtime code. */
async function seederRuntime(client: PublicClient, deployment: Deployment, deployer: Address, rpcUrl: string): Promise<Hex> {
  const ch = { address: deployment.contracts.clearinghouse, abi: clearinghouseAbi } as const;
  const [oracle, [, gracePeriod, cooldown]] = await Promise.all([
    client.readContract({ ...ch, functionName: "oracle" }),
    client.readContract({ ...ch, functionName: "globalParams" }),
  ]);
  const wallet = createWalletClient({ account: deployer, transport: http(rpcUrl) });
  const bytecode = link(venueSeederBytecode.bytecode, venueSeederBytecode.links, { LiquidationLogic: deployment.contracts.liquidationLogic });
  const hash = await wallet.deployContract({ abi: venueSeederAbi, bytecode, args: [deployer, oracle, gracePeriod, cooldown], chain: null });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new BackstopError(`VenueSeeder deployment reverted: ${hash}`);
  return (await client.getCode({ address: receipt.contractAddress }))!;
}

/** Runs `inject` with the seeder's code at the clearinghouse's address, then restores and checks the original. */
async function withSeederCode(client: PublicClient, clearinghouse: Address, seederCode: Hex, inject: () => Promise<void>): Promise<void> {
  const request = client.request as unknown as Request;
  const original = (await client.getCode({ address: clearinghouse }))!;
  await request({ method: "anvil_setCode", params: [clearinghouse, seederCode] });
  try {
    await inject();
  } finally {
    await request({ method: "anvil_setCode", params: [clearinghouse, original] });
  }
  const restored = await client.getCode({ address: clearinghouse });
  if (restored !== original) throw new BackstopError("the clearinghouse's code was not restored after the injection");
}

/**
 * Sends `calls` and mines them in one block (automine off, base fee 0 as in sendCalls), then
 * checks that the clearinghouse counts `expectedAccounts`: each batch registers all its accounts
 * or reverts, so the count says whether every batch went through without fetching receipts
 * (a block's receipts carry ~3 logs per account: tens of MB). On a shortfall, the first batch
 * that reverted is replayed to name its error.
 */
async function mineBlockOf(client: PublicClient, calls: Call[], gas: bigint, expectedAccounts: bigint): Promise<void> {
  const request = client.request as unknown as Request;
  const from = calls[0]!.from;
  let nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
  await request({ method: "evm_setAutomine", params: [false] });
  const hashes: Hex[] = [];
  try {
    for (const call of calls) {
      const tx = { from, to: call.to, data: call.data, gas: `0x${gas.toString(16)}`, nonce: `0x${(nonce++).toString(16)}` };
      hashes.push((await request({ method: "eth_sendTransaction", params: [tx] })) as Hex);
    }
    await request({ method: "anvil_setNextBlockBaseFeePerGas", params: ["0x0"] });
    await request({ method: "evm_mine", params: [] });
  } finally {
    await request({ method: "evm_setAutomine", params: [true] });
  }
  const registered = await client.readContract({ address: calls[0]!.to, abi: clearinghouseAbi, functionName: "accountCount" });
  if (registered === expectedAccounts) return;
  for (const [k, hash] of hashes.entries()) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt?.status === "success") continue;
    const reason = await client.call({ account: from, to: calls[k]!.to, data: calls[k]!.data, gas }).then(() => "not mined", (e: unknown) => (e instanceof Error ? e.message.split("\n")[0] : String(e)));
    throw new BackstopError(`${calls[k]!.label} failed: ${reason}`);
  }
  throw new BackstopError(`the clearinghouse counts ${registered} accounts after injecting, not ${expectedAccounts}`);
}

/** Builds the venue of `accounts` planned accounts on a freshly deployed protocol; see the header. */
export async function injectVenue({
  rpcUrl,
  deployment,
  accounts,
  seed = 20260312,
  batchSize = DEFAULT_BATCH_SIZE,
  log = console.log,
}: InjectVenueParameters): Promise<InjectVenueReport> {
  const started = performance.now();
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 600_000 }) });
  const c = deployment.contracts;
  const roles = await seedRoles(rpcUrl);
  const market = await planMarket(client, deployment, accounts, seed);
  const { plan, usdc, weth } = market;
  const venue = venueAccounts({
    plan,
    markets: market.markets.map((m) => ({ markPriceWad: m.markPrice, imrWad: m.params.imr })),
    collaterals: [usdc, weth],
  });
  const held = [0, 1].map((id) => venue.reduce((sum, a) => sum + a.balancesNative[id]!, 0n));
  log(`venue: ${venue.length} accounts planned in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const mint = (token: Address, amount: bigint, label: string): Call => ({
    from: roles.deployer, to: token, label, data: encodeFunctionData({ abi: testTokenAbi, functionName: "mint", args: [c.clearinghouse, amount] }),
  });
  let { sent: transactions } = await sendCalls(client, {
    calls: [mint(usdc.token, held[0]!, "USDC held for the accounts"), mint(weth.token, held[1]!, "WETH held for the accounts"), ...roleFundingCalls(deployment, roles, usdc)],
  });

  transactions += await fundReservesAndToken(client, deployment, roles, market, seed, log);

  const injectStarted = performance.now();
  const code = await seederRuntime(client, deployment, roles.deployer, rpcUrl);
  const batches = Array.from({ length: Math.ceil(venue.length / batchSize) }, (_, i) => venue.slice(i * batchSize, (i + 1) * batchSize));
  // Batches spread evenly over the fewest blocks: a last block of the 3 market makers alone would cost a whole block.
  const perBlock = Math.ceil(batches.length / Math.ceil(venue.length / ACCOUNTS_PER_BLOCK));
  const registeredBefore = await client.readContract({ address: c.clearinghouse, abi: clearinghouseAbi, functionName: "accountCount" });
  await withSeederCode(client, c.clearinghouse, code, async () => {
    for (let i = 0; i < batches.length; i += perBlock) {
      const calls = batches.slice(i, i + perBlock).map((batch) => seedAccountsCall(roles.deployer, c.clearinghouse, batch));
      const done = Math.min((i + calls.length) * batchSize, venue.length);
      await mineBlockOf(client, calls, BigInt(batchSize) * GAS_PER_ACCOUNT, registeredBefore + BigInt(done));
      transactions += calls.length;
      log(`  injected ${done}/${venue.length} accounts in ${((performance.now() - injectStarted) / 1000).toFixed(1)} s`);
    }
  });
  const injectSeconds = (performance.now() - injectStarted) / 1000;

  transactions += await movePrices(client, deployment, roles, market, log);
  const seconds = (performance.now() - started) / 1000;
  log(`built a venue of ${venue.length} accounts (${transactions} transactions, ${injectSeconds.toFixed(1)} s injecting) in ${seconds.toFixed(1)} s`);
  return { accounts: venue.length, transactions, seconds, injectSeconds, whales: plan.whales, marketMakers: plan.marketMakers, roles, venue };
}
