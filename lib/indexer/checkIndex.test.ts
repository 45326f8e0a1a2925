/**
 * The index equals the chain: a real anvil with the protocol deployed, the real indexer (Ponder on
 * PGlite, a child process ended by its PID; on Postgres with BACKSTOP_TEST_DATABASE_URL), and the lens as the judge, to the wei — after
 * deposits, trades, a parameter change, a bankrupt liquidation that reaches ADL, delegations and
 * a proposal's votes; through a
 * reorg (evm_snapshot / evm_revert, then a different chain of blocks); and across a restart of
 * the indexer while the chain moves on.
 */

import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Address, type Hash } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, expect, it } from "vitest";
import { backstopGovernorAbi, backstopTokenAbi, clearinghouseAbi } from "../contracts/abis.ts";
import { createdProposalId } from "../testing/queueProposal.ts";
import { deployProtocol } from "../contracts/deployProtocol.ts";
import { clearinghouseEvents, createFixture, FEEDS, MARKET, wad, type Fixture } from "../testing/fixture.ts";
import { createIndexWatch } from "./createIndexWatch.ts";
import { checkIndex } from "./checkIndex.ts";
import { readIndexedState } from "./readIndexedState.ts";
import { startIndexer, type IndexerInstance } from "./startIndexer.ts";

let fx: Fixture;
let indexer: IndexerInstance;
let dir: string;
let deploymentPath: string;
let trader: Address, counterparty: Address, keeper: Address, other: Address;

const client = () => createPublicClient({ transport: http(fx.anvil.rpcUrl) });
/** PGlite by default; BACKSTOP_TEST_DATABASE_URL runs the same on a Postgres, in a schema of this run's own. */
const databaseUrl = process.env.BACKSTOP_TEST_DATABASE_URL ?? "";
const schema = `backstop_test_${process.pid}`;
const startOurIndexer = () => startIndexer({ rpcUrl: fx.anvil.rpcUrl, deploymentPath, directory: join(dir, "pglite"), databaseUrl, schema });
const trade = (taker: Address, maker: Address, market: bigint, size: string) => fx.write(fx.deployer, fx.ch, clearinghouseAbi, "trade", [taker, maker, market, wad(size)]);

