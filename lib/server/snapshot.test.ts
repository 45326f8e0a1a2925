import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createFixture, FEEDS, MARKET, wad, type Fixture } from "../testing/fixture.ts";

/**
 * The server's snapshot cache against a real anvil that reorganises: the same block number comes
 * back with another hash and another oracle price, and getLatestSnapshot must serve the new chain.
 */

let f: Fixture;
let getLatestSnapshot: typeof import("./snapshot.ts").getLatestSnapshot;

beforeAll(async () => {
  f = await createFixture();
  const deploymentPath = join(tmpdir(), `backstop-snapshot-reorg-${process.pid}.json`);
  writeFileSync(deploymentPath, JSON.stringify(f.deployment));
  process.env.BACKSTOP_RPC_URL = f.anvil.rpcUrl;
  process.env.BACKSTOP_DEPLOYMENT = deploymentPath;
  process.env.BACKSTOP_CHAIN_ID = String(f.deployment.chainId);
  ({ getLatestSnapshot } = await import("./snapshot.ts"));
}, 120_000);
afterAll(async () => f?.stop());

const ethMark = (s: { markets: { markPriceWad: bigint }[] }) => s.markets[Number(MARKET.ETH)]!.markPriceWad;

it("after a reorg to a block of the same number with another hash and another price, the served snapshot is the new block's", async () => {
  const fork = await f.testClient.snapshot();
  await f.setPrice(FEEDS.ETH, 3000);
  const first = (await getLatestSnapshot()).snapshot;
  expect(ethMark(first)).toBe(wad(3000));

  // Reorg: back to the parent, and a different block at the same height.
  await f.testClient.revert({ id: fork });
  await f.setPrice(FEEDS.ETH, 2000);
  const replaced = await f.publicClient.getBlock({ blockNumber: first.blockNumber });
  expect(replaced.hash).not.toBe(first.blockHash);

  const second = await getLatestSnapshot();
  expect(second.stale).toBeUndefined();
  expect(second.snapshot.blockNumber).toBe(first.blockNumber);
  expect(second.snapshot.blockHash).toBe(replaced.hash);
  expect(ethMark(second.snapshot)).toBe(wad(2000));
});

it("anvil_reorg (depth 1, no transactions) replaces the head: the snapshot follows the new head's hash", async () => {
  await f.setPrice(FEEDS.ETH, 2500);
  const before = (await getLatestSnapshot()).snapshot;
  await f.testClient.request({ method: "anvil_reorg" as never, params: [1, []] as never });
  const head = await f.publicClient.getBlock();
  expect(head.number).toBe(before.blockNumber);
  expect(head.hash).not.toBe(before.blockHash);
  const after = (await getLatestSnapshot()).snapshot;
  expect(after.blockHash).toBe(head.hash);
  // The price transaction was in the orphaned block: the new chain has the previous price.
  expect(ethMark(after)).toBe(wad(2000));
});
