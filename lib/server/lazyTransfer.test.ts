import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { toJson } from "../../engine/serialize.ts";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { serializeToTransfer, withLazyProperty } from "./lazyTransfer.ts";

describe("a snapshot whose accounts cross threads as bytes (withLazyProperty)", () => {
  const snapshot = syntheticSnapshot(40, { seed: 5 });
  const received = () => {
    const { accounts, ...rest } = snapshot;
    return withLazyProperty<ProtocolSnapshot, "accounts">(structuredClone(rest), "accounts", serializeToTransfer(accounts));
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

  it("owns the buffer it transfers, even for a value small enough for Node's shared pool", () => {
    const bytes = serializeToTransfer(1n);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  });
});
