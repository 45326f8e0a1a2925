import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, custom, http } from "viem";
import { clearinghouseAbi } from "../contracts/abis.ts";
import { startLocalChain, type LocalChain } from "../../scripts/chain.ts";
import type { Account } from "../../engine/types.ts";
import { eachAccountCall, READ_CONCURRENCY, readSnapshot } from "./readSnapshot.ts";

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 1200, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-readSnapshot-${process.pid}.json`, log: () => {} });
}, 120_000);
afterAll(async () => chain?.stop());

function countingClient() {
  const counter = { requests: 0 };
  const transport = http(chain.rpcUrl, { onFetchRequest: () => void counter.requests++ });
  return { client: createPublicClient({ transport }), counter };
}

it("reads every account, and each one equals what the clearinghouse itself returns", async () => {
  const { client, counter } = countingClient();
  const snapshot = await readSnapshot(client, { deployment: chain.deployment });
  const requests = counter.requests;
  const count = await client.readContract({ address: chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "accountCount", blockNumber: snapshot.blockNumber });
  expect(snapshot.accounts).toHaveLength(Number(count));
  expect(new Set(snapshot.accounts.map((a) => a.address)).size).toBe(snapshot.accounts.length);
  // 1 block + 1 header multicall + ceil(pages / 2) account multicalls
  expect(requests).toBe(2 + Math.ceil(Math.ceil(Number(count) / 500) / 2));
  for (const account of [snapshot.accounts[0]!, snapshot.accounts[700]!, snapshot.accounts.at(-1)!]) {
    const [cash, balances, positions] = await client.readContract({ address: chain.deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "getAccount", args: [account.address], blockNumber: snapshot.blockNumber });
    expect(account.cashUsd).toBe(cash);
    expect(account.balancesNative).toEqual([...balances]);
    expect(account.positions).toEqual(positions.map((p) => ({ marketId: Number(p.marketId), sizeBase: p.size, openNotionalUsd: p.openNotional })));
  }
  expect(snapshot.markets.map((m) => m.symbol)).toEqual(["ETH-PERP", "BTC-PERP", "SOL-PERP"]);
  expect(snapshot.reserves.insuranceFundUsd).toBeGreaterThan(0n);
});

it("keeps at most READ_CONCURRENCY eth_calls of accounts at the node at once, unless told otherwise", async () => {
  const node = http(chain.rpcUrl)({});
  let [inFlight, most] = [0, 0];
  const client = createPublicClient({
    transport: custom({
      async request(args: { method: string; params?: unknown }) {
        if (args.method !== "eth_call") return node.request(args as never);
        most = Math.max(most, ++inFlight);
        try {
          return await node.request(args as never);
        } finally {
          inFlight--;
        }
      },
    }),
  });
  // 1,200 accounts in pages of 25, a page an eth_call: 48 calls for the accounts.
  const read = await readSnapshot(client, { deployment: chain.deployment, pageSize: 25, pagesPerCall: 1 });
  expect(most).toBeLessThanOrEqual(READ_CONCURRENCY);
  expect(most).toBeGreaterThan(1);
  most = 0;
  expect(await readSnapshot(client, { deployment: chain.deployment, blockNumber: read.blockNumber, pageSize: 25, pagesPerCall: 1, concurrency: Infinity })).toEqual(read);
  expect(most).toBeGreaterThan(READ_CONCURRENCY);
});

it("pins every read to the block asked for", async () => {
  const { client } = countingClient();
  const before = await readSnapshot(client, { deployment: chain.deployment });
  await client.request({ method: "evm_mine" as never, params: [] as never });
  const again = await readSnapshot(client, { deployment: chain.deployment, blockNumber: before.blockNumber });
  expect(again).toEqual(before);
  const latest = await readSnapshot(client, { deployment: chain.deployment });
  expect(latest.blockNumber).toBe(before.blockNumber + 1n);
});

it("hands a range of accounts over an eth_call's worth at a time, each with its first row, as a full read has them", async () => {
  const { client, counter } = countingClient();
  const snapshot = await readSnapshot(client, { deployment: chain.deployment });
  const block = { number: snapshot.blockNumber, hash: snapshot.blockHash, timestamp: snapshot.timestamp };
  const [from, to] = [3, snapshot.accounts.length - 5];
  const handed: { first: number; accounts: Account[] }[] = [];
  const before = counter.requests;
  // Pages of 7 rows, 3 a call, 2 calls in flight: calls answered out of order place their accounts by their first row.
  await eachAccountCall(client, chain.deployment, block, from, to, (first, accounts) => handed.push({ first, accounts }), { pageSize: 7, pagesPerCall: 3, concurrency: 2 });
  expect(counter.requests - before).toBe(Math.ceil(Math.ceil((to - from) / 7) / 3));
  expect(handed.every(({ accounts }) => accounts.length <= 21)).toBe(true);
  const placed: Account[] = [];
  for (const { first, accounts } of handed) accounts.forEach((account, k) => (placed[first + k] = account));
  expect(placed.slice(from)).toEqual(snapshot.accounts.slice(from, to));
  expect(Object.keys(placed)).toHaveLength(to - from);
});
