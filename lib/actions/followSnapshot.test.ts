import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, encodeAbiParameters, encodeFunctionData, hexToBigInt, http, keccak256, parseUnits, toFunctionSelector, toHex, type Abi, type Address, type PublicClient } from "viem";
import { findLiquidatable, WAD } from "../../engine/index.ts";
import { clearinghouseAbi, priceOracleAbi, testTokenAbi } from "../contracts/abis.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import { startRpcProxy } from "../testing/rpcProxy.ts";
import { CHECK_OVERDUE_TIMES, followerCheckOverdueAlert, followerDriftAlert, followSnapshot, type FollowedBlock } from "./followSnapshot.ts";
import { readSnapshot } from "./readSnapshot.ts";

let chain: LocalChain;
let client: PublicClient;
let deployer: Address;
let keeper: Address;
let traders: Address[];

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-followSnapshot-${process.pid}.json`, log: () => {} });
  // Receipts polled every 100 ms (viem's default is 4 s): anvil mines each transaction at once.
  client = createPublicClient({ transport: http(chain.rpcUrl), pollingInterval: 100 });
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
  expect(await followed(follower)).toEqual({ kind: "full", why: "the first block" });
  const before = await follower.read(await head());
  ethFeed = before.markets[0]!.feedId;
  const [a, b, d] = traders;

  await trade(a!, b!, WAD / 100n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 2, blocks: 1, nodeMs: expect.any(Number) });

  const mark = before.markets[0]!.markPriceWad / WAD;
  await setEthPrice(mark + 1n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 0, blocks: 1, nodeMs: expect.any(Number) });

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
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 1, blocks: 1, nodeMs: expect.any(Number) });

  // Three blocks read at once: one eth_getLogs over the range.
  await trade(a!, d!, WAD / 50n);
  await trade(b!, d!, -WAD / 50n);
  await setEthPrice(mark);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 3, blocks: 3, nodeMs: expect.any(Number) });

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

it("reads the whole state again after a reorg or a long gap", async () => {
  const follower = followSnapshot(client, { deployment: chain.deployment });
  await followed(follower);
  const accounts = traders;

  // A reorg: the block the follower read is replaced by another at the same height.
  const saved = await client.request({ method: "evm_snapshot" as never, params: [] as never });
  await trade(accounts[0]!, accounts[1]!, WAD / 100n);
  expect(await followed(follower)).toEqual({ kind: "incremental", accountsChanged: 2, blocks: 1, nodeMs: expect.any(Number) });
  const replaced = await head();
  await client.request({ method: "evm_revert" as never, params: [saved] as never });
  await trade(accounts[1]!, accounts[2]!, WAD / 100n);
  const replacing = await head();
  expect([replacing.number, replacing.hash === replaced.hash]).toEqual([replaced.number, false]);
  expect(await followed(follower)).toEqual({ kind: "full", why: "the block is not on the last one's chain within 64 blocks (a reorg, or a gap)" });

  await trade(accounts[0]!, accounts[2]!, WAD / 100n);
  expect((await followed(follower))!.kind).toBe("incremental");

  // More blocks behind than one eth_getLogs bridges.
  await client.request({ method: "anvil_mine" as never, params: ["0x50"] as never });
  const far = followSnapshot(client, { deployment: chain.deployment });
  await far.read(await head());
  await client.request({ method: "anvil_mine" as never, params: ["0x50"] as never });
  expect(await followed(far)).toEqual({ kind: "full", why: "the block is not on the last one's chain within 64 blocks (a reorg, or a gap)" });
}, 120_000);

/** The storage slot of `account`'s balance of asset 0 in the clearinghouse, found by probing the slots a mapping of structs could put it at for the value it holds. */
async function balanceSlotOf(account: Address, balance: bigint): Promise<`0x${string}`> {
  for (let base = 0n; base < 32n; base++) {
    const struct = hexToBigInt(keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [account, base])));
    for (let field = 0n; field < 16n; field++) {
      const slot = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [0n, struct + field]));
      if (hexToBigInt((await client.getStorageAt({ address: c().clearinghouse, slot })) ?? "0x0") === balance) return slot;
    }
  }
  throw new Error(`no slot holds ${account}'s balance ${balance}`);
}

