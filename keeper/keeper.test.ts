import { afterAll, beforeAll, expect, it } from "vitest";
import { createPublicClient, createWalletClient, http } from "viem";
import { findLiquidatable } from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { startKeeper } from "./keeper.ts";

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 400, deploymentPath: `${process.env.TMPDIR ?? "/tmp"}/backstop-keeper-${process.pid}.json`, log: () => {} });
}, 120_000);
afterAll(async () => chain?.stop());

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
