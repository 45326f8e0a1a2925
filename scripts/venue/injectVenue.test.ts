/**
 * An injected venue (real anvil, 300 planned accounts) read back through the dashboard's own
 * reader (lens + Multicall3 → readSnapshot → the engine's accounts) is exactly the venue the
 * builder intended, to the wei; the clearinghouse's invariants hold on it; it matches the same
 * plan seeded by real transactions; and once the original code is back, a trade and a
 * liquidation on an injected account go through as on any other.
 */

import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbiItem, type Address } from "viem";
import { clearinghouseAbi, priceOracleAbi, testTokenAbi, venueSeederAbi } from "../../lib/contracts/abis.ts";
import { readSnapshot } from "../../lib/actions/readSnapshot.ts";
import { computeAccountRisk, isLiquidatable, type ProtocolSnapshot } from "../../engine/index.ts";
import { startLocalChain, type LocalChain } from "../chain.ts";
import type { InjectVenueReport } from "./injectVenue.ts";

const ACCOUNTS = 300;
const tmp = process.env.TMPDIR ?? "/tmp";
let injected: LocalChain;
let seeded: LocalChain;

beforeAll(async () => {
  injected = await startLocalChain({ port: 8640, accounts: ACCOUNTS, inject: true, deploymentPath: `${tmp}/backstop-inject-${process.pid}.json`, log: () => {} });
  seeded = await startLocalChain({ port: 8641, accounts: ACCOUNTS, inject: false, deploymentPath: `${tmp}/backstop-inject-seeded-${process.pid}.json`, log: () => {} });
}, 180_000);
afterAll(async () => {
  await injected?.stop();
  await seeded?.stop();
});

const clientOf = (chain: LocalChain) => createPublicClient({ transport: http(chain.rpcUrl) });
const report = () => injected.seed as InjectVenueReport;
const ch = () => ({ address: injected.deployment.contracts.clearinghouse, abi: clearinghouseAbi }) as const;

