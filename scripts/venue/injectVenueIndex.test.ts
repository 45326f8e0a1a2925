/**
 * The indexer sees an injected venue as it sees a seeded one: the real indexer (Ponder on PGlite,
 * a child process ended by its PID) follows a real anvil holding 1,000 injected accounts, and
 * checkIndex finds the index equal to the lens, to the wei, on every account, position and
 * balance — the events `seedAccounts` emits are all the indexer needs.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkIndex } from "../../lib/indexer/checkIndex.ts";
import { readIndexedState } from "../../lib/indexer/readIndexedState.ts";
import { startIndexer, type IndexerInstance } from "../../lib/indexer/startIndexer.ts";
import { startLocalChain, type LocalChain } from "../chain.ts";

let chain: LocalChain;
let indexer: IndexerInstance;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backstop-inject-index-"));
  const deploymentPath = join(dir, "deployment.json");
  chain = await startLocalChain({ port: 8642, accounts: 1000, inject: true, deploymentPath, log: () => {} });
  indexer = await startIndexer({ rpcUrl: chain.rpcUrl, deploymentPath, directory: join(dir, "pglite"), fresh: true, schema: `backstop_inject_${process.pid}` });
  await indexer.ready(180_000);
}, 240_000);

afterAll(async () => {
  await indexer?.stop();
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("indexes every injected account, position and balance exactly as the lens reads them", async () => {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const head = await client.getBlock({ blockTag: "latest" });
  const deadline = Date.now() + 60_000;
  while ((await readIndexedState(indexer.url, { limit: 1 }).catch(() => undefined))?.block.hash !== head.hash) {
    if (Date.now() > deadline) throw new Error(`the index did not reach block ${head.number} within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const report = await checkIndex(client, { deployment: chain.deployment, indexerUrl: indexer.url, historySamples: 2 });
  expect(report.drifts).toEqual([]);
  expect(report.compared.accounts).toBe(chain.seed.accounts + 3); // + the keeper and the two dev traders
  expect(report.compared.positions).toBeGreaterThan(chain.seed.accounts);
}, 120_000);
