/**
 * Seeds a freshly deployed local chain with the demo market of `plan.ts`, then funds the
 * reserves, spreads the governance token and moves prices a little so the first screen has
 * accounts close to (and a few past) their liquidation price.
 *
 * Speed: ~12,000 transactions, sent in bulk by `lib/local/sendCalls` (automine off, batches,
 * explicit nonces): a single revert fails the seed with its transaction named.
 */

import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  maxUint256,
  parseUnits,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { keccak256, stringToHex } from "viem";
import {
  backstopTokenAbi,
  clearinghouseAbi,
  clearinghouseLensAbi,
  priceOracleAbi,
  testTokenAbi,
} from "../../lib/contracts/abis.ts";
import type { Deployment } from "../../lib/contracts/deployment.ts";
import { sendCalls, type Call } from "../../lib/local/sendCalls.ts";
import { planSeed, type PlanMarket, type SeedPlan } from "./plan.ts";
import { seededRandom } from "../../engine/math/random.ts";
import { messageOf } from "../../lib/errors/messageOf.ts";

export interface SeedParameters {
  rpcUrl: string;
  deployment: Deployment;
  accounts: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SeedReport {
  accounts: number;
  transactions: number;
  seconds: number;
  whales: Address[];
  marketMakers: Address[];
  /** Anvil dev accounts and the roles the seed gave them. */
  roles: { deployer: Address; delegates: Address[]; stakers: Address[]; keeper: Address; traders: Address[] };
}

/** Sends a stage of the seed and says how far it got. */
async function execute(client: PublicClient, calls: Call[], label: string, log: (line: string) => void): Promise<number> {
  const { sent } = await sendCalls(client, {
    calls,
    onProgress: (done, total) => {
      if (total > 1000 && (done % 2000 === 0 || done === total)) log(`  ${label}: sent ${done}/${total}`);
    },
  }).catch((error: unknown) => {
    throw new Error(`${label}: ${messageOf(error)}`);
  });
  return sent;
}

const call = (from: Address, to: Address, data: Hex, label: string): Call => ({ from, to, data, label });

/** Blocks mined after the token is spread: older than the detectors' 200-block window. */
const HISTORY_AGE_BLOCKS = 256;

interface PlanAsset {
  id: number;
  decimals: number;
  priceWad: bigint;
  weightWad: bigint;
  depositCap: bigint;
  token: Address;
}

/** The market the seed plans for a deployment: its plan, markets and two collaterals. */
export interface MarketPlan {
  plan: SeedPlan;
  markets: readonly { feedId: Hex; markPrice: bigint; params: { imr: bigint } }[];
  usdc: PlanAsset;
  weth: PlanAsset;
}

/** The dev accounts the seed gives roles to: anvil's first ten, in order. */
export async function seedRoles(rpcUrl: string): Promise<SeedReport["roles"]> {
  const dev = await createWalletClient({ transport: http(rpcUrl) }).getAddresses();
  if (dev.length < 10) throw new Error(`the node exposes ${dev.length} unlocked accounts; the seed needs anvil's 10 dev accounts`);
  const [deployer, d1, d2, d3, d4, staker1, staker2, trader1, trader2, keeper] = dev as [Address, ...Address[]] & Address[];
  return { deployer, delegates: [d1!, d2!, d3!, d4!], stakers: [staker1!, staker2!], keeper: keeper!, traders: [trader1!, trader2!] };
}

/** Reads the listed markets and collaterals and plans `accounts` accounts on them (plan.ts). */
export async function planMarket(client: PublicClient, deployment: Deployment, accounts: number, seed: number): Promise<MarketPlan> {
  const c = deployment.contracts;
  const [markets, collaterals] = await Promise.all([
    client.readContract({ address: c.lens, abi: clearinghouseLensAbi, functionName: "getMarkets" }),
    client.readContract({ address: c.lens, abi: clearinghouseLensAbi, functionName: "getCollaterals" }),
  ]);
  const popularity = [0.45, 0.35, 0.2];
  const planMarkets: PlanMarket[] = markets.map((m, i) => ({
    id: Number(m.id),
    markPriceWad: m.markPrice,
    imrWad: m.params.imr,
    oiCapUsd: m.params.oiCapUsd,
    concentrationCapWad: m.params.concentrationCap,
    popularity: popularity[i] ?? 0.1,
  }));
  const [usdc, weth] = collaterals.map((a) => ({
    id: Number(a.id),
    decimals: Number(a.decimals),
    priceWad: a.price,
    weightWad: a.params.weight,
    depositCap: a.params.depositCap,
    token: a.token,
  }));
  if (!usdc || !weth) throw new Error("the seed needs two collateral assets (the quote token and a volatile one)");

  const plan = planSeed({ seed, accounts, markets: planMarkets, collaterals: [usdc, weth], targetOiShare: 0.62, whales: 4 });
  [usdc, weth].forEach((a, k) => {
    if (plan.totalsNative[k]! > a.depositCap) {
      throw new Error(`the seed deposits ${plan.totalsNative[k]} of asset ${a.id}, over its deposit cap ${a.depositCap}`);
    }
  });
  return { plan, markets, usdc, weth };
}

const usdAmount = (usdc: PlanAsset, amount: number) => parseUnits(String(amount), usdc.decimals);

/** What the reserves stage stakes and deposits, in USDC units. */
function reserveAmounts(usdc: PlanAsset) {
  return { insurance: usdAmount(usdc, 2_500_000), stakes: [usdAmount(usdc, 3_000_000), usdAmount(usdc, 1_500_000)], keeper: usdAmount(usdc, 40_000_000), trader: usdAmount(usdc, 250_000) };
}

/**
 * Tokens for the reserves and the dev accounts: USDC minted (the deployer owns the test tokens)
 * to the deployer for the insurance fund, to the stakers, the keeper and the traders, each
 * approving the clearinghouse.
 */
export function roleFundingCalls(deployment: Deployment, roles: SeedReport["roles"], usdc: PlanAsset): Call[] {
  const c = deployment.contracts;
  const reserves = reserveAmounts(usdc);
  return [
    call(roles.deployer, usdc.token, encodeFunctionData({ abi: testTokenAbi, functionName: "mint", args: [roles.deployer, reserves.insurance] }), "mint USDC for the insurance fund"),
    call(roles.deployer, usdc.token, encodeFunctionData({ abi: testTokenAbi, functionName: "approve", args: [c.clearinghouse, maxUint256] }), "approve USDC"),
    ...[...roles.stakers, roles.keeper, ...roles.traders].flatMap((who, k) => {
      const amount = k < 2 ? reserves.stakes[k]! : k === 2 ? reserves.keeper : reserves.trader;
      return [
        call(roles.deployer, usdc.token, encodeFunctionData({ abi: testTokenAbi, functionName: "mint", args: [who, amount] }), `mint USDC to ${who}`),
        call(who, usdc.token, encodeFunctionData({ abi: testTokenAbi, functionName: "approve", args: [c.clearinghouse, maxUint256] }), `approve USDC for ${who}`),
      ];
    }),
  ];
}

/** Seeds the demo market and returns what it did. */
export async function seedMarket({ rpcUrl, deployment, accounts, seed = 20260312, log = console.log }: SeedParameters): Promise<SeedReport> {
  const started = performance.now();
  const client = createPublicClient({ transport: http(rpcUrl, { batch: { batchSize: 250 }, timeout: 60_000 }) });
  const c = deployment.contracts;
  const roles = await seedRoles(rpcUrl);
  const { deployer } = roles;
  const market = await planMarket(client, deployment, accounts, seed);
  const { plan, usdc, weth } = market;
  log(`seed: ${plan.accounts.length} accounts, ${plan.deposits.length} deposits, ${plan.trades.length} trades over ${market.markets.length} markets`);

  // Tokens for the deposits (the deployer deposits for every account), the reserves and the dev accounts.
  const setup: Call[] = [
    call(deployer, usdc.token, encodeFunctionData({ abi: testTokenAbi, functionName: "mint", args: [deployer, plan.totalsNative[0]!] }), "mint USDC"),
    call(deployer, weth.token, encodeFunctionData({ abi: testTokenAbi, functionName: "mint", args: [deployer, plan.totalsNative[1]!] }), "mint WETH"),
    call(deployer, weth.token, encodeFunctionData({ abi: testTokenAbi, functionName: "approve", args: [c.clearinghouse, maxUint256] }), "approve WETH"),
    ...roleFundingCalls(deployment, roles, usdc),
  ];
  let transactions = await execute(client, setup, "tokens", log);

  const deposits = plan.deposits.map((d) =>
    call(deployer, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "depositFor", args: [d.account, BigInt(d.assetId), d.amountNative] }), `deposit ${d.amountNative} of asset ${d.assetId} for ${d.account}`),
  );
  transactions += await execute(client, deposits, "deposits", log);
  const trades = plan.trades.map((t) =>
    call(deployer, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [t.taker, t.maker, BigInt(t.marketId), t.sizeDeltaBase] }), `trade ${t.sizeDeltaBase} of market ${t.marketId}: ${t.taker} against ${t.maker}`),
  );
  transactions += await execute(client, trades, "trades", log);
  transactions += await fundReservesAndToken(client, deployment, roles, market, seed, log);
  transactions += await movePrices(client, deployment, roles, market, log);

  const seconds = (performance.now() - started) / 1000;
  log(`seeded ${plan.accounts.length} accounts (${transactions} transactions) in ${seconds.toFixed(1)} s`);
  return { accounts: plan.accounts.length, transactions, seconds, whales: plan.whales, marketMakers: plan.marketMakers, roles };
}

