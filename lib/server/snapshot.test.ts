import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { readHistory } from "./history.ts";
import { serverDatabase } from "./database.ts";
import { createFixture, FEEDS, MARKET, wad, type Fixture } from "../testing/fixture.ts";
import { startRpcProxy, type RpcProxy } from "../testing/rpcProxy.ts";

/**
 * The server's snapshot cache against a real anvil that reorganises: the same block number comes
 * back with another hash and another oracle price, and getLatestSnapshot must serve the new chain;
 * and the rule for the next block on the same chain: served as soon as it is read, the block
 * before it meanwhile. The server reads through a proxy that can make the node slow.
 */

let f: Fixture;
let proxy: RpcProxy;
let getLatestSnapshot: typeof import("./snapshot.ts").getLatestSnapshot;
let findInLatest: typeof import("./snapshot.ts").findInLatest;
let FOLLOWING_MS: number;
let RPC_RETRY_COUNT: number;
let HEAD_WAIT_MS: number;
let HEAD_RECHECK_MS: number;
let HEAD_ASK_MS: number;
let publishedHistoryRecorded: typeof import("./snapshot.ts").publishedHistoryRecorded;

beforeAll(async () => {
  f = await createFixture();
  const deploymentPath = join(tmpdir(), `backstop-snapshot-reorg-${process.pid}.json`);
  writeFileSync(deploymentPath, JSON.stringify(f.deployment));
  proxy = await startRpcProxy(f.anvil.rpcUrl, { markers: { headBlock: '"params":["latest",false]' } });
  process.env.BACKSTOP_RPC_URL = proxy.url;
  process.env.BACKSTOP_DEPLOYMENT = deploymentPath;
  process.env.BACKSTOP_CHAIN_ID = String(f.deployment.chainId);
  process.env.BACKSTOP_DB_DIR = "memory://"; // the history each published block is recorded in
  ({ getLatestSnapshot, findInLatest, FOLLOWING_MS, RPC_RETRY_COUNT, HEAD_WAIT_MS, HEAD_RECHECK_MS, HEAD_ASK_MS, publishedHistoryRecorded } = await import("./snapshot.ts"));
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await f?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the proxy has answered every request it received and none came for 300 ms. */
async function proxyQuiet() {
  await expect
    .poll(async () => {
      const { requests } = proxy.stats();
      await new Promise((r) => setTimeout(r, 300));
      const now = proxy.stats();
      return now.requests === requests && now.answered === now.requests;
    })
    .toBe(true);
}

const ethMark = (s: { markets: { markPriceWad: bigint }[] }) => s.markets[Number(MARKET.ETH)]!.markPriceWad;

it("after a reorg to a block of the same number with another hash and another price, the served snapshot is the new block's", async () => {
  const fork = await f.testClient.snapshot();
  await f.setPrice(FEEDS.ETH, 3000);
  const first = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  expect(ethMark(first)).toBe(wad(3000));

  // Reorg: back to the parent, and a different block at the same height.
  await f.testClient.revert({ id: fork });
  await f.setPrice(FEEDS.ETH, 2000);
  const replaced = await f.publicClient.getBlock({ blockNumber: first.blockNumber });
  expect(replaced.hash).not.toBe(first.blockHash);

  // The head's number did not move: the node's head block is asked for again within HEAD_RECHECK_MS.
  await expect.poll(async () => (await getLatestSnapshot()).snapshot.blockHash, { timeout: 10_000 }).toBe(replaced.hash);
  const second = await getLatestSnapshot();
  expect(second.stale).toBeUndefined();
  expect(second.snapshot.blockNumber).toBe(first.blockNumber);
  expect(second.snapshot.blockHash).toBe(replaced.hash);
  expect(ethMark(second.snapshot)).toBe(wad(2000));
});

it("anvil_reorg (depth 1, no transactions) replaces the head: the snapshot follows the new head's hash", async () => {
  await f.setPrice(FEEDS.ETH, 2500);
  // The head itself (the price's block): a server following the chain may still serve the block before it.
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  expect(ethMark(before)).toBe(wad(2500));
  await f.testClient.request({ method: "anvil_reorg" as never, params: [1, []] as never });
  const head = await f.publicClient.getBlock();
  expect(head.number).toBe(before.blockNumber);
  expect(head.hash).not.toBe(before.blockHash);
  // Seen within HEAD_RECHECK_MS (the head's number did not move), once the node names its head
  // within HEAD_WAIT_MS; on a busy machine (a clean run of npm test) that once took longer, and
  // that request was served the published block, as designed.
  await expect.poll(async () => (await getLatestSnapshot()).snapshot.blockHash, { timeout: 10_000 }).toBe(head.hash);
  const after = (await getLatestSnapshot()).snapshot;
  expect(after.blockHash).toBe(head.hash);
  // The price transaction was in the orphaned block: the new chain has the previous price.
  expect(ethMark(after)).toBe(wad(2000));
});

it("the next block, while the worker is still reading it, is not waited for: the block before it is served, then the new one once read", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  expect(ethMark(before)).toBe(wad(2600));

  // A slow node: each request takes 400 ms, so the new block's read (several requests) takes longer than FRESH_WAIT_MS.
  proxy.setLatency(400);
  await f.setPrice(FEEDS.ETH, 2700); // the next block, straight on the node
  const head = await f.publicClient.getBlock();
  expect(head.parentHash).toBe(before.blockHash);
  await sleep(HEAD_ASK_MS); // the node asked again, not its last answer taken
  const meanwhile = await getLatestSnapshot();
  expect(meanwhile.stale).toBeUndefined();
  expect(meanwhile.snapshot.blockHash).toBe(before.blockHash);
  expect(ethMark(meanwhile.snapshot)).toBe(wad(2600));

  proxy.setLatency(0);
  await expect.poll(async () => (await getLatestSnapshot()).snapshot.blockHash, { timeout: 15_000 }).toBe(head.hash);
  const read = await getLatestSnapshot();
  expect(ethMark(read.snapshot)).toBe(wad(2700));
  // Its timing starts with the head request that saw it: answered by the slow node.
  expect(Object.keys(read.timing)[0]).toBe("head");
  expect(read.timing.head).toBeGreaterThanOrEqual(400);
});

it("while following, the node is asked for its head at most once per HEAD_ASK_MS, and for the head's block, while its number stands, at most once per HEAD_RECHECK_MS", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  await getLatestSnapshot({ waitForHead: true });
  await proxyQuiet(); // the block's detectors' reads done: the only requests from here on are the heads'
  const before = proxy.stats();
  const started = performance.now();
  for (let i = 0; i < 40; i++) {
    await getLatestSnapshot();
    await sleep(15);
  }
  const elapsed = performance.now() - started;
  const after = proxy.stats();
  const asked = (after.calls.eth_blockNumber ?? 0) - (before.calls.eth_blockNumber ?? 0);
  expect(asked).toBeGreaterThan(0);
  expect(asked).toBeLessThanOrEqual(1 + Math.ceil(elapsed / HEAD_ASK_MS));
  expect((after.marked.headBlock ?? 0) - (before.marked.headBlock ?? 0)).toBeLessThanOrEqual(1 + Math.ceil(elapsed / HEAD_RECHECK_MS));
});

