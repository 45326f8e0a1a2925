import { describe, expect, it } from "vitest";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { createItemSerializer, withLazyProperty } from "./lazyTransfer.ts";
import { keepAccountBytes, poolSnapshotOf, snapshotFromPool } from "./poolSnapshot.ts";

describe("poolSnapshotOf / snapshotFromPool", () => {
  it("give back the snapshot, accounts and all", () => {
    const venue = syntheticSnapshot(50, { seed: 3 });
    expect(snapshotFromPool(poolSnapshotOf(venue))).toEqual(venue);
  });

  it("give back a snapshot with no accounts", () => {
    const venue = { ...syntheticSnapshot(1), accounts: [] };
    expect(snapshotFromPool(poolSnapshotOf(venue))).toEqual(venue);
  });

  it("copy the block worker's bytes of the accounts without reading the accounts themselves", () => {
    const venue = syntheticSnapshot(30, { seed: 4 });
    const { accounts, ...rest } = venue;
    const bytes = createItemSerializer<(typeof accounts)[number]>()(accounts);
    let reads = 0;
    const lazy = withLazyProperty<ProtocolSnapshot, "accounts">({ ...rest }, "accounts", () => (reads++, accounts));
    keepAccountBytes(lazy, bytes);
    const shared = poolSnapshotOf(lazy);
    expect(reads, "the lazy accounts were not read").toBe(0);
    expect(snapshotFromPool(shared)).toEqual(venue);
  });

  it("make one buffer per snapshot, keyed by its block's number and hash", () => {
    const venue = syntheticSnapshot(5);
    const shared = poolSnapshotOf(venue);
    expect(poolSnapshotOf(venue)).toBe(shared);
    expect(shared.key).toBe(`${venue.blockNumber}:${venue.blockHash}`);
  });
});
