import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { compactAccountTable } from "./accountTable.ts";
import { decodeBlockRead, encodeBlockRead } from "./blockShare.ts";
import { computeBlockViews, snapshotBody } from "./views.ts";

describe("a block's read as servers share it through the database", () => {
  const snapshot = syntheticSnapshot(300, { seed: 11 });
  const views = computeBlockViews(snapshot);
  const monitor = { health: { gasCostUsd: 12n * 10n ** 17n }, alerts: [{ id: "x", severity: "critical" }] } as never;

  it("loads back to the same snapshot, views and API bodies, bigints and maps included", async () => {
    const loaded = decodeBlockRead(encodeBlockRead({ snapshot, views, monitor: Promise.resolve(monitor), monitorSettled: true }, monitor));
    expect(loaded.snapshot).toEqual(snapshot);
    expect(Buffer.from(snapshotBody(loaded)!.identity).equals(Buffer.from(snapshotBody({ snapshot, views })!.identity))).toBe(true);
    expect(loaded.views.accountTable).toEqual(compactAccountTable(views.accountTable));
    expect(loaded.views.systemRisk).toEqual(views.systemRisk);
    expect(loaded.views.cover).toEqual(views.cover);
    expect(loaded.views.history).toEqual(views.history);
    expect([...loaded.views.adlLights]).toEqual([...views.adlLights]);
    expect(await loaded.monitor).toEqual(monitor);
  });

  it("carries a failed detector read as the reason it failed", async () => {
    const failed = Promise.reject(new Error("the node timed out"));
    failed.catch(() => {});
    const loaded = decodeBlockRead(encodeBlockRead({ snapshot, views, monitor: failed, monitorSettled: true }, { error: "the node timed out" }));
    await expect(loaded.monitor).rejects.toThrow("the node timed out");
  });
});