it("verifies the followed accounts against a full read in the background every `verifyEvery` blocks, following meanwhile; a state change no event announced is found, and the next read is a full one", async () => {
  const follower = followSnapshot(client, { deployment: chain.deployment, verifyEvery: 2n });
  expect(await followed(follower)).toEqual({ kind: "full", why: "the first block" });
  const [a, b, d] = traders;
  await trade(a!, b!, WAD / 100n);
  expect(await followed(follower)).toMatchObject({ kind: "incremental" });
  expect(follower.verifying).toBeUndefined();
  // Two blocks since the full read: this block's accounts are verified, in the background.
  await trade(a!, d!, WAD / 100n);
  const verifiedBlock = await head();
  await follower.read(verifiedBlock);
  expect(follower.last).toMatchObject({ kind: "incremental" });
  expect(follower.verifying).toBeDefined();
  // The next block is mined while the verification reads, and followed.
  await trade(b!, d!, WAD / 100n);
  expect(await followed(follower)).toMatchObject({ kind: "incremental" });
  await follower.verifying;
  expect(follower.verified).toEqual({ blockNumber: verifiedBlock.number, drifted: 0 });
  expect(followerDriftAlert(follower.verified)).toBeUndefined();

  // A balance changed in storage, as a bug could change it without its event: the logs cannot see it.
  const drifting = "0x00000000000000000000000000000000000d51f7" as Address;
  const amount = parseUnits("1234.567891", 6);
  await send(deployer, c().usdc, testTokenAbi as Abi, "mint", [deployer, amount]);
  await send(deployer, c().usdc, testTokenAbi as Abi, "approve", [c().clearinghouse, amount]);
  await send(deployer, c().clearinghouse, clearinghouseAbi as Abi, "depositFor", [drifting, 0n, amount]);
  await follower.read(await head());
  await client.request({ method: "anvil_setStorageAt" as never, params: [c().clearinghouse, await balanceSlotOf(drifting, amount), toHex(amount * 2n, { size: 32 })] as never });
  await trade(a!, b!, WAD / 100n);
  let block = await head();
  const balanceIn = (s: { accounts: { address: string; balancesNative: bigint[] }[] }) => s.accounts.find((x) => x.address === drifting)!.balancesNative[0];
  expect(balanceIn(await follower.read(block))).toBe(amount); // followed: the drift unseen
  expect(balanceIn(await readSnapshot(client, { deployment: chain.deployment, block }))).toBe(amount * 2n);
  // Blocks go on being followed until a verification finds it (two blocks on at most); then the whole state is read.
  for (let more = 0; more < 4 && follower.verified!.drifted === 0; more++) {
    await follower.verifying;
    if (follower.verified!.drifted > 0) break;
    await trade(a!, b!, WAD / 100n);
    block = await head();
    await follower.read(block);
    expect(follower.last?.kind).toBe("incremental");
  }
  expect(follower.verified!.drifted).toBe(1);
  expect(follower.verified!.blockNumber).toBeGreaterThan(verifiedBlock.number);
  // On the overview: a warning naming the block and the count.
  expect(followerDriftAlert(follower.verified)).toMatchObject({ id: "follower-drift", severity: "warning", title: `1 account followed from events differed from the chain at block ${follower.verified!.blockNumber.toLocaleString("en-US")}` });
  await trade(a!, d!, WAD / 100n);
  expect(await followed(follower)).toEqual({ kind: "full", why: "a verification found accounts that differ from the chain" });
  expect(balanceIn(await follower.read(await head()))).toBe(amount * 2n);
}, 120_000);

it("a verification that cannot read its block is tried again a tenth of `verifyEvery` later, the blocks followed meanwhile", async () => {
  const proxy = await startRpcProxy(chain.rpcUrl);
  try {
    const through = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
    const follower = followSnapshot(through, { deployment: chain.deployment, verifyEvery: 10n });
    expect((await follower.read(await head())).accounts.length).toBeGreaterThan(0);
    await client.request({ method: "anvil_mine" as never, params: ["0xa"] as never });
    const unread = await head();
    await follower.read(unread);
    expect(follower.verifying).toBeDefined();
    // The node goes down before the verification's first request reaches it.
    proxy.setDown(true);
    await follower.verifying;
    proxy.setDown(false);
    expect(follower.verified).toBeUndefined();
    expect(follower.verifyFailure).toMatch(/HTTP request failed/);
    // A tenth of 10 blocks, plus one: none at the next block, one at the block after.
    await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
    await follower.read(await head());
    expect([follower.last?.kind, follower.verifying]).toEqual(["incremental", undefined]);
    await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
    const retried = await head();
    await follower.read(retried);
    expect(follower.verifying).toBeDefined();
    await follower.verifying;
    expect(follower.verified).toEqual({ blockNumber: retried.number, drifted: 0 });
    expect(follower.verifyFailure).toBeUndefined();
    expect(retried.number - unread.number).toBe(2n);
  } finally {
    await proxy.stop();
  }
}, 60_000);