/**
 * The reserves, the governance token and its aging: after the accounts on a seeded venue, before
 * them on an injected one (anvil's cost per mined block grows with the state, and the aging mines
 * 256). Returns the transactions sent. The tokens of `roleFundingCalls` must have been sent first.
 */
export async function fundReservesAndToken(
  client: PublicClient,
  deployment: Deployment,
  roles: SeedReport["roles"],
  { usdc }: MarketPlan,
  seed: number,
  log: (line: string) => void,
): Promise<number> {
  const c = deployment.contracts;
  const reserves = reserveAmounts(usdc);
  // Reserves: the deployer funds the insurance fund, two members stake the default fund, the
  // keeper and two traders deposit USDC of their own.
  let transactions = await execute(client, [
    call(roles.deployer, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "fundInsurance", args: [reserves.insurance] }), "fund the insurance fund"),
    ...roles.stakers.map((who, k) =>
      call(who, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "stakeDefaultFund", args: [reserves.stakes[k]!] }), `stake the default fund from ${who}`),
    ),
    call(roles.keeper, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "deposit", args: [0n, reserves.keeper] }), "keeper deposit"),
    ...roles.traders.map((who) =>
      call(who, c.clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "deposit", args: [0n, reserves.trader] }), `trader deposit ${who}`),
    ),
  ], "reserves", log);

  transactions += await spreadGovernanceToken(client, deployment, roles, seed, log);
  // On a real venue the token's history is months old when the first proposal comes: let it age
  // past every governance detector's look-back (the power-jump window is 200 blocks), or an honest
  // first proposal is flagged for votes "gained just before the snapshot".
  await client.request({ method: "anvil_mine", params: [`0x${HISTORY_AGE_BLOCKS.toString(16)}`] } as never);
  return transactions;
}

