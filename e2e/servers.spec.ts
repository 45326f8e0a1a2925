import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { createTestClient, http } from "viem";
import { foundry } from "viem/chains";
import { parseServerTiming } from "../lib/api/serverTiming.ts";
import { freePort } from "../lib/local/anvil.ts";
import { startPostgres, type PostgresInstance } from "../lib/testing/postgres.ts";
import { spawnServer } from "../scripts/dashboard.ts";
import { e2eChain } from "./fixtures/chain.ts";

/**
 * Two dashboard servers on one Postgres (DATABASE_URL) share the per-block work: the first to
 * start publishes (reads each block from the chain and runs the engine once), the second loads
 * the publisher's read from the database, and both serve the same block byte for byte. When the
 * publisher stops, the other takes its place and reads the chain itself.
 */

interface Server {
  url: string;
  process: ChildProcess;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl, BACKSTOP_RPC_URL: process.env.E2E_RPC_URL!, BACKSTOP_DEPLOYMENT: process.env.E2E_DEPLOYMENT! };
  const server = { url: `http://127.0.0.1:${port}`, process: spawnServer({ port, env, stdio: ["ignore", "ignore", "inherit"] }) };
  await expect
    .poll(async () => (await fetch(`${server.url}/api/block`).catch(() => undefined))?.status, { timeout: 60_000, message: `the server on port ${port} answers` })
    .toBe(200);
  return server;
}

function stopServer(server: Server | undefined) {
  if (server?.process.pid && server.process.exitCode === null) process.kill(-server.process.pid, "SIGTERM");
}

const blockOf = async (server: Server) => {
  const response = await fetch(`${server.url}/api/block`);
  // Server-Timing's stages, without their durations: "follow;dur=12.3, views;dur=4.5" is "follow views".
  const stages = Object.keys(parseServerTiming(response.headers.get("server-timing"))).join(" ");
  return { hash: ((await response.json()) as { blockHash: string }).blockHash, source: response.headers.get("x-backstop-block-source"), stages };
};
const bytesOf = async (server: Server, path: string) => Buffer.from(await (await fetch(`${server.url}${path}`)).arrayBuffer());

test.describe("servers sharing one Postgres", () => {
  let postgres: PostgresInstance | undefined;
  const servers: Server[] = [];
  test.afterAll(async () => {
    servers.forEach(stopServer);
    await postgres?.stop();
  });

  test("serve the same block with the same bytes, read from the chain once; the other takes over when the publisher stops", async () => {
    test.setTimeout(240_000);
    const chain = e2eChain();
    const testClient = createTestClient({ chain: foundry, mode: "anvil", transport: http(chain.rpcUrl) });
    postgres = await startPostgres();
    const publisher = await startServer(postgres.url);
    servers.push(publisher);
    const follower = await startServer(postgres.url);
    servers.push(follower);

    await testClient.mine({ blocks: 1 });
    const head = (await chain.client.getBlock()).hash;
    await expect.poll(async () => (await blockOf(publisher)).hash, { timeout: 30_000 }).toBe(head);
    await expect.poll(async () => (await blockOf(follower)).hash, { timeout: 30_000 }).toBe(head);
    // Published once its views are in; its detectors' time is added when they follow. A block followed from its logs (not the first, read whole) has its wait for the node apart.
    await expect.poll(() => blockOf(publisher)).toMatchObject({ source: "chain", stages: expect.stringMatching(/^head follow (node )?views bytes total detectors$/) });
    await expect.poll(() => blockOf(follower)).toMatchObject({ source: "peer", stages: "head load total detectors" });

    // The same block on both: the snapshot, a page of accounts and the overview's figures, byte for byte.
    for (const path of ["/api/snapshot", "/api/accounts?show=all&sort=equityUsd&dir=desc&limit=200"]) {
      const [a, b] = [await bytesOf(publisher, path), await bytesOf(follower, path)];
      expect(JSON.parse(a.toString()).blockHash, path).toBe(head);
      expect(b.equals(a), `${path}: the same bytes from both servers`).toBe(true);
    }

    // The publisher goes; within a few seconds the follower holds the lock and reads new blocks itself.
    stopServer(publisher);
    await expect.poll(() => publisher.process.exitCode, { timeout: 15_000 }).not.toBeNull();
    await expect
      .poll(
        async () => {
          await testClient.mine({ blocks: 1 });
          const now = (await chain.client.getBlock()).hash;
          const seen = await blockOf(follower);
          return seen.hash === now ? seen.source : "behind";
        },
        { timeout: 60_000, intervals: [2_000] },
      )
      .toBe("chain");
  });
});