it("a verification reads the accounts part by part, each at the newest block followed: on a node that keeps only its newest block's state it still ends", async () => {
  const proxy = await startRpcProxy(chain.rpcUrl);
  try {
    const through = createPublicClient({ transport: http(proxy.url, { retryCount: 0 }) });
    const follower = followSnapshot(through, { deployment: chain.deployment, verifyEvery: 1n, verifyPart: 100 });
    // Three parts or more.
    expect((await follower.read(await head())).accounts.length).toBeGreaterThan(200);
    await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
    let release!: () => void;
    follower.hold(new Promise<void>((resolve) => (release = resolve)));
    const begun = await head();
    await follower.read(begun);
    expect(follower.verifying).toBeDefined();
    // While its reads wait, blocks are mined and followed, and the node lets go of every state but the newest's.
    await client.request({ method: "anvil_mine" as never, params: ["0x5"] as never });
    const newest = await head();
    await follower.read(newest);
    proxy.control({ statesFrom: Number(newest.number) });
    await expect(through.call({ to: chain.deployment.contracts.lens, blockNumber: begun.number })).rejects.toThrow(/pruned/);
    release();
    await follower.verifying;
    // Its first part, refused at the block it began at, read again at the newest; the others there.
    expect(follower.verified).toEqual({ blockNumber: newest.number, drifted: 0 });
    expect(newest.number - begun.number).toBe(5n);
  } finally {
    await proxy.stop();
  }
}, 60_000);

it("a verification waits while a block is worked (hold): its reads of the accounts reach the node only once the hold settles", async () => {
  const proxy = await startRpcProxy(chain.rpcUrl, { markers: { accounts: toFunctionSelector("getAccounts(uint256,uint256)").slice(2) } });
  try {
    const follower = followSnapshot(createPublicClient({ transport: http(proxy.url) }), { deployment: chain.deployment, verifyEvery: 1n });
    await follower.read(await head());
    const accountReads = () => proxy.stats().marked.accounts ?? 0;
    const fullRead = accountReads();
    expect(fullRead).toBeGreaterThan(0);
    await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
    let release!: () => void;
    follower.hold(new Promise<void>((resolve) => (release = resolve)));
    await follower.read(await head());
    expect(follower.verifying).toBeDefined();
    // Unheld, its first eth_calls go out at once; held, none has half a second on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(accountReads()).toBe(fullRead);
    release();
    await follower.verifying;
    expect(accountReads()).toBeGreaterThan(fullRead);
    expect(follower.verified).toMatchObject({ drifted: 0 });
  } finally {
    await proxy.stop();
  }
}, 60_000);

it("the overview says when the accounts followed have not been checked against the chain for CHECK_OVERDUE_TIMES × `verifyEvery` blocks, until a check ends", async () => {
  const follower = followSnapshot(client, { deployment: chain.deployment, verifyEvery: 2n });
  const first = await follower.read(await head());
  expect(follower.checkedAt).toBe(first.blockNumber);
  // The verification begun 2 blocks on is held: it cannot end while blocks are followed.
  let release!: () => void;
  follower.hold(new Promise<void>((resolve) => (release = resolve)));
  const limit = first.blockNumber + CHECK_OVERDUE_TIMES * 2n;
  for (;;) {
    await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
    const s = await follower.read(await head());
    if (s.blockNumber === limit) break;
  }
  expect(follower.verifying).toBeDefined();
  expect(followerCheckOverdueAlert(follower, limit)).toBeUndefined();
  await client.request({ method: "anvil_mine" as never, params: ["0x1"] as never });
  const late = await follower.read(await head());
  expect(followerCheckOverdueAlert(follower, late.blockNumber)).toMatchObject({
    id: "follower-check-overdue",
    severity: "warning",
    title: `The accounts followed from events have not been checked against the chain for ${(CHECK_OVERDUE_TIMES * 2n + 1n).toString()} blocks`,
    detail: expect.stringContaining(`the last check was at block ${first.blockNumber.toLocaleString("en-US")}. One is under way and has not ended.`),
  });
  release();
  await follower.verifying;
  expect(follower.checkedAt).toBe(first.blockNumber + 2n);
  expect(followerCheckOverdueAlert(follower, late.blockNumber)).toBeUndefined();
}, 60_000);
