import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAdlLightsExact } from "../reference/computeAdlLightsExact.ts";
import { fakeAddress, fakeLong, fakeSnapshot, usd, WAD } from "../testing/fakes.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { compareExactAdlScores, computeAdlLights, exactAdlScore, sameHoldings } from "./computeAdlLights.ts";

/** A fake short of 1 ETH-PERP from `entry` with `cash`, at the fake mark of $1,000. */
const short = (n: number, cash: number, entry: number) => ({ address: fakeAddress(n), cashUsd: usd(cash), balancesNative: [0n, 0n], positions: [{ marketId: 0, sizeBase: -WAD, openNotionalUsd: usd(-entry) }] });

describe("computeAdlLights", () => {
  it("ranks shorts in profit by pnl% × leverage, worked by hand, and gives the i-th of n the light 5 − ⌊5i/n⌋", () => {
    // Short from E with cash c at $1,000: pnl% = (E − 1,000)/E, leverage = 1,000/(c + E − 1,000).
    //   #1: E 2,000, c 0     → 0.5 × 1,000/1,000 = 0.5
    //   #2: E 1,250, c 750   → 0.2 × 1,000/1,000 = 0.2
    //   #3: E 1,100, c 900   → 0.0909… × 1      = 0.0909…
    const lights = computeAdlLights(fakeSnapshot([short(3, 900, 1_100), short(1, 0, 2_000), short(2, 750, 1_250)]));
    const of = (n: number) => lights.get(`${fakeAddress(n)}:0`)!;
    expect([of(1).score, of(2).score]).toEqual([0.5, 0.2]);
    expect(of(3).score).toBeCloseTo(1 / 11, 15);
    expect([of(1).light, of(2).light, of(3).light]).toEqual([5, 4, 2]);
    expect(of(1).side).toBe("short");
  });

  it("puts losing positions behind every profitable one (pnl% / leverage is negative), and five in a line get 5…1", () => {
    const accounts = [fakeLong(1, 500, 1), fakeLong(2, 100, 1), fakeLong(3, 900, 1), fakeLong(4, 300, 1), fakeLong(5, 700, 1)];
    const down = computeAdlLights(fakeSnapshot(accounts, { mark: 900 })); // every long lost $100: −10 % / leverage
    // Less leverage (more cash) divides the loss by less: the least leveraged loser is last in line.
    expect([2, 4, 1, 5, 3].map((n) => down.get(`${fakeAddress(n)}:0`)!.light)).toEqual([5, 4, 3, 2, 1]);
    const mixed = computeAdlLights(fakeSnapshot([fakeLong(1, 100, 1), short(2, 0, 2_000)], { mark: 900 }));
    expect(mixed.get(`${fakeAddress(1)}:0`)).toMatchObject({ side: "long", light: 5 }); // alone on its side
  });

  it("breaks ties by address, so the order never depends on the snapshot's", () => {
    const a = computeAdlLights(fakeSnapshot([short(2, 0, 2_000), short(1, 0, 2_000)]));
    const b = computeAdlLights(fakeSnapshot([short(1, 0, 2_000), short(2, 0, 2_000)]));
    expect(a.get(`${fakeAddress(1)}:0`)!.light).toBe(5);
    expect([...a.values()].sort((x, y) => x.address.localeCompare(y.address))).toEqual([...b.values()].sort((x, y) => x.address.localeCompare(y.address)));
  });
});

