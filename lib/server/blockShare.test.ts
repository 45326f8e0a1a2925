import pg from "pg";
import type { Block } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { startPostgres, type PostgresInstance } from "../testing/postgres.ts";
import { decodeBlockRead, encodeBlockRead, createSharedBlockReader } from "./blockShare.ts";
import type { BlockRead } from "./blockReader.ts";
import { computeBlockViews, snapshotBody, viewsWithoutLights, type BlockViews } from "./views.ts";

const snapshot = syntheticSnapshot(300, { seed: 11 });
const views = computeBlockViews(snapshot);
const monitor = { health: { gasCostUsd: 12n * 10n ** 17n }, alerts: [{ id: "x", severity: "critical" }] } as never;
const read: BlockRead = { snapshot, views, timing: {}, monitor: Promise.resolve(monitor) };

/** `loaded` is `read` again: the snapshot, the views, the API bodies, the detectors. */
async function expectSameRead(loaded: BlockRead) {
  expect(loaded.snapshot).toEqual(snapshot);
  expect(Buffer.from(snapshotBody(loaded)!.identity).equals(Buffer.from(snapshotBody({ snapshot, views })!.identity))).toBe(true);
  expect(loaded.views.accountTable).toEqual(views.accountTable);
  expect(loaded.views.systemRisk).toEqual(views.systemRisk);
  expect(loaded.views.cover).toEqual(views.cover);
  expect(loaded.views.history).toEqual(views.history);
  expect([...loaded.views.adlLights]).toEqual([...views.adlLights]);
  expect(await loaded.monitor).toEqual(monitor);
}

describe("a block's read as servers share it through the database", () => {
  it("loads back to the same snapshot, views and API bodies, bigints and maps included", async () => {
    await expectSameRead(decodeBlockRead(encodeBlockRead(read, monitor)));
  });

  it("stores the accounts' bytes and the table's arrays as they are, not as text", () => {
    const { header, parts } = encodeBlockRead(read, monitor);
    expect(parts.some((p) => p.buffer === views.accountTable.equityUsd.buffer)).toBe(true);
    expect(header).not.toContain(snapshot.accounts[0]!.address);
  });

  it("stores a read without computing its ADL lights (a read's lights are computed from every account when first read)", () => {
    let computed = false;
    // As a read's views hold them (withAdlLightsOnRead): a property whose first read computes them.
    const lazy = Object.defineProperty({ ...viewsWithoutLights(views) }, "adlLights", { enumerable: true, configurable: true, get: () => ((computed = true), views.adlLights) }) as BlockViews;
    encodeBlockRead({ snapshot, views: lazy, timing: {}, monitor: Promise.resolve(monitor) }, monitor);
    expect(computed).toBe(false);
  });

  it("carries a failed detector read as the reason it failed", async () => {
    const failed = Promise.reject(new Error("the node timed out"));
    failed.catch(() => {});
    const loaded = decodeBlockRead(encodeBlockRead({ snapshot, views, timing: {}, monitor: failed }, { error: "the node timed out" }));
    await expect(loaded.monitor).rejects.toThrow("the node timed out");
  });
});

describe("two servers on one Postgres", () => {
  let postgres: PostgresInstance;
  beforeAll(async () => void (postgres = await startPostgres()), 60_000);
  afterAll(() => postgres?.stop());

  const block = { hash: snapshot.blockHash, number: snapshot.blockNumber } as Block<bigint, false, "latest">;
  const chainReads: string[] = [];
  const reader = (name: string) => () => ({
    read: async () => {
      chainReads.push(name);
      return read;
    },
  });

  it("the follower loads the publisher's read, stored in pieces, and reads the chain itself when a piece is gone", async () => {
    // Pieces of 1 kB: every big part spans several.
    const publisher = await createSharedBlockReader({ url: postgres.url, chainId: 31337, local: reader("publisher"), pieceBytes: 1024 });
    const follower = await createSharedBlockReader({ url: postgres.url, chainId: 31337, local: reader("follower"), pieceBytes: 1024 });
    try {
      expect([publisher.publishing(), follower.publishing()]).toEqual([true, false]);
      const [, loaded] = await Promise.all([publisher.read(block), follower.read(block)]);
      expect(chainReads).toEqual(["publisher"]);
      expect(follower.sourceOf(block.hash)).toBe("peer");
      expect(Object.keys(loaded.timing)).toEqual(["load"]);
      await expectSameRead(loaded);

      const db = new pg.Client({ connectionString: postgres.url });
      await db.connect();
      try {
        const { rows } = await db.query<{ parts: number; pieces: number }>("select count(distinct part)::int as parts, count(*)::int as pieces from block_read_parts");
        expect(rows[0]!.pieces).toBeGreaterThan(rows[0]!.parts);
        await db.query("delete from block_read_parts where part = 1 and piece = 1");
      } finally {
        await db.end();
      }
      // A read with a piece missing is not there: after waiting for the publisher, the follower reads the block itself.
      await follower.read(block);
      expect(chainReads).toEqual(["publisher", "follower"]);
      expect(follower.sourceOf(block.hash)).toBe("chain");
    } finally {
      await Promise.all([publisher.close(), follower.close()]);
    }
  }, 60_000);
});
