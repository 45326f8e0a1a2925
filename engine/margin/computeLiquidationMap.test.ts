import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd, WAD } from "../testing/fakes.ts";
import { computeLiquidationMap } from "./computeLiquidationMap.ts";

/**
 * Fake ETH-PERP at $1,000, MMR 5 %. A long of 1 ETH from $1,000 with cash c is liquidated where
 * c + (P − 1,000) = 0.05·P, at P = (1,000 − c) / 0.95; a short, where c + (1,000 − P) = 0.05·P,
 * at P = (1,000 + c) / 1.05. Worked by hand:
 *   long, c = $200 → $842.11 (−15.8 %)    long, c = $100 → $947.37 (−5.3 %)
 *   long, c = $50  → $1,000 (at the mark) long, c = $20 → already past it: at the mark
 *   short, c = $100 → $1,047.62 (+4.8 %)
 */
const short = (n: number, cash: number) => ({ address: fakeAddress(n), cashUsd: usd(cash), balancesNative: [0n, 0n], positions: [{ marketId: 0, sizeBase: -WAD, openNotionalUsd: usd(-1_000) }] });
const snapshot = fakeSnapshot([fakeLong(1, 200, 1), fakeLong(2, 100, 1), fakeLong(3, 50, 1), fakeLong(4, 20, 1), short(5, 100), fakeLong(6, 1_000, 0)]);

describe("computeLiquidationMap", () => {
  const map = computeLiquidationMap(snapshot, 0, { stepPct: 2.5, rangePct: 20 });
  const at = (from: number) => map.find((b) => Math.abs(b.from - from) < 1e-9)!;

  it("puts each position in the bucket of its liquidation price, longs below the mark and shorts above", () => {
    expect(map).toHaveLength(16);
    expect(at(-0.175)).toMatchObject({ longAccounts: 1, longNotionalUsd: usd(1_000) });
    expect(at(-0.075)).toMatchObject({ longAccounts: 1, longNotionalUsd: usd(1_000) });
    expect(at(-0.025)).toMatchObject({ longAccounts: 2, longNotionalUsd: usd(2_000) }); // at the mark, and already past it
    expect(at(0.025)).toMatchObject({ shortAccounts: 1, shortNotionalUsd: usd(1_000) });
    const placed = map.reduce((n, b) => n + b.longAccounts + b.shortAccounts, 0);
    expect(placed).toBe(5); // the account without a position is nowhere
  });

  it("adds up, from the mark outwards, what a move to each level liquidates", () => {
    expect(at(-0.025).cumulativeNotionalUsd).toBe(usd(2_000));
    expect(at(-0.05).cumulativeNotionalUsd).toBe(usd(2_000));
    expect(at(-0.075).cumulativeNotionalUsd).toBe(usd(3_000));
    expect(at(-0.2).cumulativeNotionalUsd).toBe(usd(4_000));
    expect(at(0).cumulativeNotionalUsd).toBe(0n);
    expect(at(0.025).cumulativeNotionalUsd).toBe(usd(1_000));
    expect(at(0.175).cumulativeNotionalUsd).toBe(usd(1_000));
  });
});
