import { describe, expect, it } from "vitest";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { createItemSerializer, withLazyProperty } from "./lazyTransfer.ts";
import { keepAccountBytes, poolSnapshotOf, snapshotFromPool } from "./poolSnapshot.ts";

describe("poolSnapshotOf / snapshotFromPool", () => {
  it("give back the snapshot, accounts and all", () => {
    const venue = syntheticSnapshot(50, { seed: 3 });
    expect(snapshotFromPool(poolSnapshotOf(venue)).snapshot).toEqual(venue);
  });

  it("give back a snapshot with no accounts", () => {
    const venue = { ...syntheticSnapshot(1), accounts: [] };
    expect(snapshotFromPool(poolSnapshotOf(venue)).snapshot).toEqual(venue);
  });

  it("hand on the block worker's bytes of the accounts, not a copy, without reading the accounts themselves", () => {
    const venue = syntheticSnapshot(30, { seed: 4 });
    const { accounts, ...rest } = venue;
    const bytes = createItemSerializer<(typeof accounts)[number]>()(accounts);
    let reads = 0;
    const lazy = withLazyProperty<ProtocolSnapshot, "accounts">({ ...rest }, "accounts", () => (reads++, accounts));
    keepAccountBytes(lazy, bytes);
    const shared = poolSnapshotOf(lazy);
    expect(reads, "the lazy accounts were not read").toBe(0);
    expect(shared.accounts).toBe(bytes);
    expect(snapshotFromPool(shared).snapshot).toEqual(venue);
  });

  it("read of the next block only the accounts whose bytes changed, and keep the objects of the others", () => {
    const venue = syntheticSnapshot(40, { seed: 5 });
    const last = { shared: poolSnapshotOf(venue), snapshot: snapshotFromPool(poolSnapshotOf(venue)).snapshot };
    // The next block: account 3 traded, account 7 deposited, one account opened at the end.
    const accounts = venue.accounts.map((a, i) => (i === 3 ? { ...a, positions: a.positions.map((p) => ({ ...p, sizeBase: p.sizeBase + 1n })) } : i === 7 ? { ...a, cashUsd: a.cashUsd + 1n } : a));
    const next = { ...venue, blockNumber: venue.blockNumber + 1n, accounts: [...accounts, { ...venue.accounts[0]!, address: "0x00000000000000000000000000000000000000ff" as const }] };
    const { snapshot, accountsRead } = snapshotFromPool(poolSnapshotOf(next), last);
    expect(snapshot).toEqual(next);
    expect(accountsRead).toBe(3);
    expect(snapshot.accounts[0], "an unchanged account is the object already read").toBe(last.snapshot.accounts[0]);
    expect(snapshot.accounts[3]).not.toBe(last.snapshot.accounts[3]);
  });

  it("read every account again where the accounts moved places (an account gone from the front)", () => {
    const venue = syntheticSnapshot(10, { seed: 6 });
    const last = { shared: poolSnapshotOf(venue), snapshot: snapshotFromPool(poolSnapshotOf(venue)).snapshot };
    const next = { ...venue, blockNumber: venue.blockNumber + 1n, accounts: venue.accounts.slice(1) };
    const { snapshot } = snapshotFromPool(poolSnapshotOf(next), last);
    expect(snapshot).toEqual(next);
  });

  it("make one shared snapshot per snapshot, keyed by its block's number and hash", () => {
    const venue = syntheticSnapshot(5);
    const shared = poolSnapshotOf(venue);
    expect(poolSnapshotOf(venue)).toBe(shared);
    expect(shared.key).toBe(`${venue.blockNumber}:${venue.blockHash}`);
  });
});