describe("exactAdlScore", () => {
  /** A fake account's exact figures (USD): its equity, its notional, one position's uPnL. */
  const score = (equity: number, notional: number, upnl: number, open: number) => exactAdlScore({ equityUsd: usd(equity), notionalUsd: usd(notional), positions: [{ upnlUsd: usd(upnl) }] as never }, 0, usd(open));

  it("is pnl% × effLev in profit and pnl% / effLev at a loss, as fractions; +∞ in profit without equity, 0 at a loss without it", () => {
    // 10 % up at 2× leverage: 0.2; 10 % down at 2×: −0.05; the same ratios at 10 times the size are the same score.
    expect(compareExactAdlScores(score(500, 1_000, 100, 1_000), { num: 2n, den: 10n })).toBe(0);
    expect(compareExactAdlScores(score(5_000, 10_000, 1_000, -10_000), score(500, 1_000, 100, 1_000))).toBe(0);
    expect(compareExactAdlScores(score(500, 1_000, -100, 1_000), { num: -5n, den: 100n })).toBe(0);
    expect(score(-1, 1_000, 100, 1_000)).toEqual({ num: 1n, den: 0n });
    expect(compareExactAdlScores(score(-1, 1_000, -100, 1_000), { num: 0n, den: 1n })).toBe(0);
    expect(compareExactAdlScores(score(500, 1_000, 0, 1_000), { num: 0n, den: 1n })).toBe(0);
  });

  it("orders scores a wei apart that a float cannot tell, and +∞ above every finite score", () => {
    const [more, less] = [score(500, 1_000, 100, 1_000), { ...score(500, 1_000, 100, 1_000), num: usd(100) * usd(1_000) - 1n }];
    expect(Number(more.num) / Number(more.den)).toBe(Number(less.num) / Number(less.den));
    expect([compareExactAdlScores(more, less), compareExactAdlScores(less, more)]).toEqual([1, -1]);
    expect(compareExactAdlScores({ num: 1n, den: 0n }, { num: 10n ** 60n, den: 1n })).toBe(1);
    expect(compareExactAdlScores({ num: -1n, den: 0n }, { num: -(10n ** 60n), den: 1n })).toBe(-1);
    expect(compareExactAdlScores({ num: 1n, den: 0n }, { num: 1n, den: 0n })).toBe(0);
  });
});

describe("computeAdlLights against the exact reference", () => {
  it("test_fuzz_fake_venues_give_the_exact_lights: the same light for every position, scores within float error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 60 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 }), fc.constantFrom(0n, 1n, -1n, 7n, 10n ** 9n)), { maxLength: 8 }), (seed, count, copies) => {
        const snapshot = syntheticSnapshot(count, { seed });
        // Near-ties: runs of copies of an account a wei or a few apart in cash, one after another
        // (the same float score; exactly each copy before or after the last, against the order
        // of their addresses half the time), and exact ties (apart by 0: in address order).
        let n = 0;
        for (const [pick, runLength, weiApart] of copies) {
          const original = snapshot.accounts[pick % count]!;
          for (let k = 1; k <= runLength; k++) snapshot.accounts.push({ ...original, address: `0x${(0xabc000 + n++).toString(16).padStart(40, "0")}` as `0x${string}`, cashUsd: original.cashUsd + BigInt(k) * weiApart });
        }
        const fast = computeAdlLights(snapshot);
        const exact = computeAdlLightsExact(snapshot);
        expect([...fast.keys()].sort()).toEqual([...exact.keys()].sort());
        for (const [key, light] of exact) {
          const mine = fast.get(key)!;
          expect({ ...mine, score: 0 }).toEqual({ ...light, score: 0 });
          if (Number.isFinite(light.score) && light.score !== Number.MAX_VALUE) expect(Math.abs(mine.score - light.score)).toBeLessThanOrEqual(2 ** -48 * Math.abs(light.score));
        }
      }),
      { numRuns: 60, seed: 31 },
    );
  });
});

describe("sameHoldings", () => {
  const holder = { ...fakeLong(1, 500, 2, 1), positions: [...fakeLong(1, 500, 2).positions, { marketId: 1, sizeBase: -WAD, openNotionalUsd: usd(-30) }] };
  const changes: [string, (a: typeof holder) => typeof holder][] = [
    ["a wei more cash", (a) => ({ ...a, cashUsd: a.cashUsd + 1n })],
    ["a wei more of a collateral", (a) => ({ ...a, balancesNative: a.balancesNative.map((b, c) => (c === 1 ? b + 1n : b)) })],
    ["a wei more size", (a) => ({ ...a, positions: a.positions.map((p, k) => (k === 1 ? { ...p, sizeBase: p.sizeBase - 1n } : p)) })],
    ["a wei more open notional", (a) => ({ ...a, positions: a.positions.map((p, k) => (k === 0 ? { ...p, openNotionalUsd: p.openNotionalUsd + 1n } : p)) })],
    ["the same position in another market", (a) => ({ ...a, positions: [a.positions[0]!, { ...a.positions[1]!, marketId: 2 }] })],
    ["one position fewer", (a) => ({ ...a, positions: a.positions.slice(0, 1) })],
  ];

  it("holds for another address with the same cash, balances and positions, in new objects", () => {
    expect(sameHoldings(holder, structuredClone({ ...holder, address: fakeAddress(2) }))).toBe(true);
  });

  it.each(changes)("does not with %s", (_, change) => {
    expect(sameHoldings(holder, change(holder))).toBe(false);
    expect(sameHoldings(change(holder), holder)).toBe(false);
  });
});