/** The first price move once the market is open; returns the transactions sent (one). */
export async function movePrices(client: PublicClient, deployment: Deployment, roles: SeedReport["roles"], { markets }: MarketPlan, log: (line: string) => void): Promise<number> {
  // A small move after the market opened: some leveraged accounts drift toward liquidation,
  // and SOL squeezes 11 %, pushing the most levered SOL shorts past it, so the keeper has work on the first block.
  const moves = [-0.012, -0.008, 0.11];
  const prices = markets.map((m, i) => (m.markPrice * BigInt(Math.round((1 + (moves[i] ?? 0)) * 1e6))) / 1_000_000n);
  return execute(client, [
    call(roles.deployer, deployment.contracts.oracle, encodeFunctionData({ abi: priceOracleAbi, functionName: "setPrices", args: [markets.map((m) => m.feedId), prices] }), "post prices"),
  ], "prices", log);
}

/**
 * The governance token: four dev accounts are delegates who delegate to themselves; 160 holders
 * with derived keys get log-normal amounts; 60 % of them delegate (by signature) to one of the
 * delegates, the rest never delegate (their votes count for nobody); the treasury (timelock)
 * keeps what is left.
 */
async function spreadGovernanceToken(
  client: PublicClient,
  deployment: Deployment,
  roles: SeedReport["roles"],
  seed: number,
  log: (line: string) => void,
): Promise<number> {
  const token = deployment.contracts.governanceToken;
  const totalSupply = await client.readContract({ address: token, abi: backstopTokenAbi, functionName: "balanceOf", args: [roles.deployer] });
  const share = (pct: number) => (totalSupply * BigInt(Math.round(pct * 1e4))) / 1_000_000n;
  const rng = seededRandom(seed + 1);
  const holders = Array.from({ length: 160 }, (_, i) => privateKeyToAccount(keccak256(stringToHex(`backstop-demo-holder-${i}`))));
  const weights = holders.map(() => Math.exp(1.4 * rng.normal()));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const calls: Call[] = [
    ...[9, 6, 4.5, 3].map((pct, k) =>
      call(roles.deployer, token, encodeFunctionData({ abi: backstopTokenAbi, functionName: "transfer", args: [roles.delegates[k]!, share(pct)] }), `tokens to delegate ${k}`),
    ),
    ...roles.delegates.map((d) => call(d, token, encodeFunctionData({ abi: backstopTokenAbi, functionName: "delegate", args: [d] }), `self-delegation of ${d}`)),
    ...holders.map((h, i) =>
      call(roles.deployer, token, encodeFunctionData({ abi: backstopTokenAbi, functionName: "transfer", args: [h.address, share((30 * weights[i]!) / weightSum)] }), `tokens to holder ${i}`),
    ),
  ];
  const name = await client.readContract({ address: token, abi: backstopTokenAbi, functionName: "name" });
  const chainId = await client.getChainId();
  const expiry = 2n ** 40n;
  for (const [i, holder] of holders.entries()) {
    if (rng.next() >= 0.6) continue;
    const delegatee = roles.delegates[Math.floor(rng.next() * roles.delegates.length)]!;
    const signature = await holder.signTypedData({
      domain: { name, version: "1", chainId, verifyingContract: token },
      types: { Delegation: [{ name: "delegatee", type: "address" }, { name: "nonce", type: "uint256" }, { name: "expiry", type: "uint256" }] },
      primaryType: "Delegation",
      message: { delegatee, nonce: 0n, expiry },
    });
    const r = signature.slice(0, 66) as Hex;
    const s = `0x${signature.slice(66, 130)}` as Hex;
    const v = Number.parseInt(signature.slice(130, 132), 16);
    calls.push(call(roles.deployer, token, encodeFunctionData({ abi: backstopTokenAbi, functionName: "delegateBySig", args: [delegatee, 0n, expiry, v, r, s] }), `delegation by signature of holder ${i}`));
  }
  // The rest is the treasury: held by the timelock, spendable only by a passed proposal.
  const sent = await execute(client, calls, "governance token", log);
  const left = await client.readContract({ address: token, abi: backstopTokenAbi, functionName: "balanceOf", args: [roles.deployer] });
  return sent + (await execute(client, [
    call(roles.deployer, token, encodeFunctionData({ abi: backstopTokenAbi, functionName: "transfer", args: [deployment.contracts.timelock, left] }), "treasury"),
  ], "treasury", log));
}