it("while following, a node slow to name its head does not hold a request: the published block is served before the node answers", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot; // the head, just seen: following
  await proxyQuiet(); // the block's detectors' reads done: the only request from here on is the head's
  proxy.setLatency(3000);
  try {
    const answered = proxy.stats().answered;
    const served = await getLatestSnapshot();
    expect(proxy.stats().answered).toBe(answered); // the head request is still with the node
    expect(served.stale).toBeUndefined();
    expect(served.snapshot.blockHash).toBe(before.blockHash);
  } finally {
    proxy.setLatency(0);
  }
  // The head request it did not wait for, answered: the same block, still live.
  const after = await getLatestSnapshot({ waitForHead: true });
  expect(after.stale).toBeUndefined();
  expect(after.snapshot.blockHash).toBe(before.blockHash);
});

it("while following, a node always slower than HEAD_WAIT_MS to name its head: requests never wait for it, and its new blocks are still read and published", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  await getLatestSnapshot({ waitForHead: true });
  proxy.setLatency(HEAD_WAIT_MS + 300);
  try {
    await f.setPrice(FEEDS.ETH, 2650);
    const head = await f.publicClient.getBlock();
    await expect.poll(async () => (await getLatestSnapshot()).snapshot.blockHash, { timeout: 20_000 }).toBe(head.hash);
    expect(ethMark((await getLatestSnapshot()).snapshot)).toBe(wad(2650));
  } finally {
    proxy.setLatency(0);
  }
});