/** Sends a transaction from an unlocked dev account and returns its receipt (throws on revert). */
async function send(from: Address, to: Address, data: `0x${string}`) {
  const hash = await createWalletClient({ account: from, transport: http(injected.rpcUrl) }).sendTransaction({ to, data, chain: null });
  const receipt = await clientOf(injected).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

it("reads back, through readSnapshot, exactly the accounts the builder intended, after the keeper and the two traders", async () => {
  const snapshot = await readSnapshot(clientOf(injected), { deployment: injected.deployment });
  const { venue, roles } = report();
  expect(venue.length).toBeGreaterThanOrEqual(ACCOUNTS);
  // The three deposit in one block, in the pool's order: which of them comes first is not fixed.
  expect(snapshot.accounts.slice(0, 3).map((a) => a.address).sort()).toEqual([roles.keeper, ...roles.traders].map((a) => a.toLowerCase()).sort());
  expect(snapshot.accounts.slice(3)).toEqual(venue);
  expect(venue.filter((a) => a.positions.length >= 2).length).toBeGreaterThan(0);
});

it("keeps the clearinghouse's invariants: open interest, holder lists, deposits, tokens held, events", async () => {
  const client = clientOf(injected);
  const snapshot: ProtocolSnapshot = await readSnapshot(client, { deployment: injected.deployment });
  for (const market of snapshot.markets) {
    const sizes = snapshot.accounts.flatMap((a) => a.positions.filter((p) => p.marketId === market.id).map((p) => p.sizeBase));
    const long = sizes.filter((s) => s > 0n).reduce((a, b) => a + b, 0n);
    const short = sizes.filter((s) => s < 0n).reduce((a, b) => a - b, 0n);
    expect([market.longOpenInterestBase, market.shortOpenInterestBase]).toEqual([long, long]);
    expect(short).toBe(long);
    const holders = await client.readContract({ ...ch(), functionName: "marketHolderCount", args: [BigInt(market.id)] });
    expect(holders).toBe(BigInt(sizes.length));
  }
  const reserveTokens = (snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd) / 10n ** 12n;
  for (const asset of snapshot.collaterals) {
    const credited = snapshot.accounts.reduce((sum, a) => sum + a.balancesNative[asset.id]!, 0n);
    expect(asset.totalDepositsNative).toBe(credited);
    const held = await client.readContract({ address: asset.token, abi: testTokenAbi, functionName: "balanceOf", args: [injected.deployment.contracts.clearinghouse] });
    expect(held).toBe(credited + (asset.id === 0 ? reserveTokens : 0n));
  }
  const logs = (event: string) => client.getLogs({ address: injected.deployment.contracts.clearinghouse, event: parseAbiItem(event) as never, fromBlock: 0n });
  const registered = await logs("event AccountRegistered(address indexed account, uint256 index)");
  expect(registered.map((l) => (l as unknown as { args: { account: Address } }).args.account.toLowerCase())).toEqual(snapshot.accounts.map((a) => a.address));
  const positions = await logs("event PositionUpdated(address indexed account, uint256 indexed marketId, int256 size, int256 openNotional)");
  expect(positions).toHaveLength(snapshot.accounts.reduce((n, a) => n + a.positions.length, 0));
  const deposits = await logs("event Deposited(address indexed account, address indexed payer, uint256 indexed assetId, uint256 amount)");
  expect(deposits).toHaveLength(snapshot.accounts.reduce((n, a) => n + a.balancesNative.filter((b) => b > 0n).length, 0));
});

it("holds what the same plan seeded by real transactions holds: balances and sizes to the wei", async () => {
  const [a, b] = await Promise.all([injected, seeded].map((chain) => readSnapshot(clientOf(chain), { deployment: chain.deployment })));
  const byAddress = new Map(b!.accounts.map((x) => [x.address, x]));
  expect(a!.accounts).toHaveLength(b!.accounts.length);
  for (const x of a!.accounts) {
    const y = byAddress.get(x.address)!;
    expect(x.balancesNative).toEqual(y.balancesNative);
    expect(x.positions.map((p) => [p.marketId, p.sizeBase])).toEqual(y.positions.map((p) => [p.marketId, p.sizeBase]));
  }
  expect(a!.markets.map((m) => m.longOpenInterestBase)).toEqual(b!.markets.map((m) => m.longOpenInterestBase));
  expect(a!.reserves).toEqual(b!.reserves);
});

it("has the clearinghouse's own code back, byte for byte: seedAccounts is gone", async () => {
  const [code, original] = await Promise.all([injected, seeded].map((chain) => clientOf(chain).getCode({ address: chain.deployment.contracts.clearinghouse })));
  expect(injected.deployment.contracts).toEqual(seeded.deployment.contracts); // same deployer, same nonces
  expect(code).toBe(original);
  const stranger = "0x000000000000000000000000000000000000dEaD";
  const data = encodeFunctionData({ abi: venueSeederAbi, functionName: "seedAccounts", args: [[{ account: stranger, balances: [], positions: [] }]] });
  await expect(clientOf(injected).call({ account: report().roles.deployer, to: injected.deployment.contracts.clearinghouse, data })).rejects.toThrow();
});

it("lets an injected account trade, and liquidates one once a price move puts it under maintenance", async () => {
  const client = clientOf(injected);
  const { venue, roles } = report();
  const trader = venue.find((a) => a.positions.some((p) => p.marketId === 0))!;
  const before = trader.positions.find((p) => p.marketId === 0)!.sizeBase;
  const delta = -(before / 2n); // halves it, against the keeper (flat, $40M of USDC)
  await send(roles.deployer, ch().address, encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [trader.address, roles.keeper, 0n, delta] }));
  const [, , positions] = await client.readContract({ ...ch(), functionName: "getAccount", args: [trader.address] });
  expect(positions.find((p) => p.marketId === 0n)!.size).toBe(before + delta);

  // ETH −25 %: some injected ETH longs fall under maintenance margin.
  const [eth] = (await readSnapshot(client, { deployment: injected.deployment })).markets;
  await send(roles.deployer, injected.deployment.contracts.oracle, encodeFunctionData({ abi: priceOracleAbi, functionName: "setPrice", args: [eth!.feedId, (eth!.markPriceWad * 3n) / 4n] }));
  const snapshot = await readSnapshot(client, { deployment: injected.deployment });
  const victim = snapshot.accounts.find((a) => venue.some((v) => v.address === a.address) && isLiquidatable(computeAccountRisk(snapshot, a)))!;
  expect(victim).toBeDefined();
  const receipt = await send(roles.keeper, ch().address, encodeFunctionData({ abi: clearinghouseAbi, functionName: "liquidate", args: [victim.address] }));
  expect(receipt.logs.length).toBeGreaterThan(0);
  const [, , after] = await client.readContract({ ...ch(), functionName: "getAccount", args: [victim.address] });
  expect(after).toHaveLength(0);
});
