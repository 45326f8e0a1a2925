import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { findDustRows, paysKeeperNow, prepareRewardScreen, rewardBelowGasNow } from "./findDustRows.ts";
import { prepareMarginScreen, screenBound, screenMargin } from "./marginScreen.ts";

describe("findDustRows", () => {
  it("test_fuzz_dust_rows_equal_the_bigint_engine: penalty ratios within the maintenance ratios (as validation requires) or not, gas at a reward at maintenance ±1 wei", () => {
    const WAD = 10n ** 18n;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.bigInt({ min: 0n, max: WAD }), { minLength: 3, maxLength: 3 }), fc.array(fc.constantFrom(0n, 1n, WAD / 2n, WAD), { minLength: 3, maxLength: 3 }), fc.boolean(), fc.nat(), fc.constantFrom(-1n, 0n, 1n), (seed, penaltyShares, keeperShares, withinMmr, pick, offset) => {
        const s = syntheticSnapshot(60, { seed });
        s.markets = s.markets.map((m, i) => {
          const liquidationPenaltyWad = withinMmr ? (m.params.mmrWad * penaltyShares[i]!) / WAD : penaltyShares[i]!;
          return { ...m, params: { ...m.params, liquidationPenaltyWad, keeperShareWad: keeperShares[i]! } };
        });
        const rewards = s.accounts.map((a) => keeperReward(s, computeAccountRisk(s, a), { atMaintenance: true }).rewardUsd);
        const gasUsd = rewards[pick % rewards.length]! + offset;
        const gas = gasUsd < 0n ? 0n : gasUsd;
        const columnar = buildColumnarSnapshot(s, s.accounts);
        expect([...findDustRows(columnar, s, gas)]).toEqual(s.accounts.flatMap((a, row) => (a.positions.length > 0 && rewards[row]! < gas ? [row] : [])));
      }),
      { numRuns: 300, seed: 62 },
    );
  });
});

describe("paysKeeperNow and rewardBelowGasNow", () => {
  it("test_fuzz_reward_screens_never_overclaim: equity at a share of the raw penalty ±1 wei, gas at a reward ±1 wei or at 3/4 of a keeper's full share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(0n, 1n, 2n, 4n), fc.constantFrom(-1n, 0n, 1n), fc.constantFrom(-1n, 0n, 1n, null), fc.nat(), (seed, halves, equityOffset, gasOffset, pick) => {
        const s = syntheticSnapshot(40, { seed, nearMaintenance: 1 });
        // Every account's equity placed at halves/2 of its raw penalty plus the offset.
        s.accounts = s.accounts.map((a) => {
          const risk = computeAccountRisk(s, a);
          return { ...a, cashUsd: a.cashUsd + (keeperReward(s, risk).rawPenaltyUsd * halves) / 2n + equityOffset - risk.equityUsd };
        });
        const rewards = s.accounts.map((a) => keeperReward(s, computeAccountRisk(s, a)).rewardUsd);
        const picked = s.accounts[pick % s.accounts.length]!;
        const fullShare = keeperReward(s, computeAccountRisk(s, { ...picked, cashUsd: 10n ** 30n })).rewardUsd;
        const gasUsd = gasOffset === null ? (fullShare * 3n) / 4n : rewards[pick % rewards.length]! + gasOffset;
        const columnar = buildColumnarSnapshot(s, s.accounts);
        const screen = prepareRewardScreen(s, gasUsd < 0n ? 0n : gasUsd);
        const equity = prepareMarginScreen(s, { maintenance: false });
        s.accounts.forEach((_, row) => {
          const d = screenMargin(columnar, row, equity);
          const bound = screenBound(equity);
          if (paysKeeperNow(columnar, row, screen, d - bound)) expect(rewards[row]! >= screen.gasUsd).toBe(true);
          if (rewardBelowGasNow(columnar, row, screen, d + bound)) expect(rewards[row]! < screen.gasUsd).toBe(true);
        });
      }),
      { numRuns: 200, seed: 61 },
    );
  });

  it("settles an ordinary account with equity to spare: a $10k-class position pays a $0.75 gas", () => {
    const s = syntheticSnapshot(200, { seed: 3 });
    const columnar = buildColumnarSnapshot(s, s.accounts);
    const screen = prepareRewardScreen(s, 75n * 10n ** 16n);
    const equity = prepareMarginScreen(s, { maintenance: false });
    const settled = s.accounts.filter((_, row) => paysKeeperNow(columnar, row, screen, screenMargin(columnar, row, equity) - screenBound(equity)));
    expect(settled.length).toBeGreaterThan(150);
  });

  it("proves dust without the bigint engine: equity at a tenth of the raw penalty, gas at half the full keeper share", () => {
    const s = syntheticSnapshot(200, { seed: 5, nearMaintenance: 1 });
    s.accounts = s.accounts.map((a) => {
      const risk = computeAccountRisk(s, a);
      return { ...a, cashUsd: a.cashUsd + keeperReward(s, risk).rawPenaltyUsd / 10n - risk.equityUsd };
    });
    const columnar = buildColumnarSnapshot(s, s.accounts);
    const equity = prepareMarginScreen(s, { maintenance: false });
    const proven = s.accounts.filter((a, row) => {
      const fullShare = keeperReward(s, computeAccountRisk(s, { ...a, cashUsd: 10n ** 30n })).rewardUsd;
      return rewardBelowGasNow(columnar, row, prepareRewardScreen(s, fullShare / 2n), screenMargin(columnar, row, equity) + screenBound(equity));
    });
    expect(proven.length).toBeGreaterThan(150);
  });
});