it("while following, a node that fails the head's first try: the published block is served marked stale at once, not after the retries", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  // The server's head requests, tries and retries: each asks the head's number, or its block when the one known is older than HEAD_RECHECK_MS.
  const heads = () => (proxy.stats().calls.eth_blockNumber ?? 0) + (proxy.stats().marked.headBlock ?? 0);
  await sleep(HEAD_ASK_MS); // the node asked again, not its last answer taken
  const asked = heads();
  proxy.setDown(true);
  try {
    const served = await getLatestSnapshot();
    expect(served.stale?.reason).toMatch(/Cannot reach the chain/);
    expect(served.snapshot.blockHash).toBe(before.blockHash);
    expect(heads() - asked).toBeLessThan(1 + RPC_RETRY_COUNT); // its retries go on
    await expect.poll(() => heads() - asked, { timeout: 10_000 }).toBe(1 + RPC_RETRY_COUNT);
  } finally {
    proxy.setDown(false);
  }
  await expect.poll(async () => (await getLatestSnapshot()).stale, { timeout: 10_000 }).toBeUndefined();
});

it("a read begun while following is not waited for even when it outlasts FOLLOWING_MS: the block before it is served until it is published", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  // Reads on a slow node: the last one took longer than FRESH_WAIT_MS, so no request waits for the next.
  proxy.setLatency(400);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  await proxyQuiet();
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    await f.setPrice(FEEDS.ETH, 2750);
    const head = await f.publicClient.getBlock();
    const requests = proxy.stats().requests;
    expect((await getLatestSnapshot()).snapshot.blockHash).toBe(before.blockHash);
    // The node names the head after the request was served (its block: the one known is older than HEAD_RECHECK_MS); its read begins (its first request reaches the node).
    await expect.poll(() => proxy.stats().requests, { timeout: 10_000 }).toBeGreaterThanOrEqual(requests + 2);
    vi.setSystemTime(Date.now() + FOLLOWING_MS + 1000); // and takes longer than FOLLOWING_MS
    expect((await getLatestSnapshot()).snapshot.blockHash).toBe(before.blockHash);
    proxy.setLatency(0);
    await expect.poll(async () => (await getLatestSnapshot()).snapshot.blockHash, { timeout: 15_000 }).toBe(head.hash);
  } finally {
    vi.useRealTimers();
    proxy.setLatency(0);
  }
});

it("what a request looks for and the published block lacks (made by the next block's transaction) is looked for again in the head's own snapshot", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  expect(ethMark(before)).toBe(wad(2600));
  proxy.setLatency(400);
  try {
    await f.setPrice(FEEDS.ETH, 2800);
    const head = await f.publicClient.getBlock();
    expect((await getLatestSnapshot()).snapshot.blockHash).toBe(before.blockHash); // published: the block before
    const result = await findInLatest(({ snapshot }) => (ethMark(snapshot) === wad(2800) ? snapshot.markets[Number(MARKET.ETH)] : undefined));
    if ("error" in result) throw new Error(result.error);
    expect(result.read.snapshot.blockHash).toBe(head.hash);
    expect(result.found?.markPriceWad).toBe(wad(2800));
    // Something no block has: looked for in both, found in neither, the latest returned.
    const missing = await findInLatest(() => undefined);
    if ("error" in missing) throw new Error(missing.error);
    expect(missing.found).toBeUndefined();
    expect(missing.read.snapshot.blockHash).toBe(head.hash);
  } finally {
    proxy.setLatency(0);
  }
});

it("after a quiet spell (no request saw the published block at the head for FOLLOWING_MS), a newer head is waited for, however slow its read", async () => {
  await f.setPrice(FEEDS.ETH, 2600);
  const before = (await getLatestSnapshot({ waitForHead: true })).snapshot;
  vi.useFakeTimers({ toFake: ["Date"] });
  proxy.setLatency(400);
  try {
    vi.setSystemTime(Date.now() + FOLLOWING_MS + 1000);
    await f.setPrice(FEEDS.ETH, 2900);
    const head = await f.publicClient.getBlock();
    expect(head.number).toBeGreaterThan(before.blockNumber);
    const served = (await getLatestSnapshot()).snapshot;
    expect(served.blockHash).toBe(head.hash);
    expect(ethMark(served)).toBe(wad(2900));
  } finally {
    vi.useRealTimers();
    proxy.setLatency(0);
  }
});

it("once a block is published, the history waited for has its point (GET /api/history answers as of the block the page shows)", async () => {
  for (const price of [2610, 2620]) {
    await f.setPrice(FEEDS.ETH, price);
    const { snapshot } = await getLatestSnapshot({ waitForHead: true });
    // Recorded off the request path, after the block's detectors: not yet written when it is published.
    await publishedHistoryRecorded();
    const points = await readHistory(await serverDatabase(), snapshot.chainId, "all");
    expect(points.at(-1)?.blockNumber).toBe(String(snapshot.blockNumber));
  }
});
