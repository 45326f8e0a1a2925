import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { toJson } from "../../engine/serialize.ts";
import type { Account, ProtocolSnapshot } from "../../engine/types.ts";
import { createItemSerializer, deserializeItems, withLazyProperty } from "./lazyTransfer.ts";

describe("a snapshot whose accounts cross threads as bytes (withLazyProperty)", () => {
  const snapshot = syntheticSnapshot(40, { seed: 5 });
  const received = () => {
    const { accounts, ...rest } = snapshot;
    const items = createItemSerializer<Account>()(accounts);
    return withLazyProperty<ProtocolSnapshot, "accounts">(structuredClone(rest), "accounts", () => deserializeItems(items));
  };

  it("is read only when asked for, then equals the snapshot sent: bigints, order and all, spread and serialised alike", () => {
    const lazy = received();
    expect(Object.getOwnPropertyDescriptor(lazy, "accounts")?.get).toBeTypeOf("function");
    expect(lazy.accounts).toEqual(snapshot.accounts);
    expect(Object.getOwnPropertyDescriptor(lazy, "accounts")?.value).toBe(lazy.accounts);
    expect({ ...received() }).toEqual(snapshot);
    expect(toJson(received())).toBe(toJson(snapshot));
  });

  it("takes an assignment before or after it is read, as a plain property does", () => {
    const [before, after] = [received(), received()];
    void after.accounts;
    for (const lazy of [before, after]) {
      lazy.accounts = [];
      expect(lazy.accounts).toEqual([]);
    }
  });
});

describe("accounts serialised one by one, block after block (createItemSerializer)", () => {
  const { accounts } = syntheticSnapshot(30, { seed: 8 });

  it("serialises an object it has seen once only, and the ones that replace it anew", () => {
    const serialize = createItemSerializer<Account>();
    const first = accounts.map((a) => ({ ...a }));
    expect(deserializeItems(serialize(first))).toEqual(accounts);
    // A changed account is a new object (followSnapshot); an object changed in place would show its kept bytes.
    const next = first.slice();
    next[3] = { ...first[3]!, cashUsd: 1n };
    first[4]!.cashUsd = 2n;
    const read = deserializeItems<Account>(serialize(next));
    expect(read[3]!.cashUsd).toBe(1n);
    expect(read[4]!.cashUsd).toBe(accounts[4]!.cashUsd);
    expect(read.slice(5)).toEqual(accounts.slice(5));
    expect(deserializeItems(serialize([]))).toEqual([]);
  });

  it("leaves every earlier block's items readable as they were, block after block, when the arena fills and is compacted too", () => {
    const serialize = createItemSerializer<Account>();
    let current = accounts.map((a) => ({ ...a }));
    const blocks: { items: ReturnType<typeof serialize>; expected: Account[] }[] = [];
    const arenas = new Set<unknown>();
    for (let b = 0; b < 60; b++) {
      // A third of the accounts change each block (new objects), and one is appended every fifth block.
      current = current.map((a, row) => (row % 3 === b % 3 ? { ...a, cashUsd: a.cashUsd + BigInt(b + 1) } : a));
      if (b % 5 === 0) current.push({ ...accounts[b % accounts.length]!, address: `0x${b.toString(16).padStart(40, "0")}` });
      const items = serialize(current);
      arenas.add(items.bytes.buffer);
      blocks.push({ items, expected: structuredClone(current) });
    }
    expect(arenas.size).toBeGreaterThan(2);
    for (const { items, expected } of blocks) expect(deserializeItems(items)).toEqual(expected);
  });
});
