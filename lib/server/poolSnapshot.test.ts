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

  it("tell a changed account by its bytes where the two blocks' bytes are in different arenas, even at the same places", () => {
    const venue = syntheticSnapshot(20, { seed: 7 });
    const { accounts, ...rest } = venue;
    const withBytes = (s: ProtocolSnapshot, bytes: ReturnType<ReturnType<typeof createItemSerializer>>) => {
      const lazy = withLazyProperty<ProtocolSnapshot, "accounts">({ ...rest, blockNumber: s.blockNumber }, "accounts", () => s.accounts);
      keepAccountBytes(lazy, bytes);
      return lazy;
    };
    const first = withBytes(venue, createItemSerializer<(typeof accounts)[number]>()(accounts));
    const last = { shared: poolSnapshotOf(first), snapshot: snapshotFromPool(poolSnapshotOf(first)).snapshot };
    // Account 3's cash one more: bytes of the same length, so a new arena (a follower's block from the database, say) puts every row where it was.
    const next = { ...venue, blockNumber: venue.blockNumber + 1n, accounts: accounts.map((a, i) => (i === 3 ? { ...a, cashUsd: a.cashUsd + 1n } : a)) };
    const nextBytes = createItemSerializer<(typeof accounts)[number]>()(next.accounts);
    expect(nextBytes.arena).not.toBe(last.shared.accounts.arena);
    expect([nextBytes.starts[3], nextBytes.ends[3]]).toEqual([last.shared.accounts.starts[3], last.shared.accounts.ends[3]]);
    const { snapshot, accountsRead } = snapshotFromPool(poolSnapshotOf(withBytes(next, nextBytes)), last);
    expect(snapshot.accounts).toEqual(next.accounts);
    expect(accountsRead).toBe(1);
    expect(snapshot.accounts[2], "an account with the same bytes is the object already read").toBe(last.snapshot.accounts[2]);
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
