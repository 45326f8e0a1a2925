import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createTestClient, createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { findLiquidatable } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { startKeeper } from "./keeper.ts";

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 400, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-keeper-${process.pid}.json`, log: () => {} });
}, 120_000);
afterAll(async () => chain?.stop());

it("a liquidation that would revert is not sent, and the log says why in words (no selector)", async () => {
  // A keeper with gas but no collateral cannot take over positions: the contract refuses at initial margin.
  const broke = privateKeyToAccount(`0x${"4b".repeat(32)}`);
  await createTestClient({ chain: foundry, mode: "anvil", transport: http(chain.rpcUrl) }).setBalance({ address: broke.address, value: parseEther("10") });
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const blockBefore = await client.getBlockNumber();
  const logs: Record<string, unknown>[] = [];
  const keeper = startKeeper({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, account: broke, pollMs: 200, log: (e) => logs.push(e) });
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !logs.some((l) => l.event === "failed")) await new Promise((r) => setTimeout(r, 100));
  } finally {
    keeper.stop();
  }
  const failed = logs.find((l) => l.event === "failed");
  expect(failed?.error).toMatch(new RegExp(`^would revert: ${broke.address.slice(0, 6)}…${broke.address.slice(-4)} would be below initial margin: equity \\$[\\d,.]+ against \\$[\\d,.]+ required$`));
  expect(await client.getBlockNumber()).toBe(blockBefore); // nothing was sent
}, 60_000);

it("liquidates every account the engine finds liquidatable, and logs each", async () => {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const before = findLiquidatable(await readSnapshot(client, { deployment: chain.deployment }));
  expect(before.length).toBeGreaterThan(0);
  const [, , , , , , , , , keeperAccount] = await createWalletClient({ transport: http(chain.rpcUrl) }).getAddresses();
  const logs: Record<string, unknown>[] = [];
  const keeper = startKeeper({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, account: keeperAccount!, pollMs: 200, log: (e) => logs.push(e) });
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && logs.filter((l) => l.event === "liquidated").length < before.length) await new Promise((r) => setTimeout(r, 200));
  } finally {
    keeper.stop();
  }
  const liquidated = logs.filter((l) => l.event === "liquidated").map((l) => l.account as string);
  expect([...liquidated].sort()).toEqual([...before].sort());
  expect(findLiquidatable(await readSnapshot(client, { deployment: chain.deployment })).filter((a) => a !== keeperAccount!.toLowerCase())).toEqual([]);
}, 60_000);
