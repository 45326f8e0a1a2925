/**
 * Fake blocks for the property tests of what is followed from block to block (followSystemRisk,
 * followCover): one block's change to a synthetic book — accounts edited (cash moved, a position
 * closed, positions flipped to the other side), accounts registered, every mark moved, or
 * nothing — and the snapshot after it. Test data only.
 */

import fc from "fast-check";
import type { ProtocolSnapshot } from "../types.ts";
import { syntheticSnapshot } from "./syntheticVenue.ts";

export const arbitraryBlockChange = fc.oneof(
  fc.record({ kind: fc.constant("edit" as const), rows: fc.array(fc.nat(), { maxLength: 12 }), cash: fc.array(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), { minLength: 1, maxLength: 4 }), close: fc.boolean() }),
  fc.record({ kind: fc.constant("add" as const), count: fc.integer({ min: 1, max: 6 }), seed: fc.nat() }),
  fc.record({ kind: fc.constant("move" as const), percent: fc.integer({ min: 70, max: 130 }) }),
  fc.constant({ kind: "same" as const }),
);

export type BlockChange = typeof arbitraryBlockChange extends fc.Arbitrary<infer T> ? T : never;

/** The next block's snapshot: `s` with `change` made (new accounts array and objects for what changed; the rest shared). */
export function nextBlock(s: ProtocolSnapshot, change: BlockChange): ProtocolSnapshot {
  const accounts = s.accounts.slice();
  if (change.kind === "edit") {
    change.rows.forEach((at, k) => {
      const row = at % accounts.length;
      const a = accounts[row]!;
      const flip = (k + row) % 3 === 0;
      accounts[row] = { ...a, cashUsd: a.cashUsd + change.cash[k % change.cash.length]!, positions: change.close && k === 0 ? [] : flip ? a.positions.map((p) => ({ ...p, sizeBase: -p.sizeBase, openNotionalUsd: -p.openNotionalUsd })) : a.positions };
    });
  } else if (change.kind === "add") {
    syntheticSnapshot(change.count, { seed: change.seed + 1 }).accounts.forEach((a, i) => accounts.push({ ...a, address: `0xee${(accounts.length + i).toString(16).padStart(38, "0")}` }));
  }
  const markets = change.kind === "move" ? s.markets.map((m) => ({ ...m, markPriceWad: (m.markPriceWad * BigInt(change.percent)) / 100n })) : s.markets;
  return { ...s, blockNumber: s.blockNumber + 1n, markets, accounts };
}
