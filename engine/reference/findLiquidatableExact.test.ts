/**
 * The reference pinned by hand on the fake venue (ETH-PERP at $1,000, MMR 5 %, penalty 2 %,
 * keeper share 50 %): the fast path is fuzzed against it in screen/aggregates.test.ts, so it must be right on its own.
 */
import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { findLiquidatableExact } from "./findLiquidatableExact.ts";

// Long 1 ETH from $1,000 at a $1,000 mark: no PnL, $50 of maintenance.
const book = fakeSnapshot([
  fakeLong(1, 50, 1), // exactly at maintenance
  fakeLong(2, 50, 1, 0.001), // above it by 0.001 WETH × $1,000 × 80 % = $0.80
  { ...fakeLong(3, 50, 1), cashUsd: usd(50) - 1n }, // one wei below
  fakeLong(4, -10, 0), // below zero but no position
  fakeLong(5, -1, 1), // below zero with a position
]);

describe("findLiquidatableExact", () => {
  it("lists the accounts with positions below maintenance, in snapshot order: not exactly at it, one wei below it is", () => {
    expect(findLiquidatableExact(book)).toEqual([fakeAddress(3), fakeAddress(5)]);
  });
});
