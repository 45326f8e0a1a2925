import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseUnits, type Abi, type Address, type PublicClient } from "viem";
import { findLiquidatable, WAD } from "../../engine/index.ts";
import { clearinghouseAbi, priceOracleAbi, testTokenAbi } from "../contracts/abis.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { followSnapshot, type FollowedBlock } from "./followSnapshot.ts";
import { readSnapshot } from "./readSnapshot.ts";

let chain: LocalChain;
let client: PublicClient;
let deployer: Address;
let keeper: Address;
let traders: Address[];

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-followSnapshot-${process.pid}.json`, log: () => {} });
  client = createPublicClient({ transport: http(chain.rpcUrl) });
  const dev = await createWalletClient({ transport: http(chain.rpcUrl) }).getAddresses();
  // The seed's roles (scripts/seed): the deployer matches trades; two traders and the keeper hold deep margin of their own.
  [deployer, keeper] = [dev[0]!, dev[9]!];
  traders = [dev[7]!, dev[8]!, dev[9]!];
}, 180_000);
afterAll(async () => chain?.stop());

async function send(from: Address, to: Address, abi: Abi, functionName: string, args: unknown[]) {
  const wallet = createWalletClient({ account: from, transport: http(chain.rpcUrl) });
  const hash = await wallet.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), gas: 5_000_000n, chain: null });
  const receipt = await client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

const head = async (): Promise<FollowedBlock> => client.getBlock({ blockTag: "latest" });
const c = () => chain.deployment.contracts;
const trade = (taker: Address, maker: Address, size: bigint) => send(deployer, c().clearinghouse, clearinghouseAbi as Abi, "trade", [taker, maker, 0n, size]);
let ethFeed: `0x${string}`;
const setEthPrice = (usd: bigint) => send(deployer, c().oracle, priceOracleAbi as Abi, "setPrice", [ethFeed, usd * WAD]);

/** The follower's snapshot of the head equals a full read of the same block, to the wei; returns how it was read. */
async function followed(follower: ReturnType<typeof followSnapshot>) {
  const block = await head();
  const snapshot = await follower.read(block);
  expect(snapshot).toEqual(await readSnapshot(client, { deployment: chain.deployment, block }));
  return follower.last;
}

it("follows trades, a price move, a new account, a gap of blocks and a liquidation, each block's logs applied to the last snapshot; equal to a full read at every block", async () => {
  const follower = followSnapshot(client, { deployment: chain.deployment });
  expect(await followed(follower)).toEqual({ kind: "full" });
  const before = await follower.read(await head());
  ethFeed = before.markets[0]!.feedId;
  const [a, b, d] = traders;

  await trade(a!, b!, WAD / 100n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 2, blocks: 1 });

  const mark = before.markets[0]!.markPriceWad / WAD;
  await setEthPrice(mark + 1n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 0, blocks: 1 });

  // A deposit for an address never seen registers it: read as a new row.
  const fresh = "0x00000000000000000000000000000000000f0110" as Address;
  const amount = parseUnits("5000", 6);
  await send(deployer, c().usdc, testTokenAbi as Abi, "mint", [deployer, amount]);
  await send(deployer, c().usdc, testTokenAbi as Abi, "approve", [c().clearinghouse, amount]);
  await send(deployer, c().clearinghouse, clearinghouseAbi as Abi, "depositFor", [fresh, 0n, amount]);
  const afterDeposit = await followed(follower);
  expect(afterDeposit).toMatchObject({ kind: "incremental", accountsChanged: 1, blocks: 3 });
  expect((await follower.read(await head())).accounts.at(-1)!.address).toBe(fresh);

  // A withdrawal: the balance moves by the event's amount.
  await send(a!, c().clearinghouse, clearinghouseAbi as Abi, "withdraw", [0n, parseUnits("1", 6)]);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 1, blocks: 1 });

  // Three blocks read at once: one eth_getLogs over the range.
  await trade(a!, d!, WAD / 50n);
  await trade(b!, d!, -WAD / 50n);
  await setEthPrice(mark);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 3, blocks: 3 });

  // A crash, then a keeper liquidation: the account, the keeper and any ADL counterparty changed by its logs.
  await setEthPrice((mark * 7n) / 10n);
  const crashed = await follower.read(await head());
  const [victim] = findLiquidatable(crashed);
  expect(victim).toBeDefined();
  await send(keeper, c().clearinghouse, clearinghouseAbi as Abi, "liquidate", [victim]);
  const liquidation = await followed(follower);
  expect(liquidation).toMatchObject({ kind: "incremental", blocks: 1 });
  const after = await follower.read(await head());
  expect(after.accounts.find((x) => x.address === victim)!.positions).toEqual([]);
  await setEthPrice(mark);
}, 120_000);

it("reads the whole state again after a reorg, a long gap, or every `fullEvery` blocks", async () => {
  const follower = followSnapshot(client, { deployment: chain.deployment, fullEvery: 3n });
  await followed(follower);
  const accounts = traders;

  // A reorg: the block the follower read is replaced by another at the same height.
  const saved = await client.request({ method: "evm_snapshot" as never, params: [] as never });
  await trade(accounts[0]!, accounts[1]!, WAD / 100n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 2, blocks: 1 });
  const replaced = await head();
  await client.request({ method: "evm_revert" as never, params: [saved] as never });
  await trade(accounts[1]!, accounts[2]!, WAD / 100n);
  const replacing = await head();
  expect([replacing.number, replacing.hash === replaced.hash]).toEqual([replaced.number, false]);
  expect(await followed(follower)).toEqual({ kind: "full" });

  for (let block = 1; block <= 3; block++) {
    await trade(accounts[0]!, accounts[2]!, WAD / 100n);
    // Three blocks since the last full read: read in full again.
    expect((await followed(follower))!.kind).toBe(block < 3 ? "incremental" : "full");
  }

  // More blocks behind than one eth_getLogs bridges.
  await client.request({ method: "anvil_mine" as never, params: ["0x50"] as never });
  const far = followSnapshot(client, { deployment: chain.deployment });
  await far.read(await head());
  await client.request({ method: "anvil_mine" as never, params: ["0x50"] as never });
  expect(await followed(far)).toEqual({ kind: "full" });
}, 120_000);