/** Waits until the index holds the chain's head block (by hash), as a reader would. */
async function indexedHead(): Promise<Hash> {
  const head = await fx.publicClient.getBlock({ blockTag: "latest" });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await readIndexedState(indexer.url, { limit: 1 }).catch(() => undefined);
    if (state?.block.hash === head.hash) return head.hash;
    if (Date.now() > deadline) throw new Error(`the index did not reach block ${head.number} (${head.hash}) within 60 s; it is at ${state?.block.number ?? "nothing"}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sizeOf = async (account: Address, market: number) => {
  const state = await readIndexedState(indexer.url, { limit: 100 });
  return state.accounts.find((a) => a.address.toLowerCase() === account.toLowerCase())?.positions.find((p) => p.marketId === market)?.sizeWad ?? 0n;
};

beforeAll(async () => {
  fx = await createFixture();
  [, trader, counterparty, keeper, other] = fx.dev as [Address, Address, Address, Address, Address];
  dir = await mkdtemp(join(tmpdir(), "backstop-index-"));
  deploymentPath = join(dir, "deployment.json");
  await writeFile(deploymentPath, JSON.stringify(fx.deployment));
  indexer = await startOurIndexer();
  await indexer.ready();
}, 180_000);

afterAll(async () => {
  await indexer?.stop();
  await fx?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("after deposits, trades, a parameter change, a bankrupt liquidation that reaches ADL, delegations and a vote, the index equals the chain to the wei", async () => {
  await fx.depositUsdc(trader, 1_000_000_000n); // $1,000
  await fx.depositUsdc(counterparty, 100_000_000_000n);
  await fx.depositUsdc(keeper, 100_000_000_000n);
  await fx.depositUsdc(other, 50_000_000_000n);
  await trade(trader, counterparty, MARKET.ETH, "3"); // 3 ETH long at $3,000: IM $900 of $1,000
  await trade(other, counterparty, MARKET.BTC, "0.25");
  await trade(counterparty, other, MARKET.SOL, "40");
  await fx.govern("setMarketFrozen", [MARKET.SOL, true]);
  await fx.setPrice(FEEDS.ETH, "2500"); // the long loses $1,500: equity −$500, bankrupt
  const receipt = await fx.write(keeper, fx.ch, clearinghouseAbi, "liquidate", [trader]);
  const events = clearinghouseEvents(receipt, fx.ch).map((e) => e.eventName);
  expect(events).toEqual(expect.arrayContaining(["Liquidated", "DeficitAbsorbed", "AdlFill", "PositionUpdated", "CashUpdated"]));

  // Governance: two delegates, a proposal, a vote each way.
  const token = fx.deployment.contracts.governanceToken;
  const governor = fx.deployment.contracts.governor;
  await fx.write(fx.deployer, token, backstopTokenAbi, "delegate", [fx.deployer]);
  await fx.write(fx.deployer, token, backstopTokenAbi, "transfer", [other, wad("1000000")]);
  await fx.write(other, token, backstopTokenAbi, "delegate", [trader]);
  const proposed = await fx.write(fx.deployer, governor, backstopGovernorAbi, "propose", [[fx.ch], [0n], [encodeFunctionData({ abi: clearinghouseAbi, functionName: "setAdlMode", args: [1] })], "Pro-rata ADL"]);
  const proposalId = createdProposalId(proposed);
  await fx.testClient.mine({ blocks: 2 });
  await fx.write(fx.deployer, governor, backstopGovernorAbi, "castVote", [proposalId, 1]);
  await fx.write(trader, governor, backstopGovernorAbi, "castVote", [proposalId, 0]);

  await indexedHead();
  const report = await checkIndex(client(), { deployment: fx.deployment, indexerUrl: indexer.url });
  expect(report.drifts).toEqual([]);
  expect(report.compared).toMatchObject({ markets: 3, collaterals: 2, accounts: 4, delegates: 2, proposals: 1 });
  const { proposals } = await readIndexedState(indexer.url, { limit: 1 });
  expect(proposals).toEqual([expect.objectContaining({ id: proposalId, forVotes: wad("99000000"), againstVotes: wad("1000000"), executed: false })]);
  expect(report.compared.positions).toBeGreaterThan(3);
  expect(report.compared.historyBlocks).toBeGreaterThan(0);
  expect(await sizeOf(trader, 0)).toBe(0n); // liquidated: no position left
}, 120_000);

it("through a reorg, the index follows the chain that replaced its blocks", async () => {
  const fork = await fx.testClient.snapshot();
  await trade(other, counterparty, MARKET.ETH, "2");
  await indexedHead();
  expect(await sizeOf(other, 0)).toBe(wad("2"));

  await fx.testClient.revert({ id: fork });
  await trade(other, counterparty, MARKET.ETH, "-1");
  await fx.testClient.mine({ blocks: 3 }); // the new branch is longer than the one it replaces
  await indexedHead();
  expect(await sizeOf(other, 0)).toBe(-wad("1"));
  const report = await checkIndex(client(), { deployment: fx.deployment, indexerUrl: indexer.url });
  expect(report.drifts).toEqual([]);
}, 120_000);

it("stopped while the chain moves on and restarted on the same database, the index catches up equal", async () => {
  await indexer.stop();
  await trade(counterparty, other, MARKET.BTC, "0.1");
  await fx.setPrice(FEEDS.BTC, "64000");
  indexer = await startOurIndexer();
  await indexer.ready();
  await indexedHead();
  const report = await checkIndex(client(), { deployment: fx.deployment, indexerUrl: indexer.url });
  expect(report.drifts).toEqual([]);
  expect(await sizeOf(other, 1)).toBe(wad("0.25") - wad("0.1"));
}, 180_000);

it("checked against another deployment's lens, every difference is reported in words", async () => {
  const walletClient = createWalletClient({ chain: foundry, account: fx.deployer, transport: http(fx.anvil.rpcUrl) });
  const elsewhere = await deployProtocol({ publicClient: client(), walletClient, deployer: fx.deployer });
  await indexedHead();
  const report = await checkIndex(client(), { deployment: { ...fx.deployment, contracts: { ...fx.deployment.contracts, lens: elsewhere.contracts.lens } }, indexerUrl: indexer.url });
  expect(report.ok).toBe(false);
  expect(report.drifts).toContain(`accounts: count is 4 in the index but 0 on chain at block ${report.blockNumber}`);
  const state = await readIndexedState(indexer.url, { limit: 1 });
  const eth = state.markets[0]!;
  expect(report.drifts).toContain(
    `market ETH-PERP (0): long open interest is ${eth.longOpenInterestWad} in the index but 0 on chain at block ${report.blockNumber} (index − chain = ${eth.longOpenInterestWad})`,
  );

  // The dashboard's watch turns the drift into a critical alert, and finds nothing against the right lens.
  const wrong = createIndexWatch({ deployment: { ...fx.deployment, contracts: { ...fx.deployment.contracts, lens: elsewhere.contracts.lens } }, indexerUrl: indexer.url, everyBlocks: 1n });
  await wrong.onBlock(client(), report.blockNumber);
  expect(wrong.alerts()).toEqual([expect.objectContaining({ id: "index-drift", severity: "critical", title: `The index differs from the chain in ${report.drifts.length} places` })]);
  expect(wrong.alerts()[0]!.detail).toContain(report.drifts[0]!.split(" at block")[0]!);
  expect(wrong.alerts()[0]!.detail).toContain(`and ${report.drifts.length - 3} more (npm run risk -- index-check --indexer ${indexer.url})`);
  const right = createIndexWatch({ deployment: fx.deployment, indexerUrl: indexer.url, everyBlocks: 1n });
  await right.onBlock(client(), report.blockNumber);
  expect(right.alerts()).toEqual([]);

  // The CLI says the same and exits 4; against the right lens it finds nothing and exits 0.
  const elsewherePath = join(dir, "elsewhere.json");
  await writeFile(elsewherePath, JSON.stringify({ ...fx.deployment, contracts: { ...fx.deployment.contracts, lens: elsewhere.contracts.lens } }));
  const cli = (path: string) =>
    promisify(execFile)("node_modules/.bin/tsx", ["cli/risk.ts", "index-check", "--rpc", fx.anvil.rpcUrl, "--deployment", path, "--indexer", indexer.url]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  const drifted = await cli(elsewherePath);
  expect(drifted.code).toBe(4);
  expect(drifted.stdout).toContain(`- accounts: count is 4 in the index but 0 on chain at block`);
  const equal = await cli(deploymentPath);
  expect(equal).toMatchObject({ code: 0, stdout: expect.stringMatching(/^The index at block \d+ equals the chain to the wei: 3 markets, 2 collaterals, 4 accounts/) });
}, 120_000);
