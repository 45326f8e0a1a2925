/**
 * The venue bench's block worker thread (bench/blockWork) against a real anvil with the seeded
 * venue: each block's work at the head, read as the server's worker reads it (in full first, then
 * from the block's logs), the prices it reports the chain's, a verification begun and ended, and a
 * block it cannot read an error of its own, not a hang.
 */

import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Address, type PublicClient } from "viem";
import { WAD } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { clearinghouseAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { blockWorkApart } from "./blockWork.ts";

let chain: LocalChain;
let client: PublicClient;
let deployer: Address;
let traders: Address[];

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-blockWork-${process.pid}.json`, log: () => {} });
  client = createPublicClient({ transport: http(chain.rpcUrl), pollingInterval: 100 });
  const dev = await createWalletClient({ transport: http(chain.rpcUrl) }).getAddresses();
  // The seed's roles (scripts/seed): the deployer matches trades; these traders hold deep margin of their own.
  [deployer, traders] = [dev[0]!, [dev[7]!, dev[8]!]];
}, 180_000);
afterAll(async () => chain?.stop());

async function send(to: Address, data: `0x${string}`) {
  const wallet = createWalletClient({ account: deployer, transport: http(chain.rpcUrl) });
  const receipt = await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to, data, gas: 5_000_000n, chain: null }) });
  expect(receipt.status).toBe("success");
}

it("works each new block on its own thread: in full first, then from its logs, with the chain's prices, through a verification", async () => {
  const { clearinghouse, oracle } = chain.deployment.contracts;
  const worker = blockWorkApart({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, verifyEvery: 2n });
  try {
    const first = await worker.next();
    expect(first).toMatchObject({ block: await client.getBlockNumber({ cacheTime: 0 }), kind: "full", verifying: false });
    expect(first.node).toBeUndefined();
    for (const stage of [first.follow, first.views, first.bytes]) expect(stage).toBeGreaterThanOrEqual(0);
    expect(first.total).toBeCloseTo(first.follow + first.views + first.bytes, 6);

    await send(clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [traders[0]!, traders[1]!, 0n, WAD / 100n] }));
    const traded = await worker.next();
    expect(traded).toMatchObject({ block: first.block + 1n, kind: "incremental", verifying: false });
    expect(traded.node).toBeGreaterThanOrEqual(0);

    const feed = first.markets[0]!.feedId;
    const moved = first.markets[0]!.markPriceWad + WAD;
    await send(oracle, encodeFunctionData({ abi: priceOracleAbi, functionName: "setPrice", args: [feed, moved] }));
    const priced = await worker.next();
    const chainNow = await readSnapshot(client, { deployment: chain.deployment });
    expect(priced.markets).toEqual(chainNow.markets.map(({ feedId, markPriceWad }) => ({ feedId, markPriceWad })));
    expect(priced.markets[0]!.markPriceWad).toBe(moved);
    expect(priced.collaterals).toEqual(chainNow.collaterals.map(({ feedId, priceWad }) => ({ feedId, priceWad })));
    // Two blocks past the full read: the verification began with this one, and ends with no drift while blocks go on.
    expect(priced.verifying).toBe(true);
    let last = priced;
    for (let round = 0; last.verifying && round < 50; round++) {
      await send(clearinghouse, encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [traders[1]!, traders[0]!, 0n, WAD / 100n] }));
      last = await worker.next();
      // A block read in full here says why (followSnapshot's reason): a verification's spurious drift, a reorg, a gap.
      expect(last.kind, last.why).toBe("incremental");
    }
    expect(last).toMatchObject({ verifying: false, drifted: 0 });
  } finally {
    await worker.stop();
  }
}, 120_000);

it("says why it could not work a block, and works no other at once", async () => {
  // No lens at this address: the follower's read of the venue fails.
  const deployment = { ...chain.deployment, contracts: { ...chain.deployment.contracts, lens: "0x000000000000000000000000000000000000dEaD" as Address } };
  const worker = blockWorkApart({ rpcUrl: chain.rpcUrl, deployment, verifyEvery: 1000n });
  try {
    const working = worker.next();
    await expect(worker.next()).rejects.toThrow("the block worker's thread is working a block already");
    await expect(working).rejects.toThrow(/^the block worker's thread could not work the block: /);
  } finally {
    await worker.stop();
  }
}, 60_000);
