import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromWad } from "../format.ts";
import { computeEngineHealth } from "../health/computeEngineHealth.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { computeSystemRisk, followSystemRisk, HEALTH_BUCKETS, type ScreenedRisk, type SystemRisk } from "../margin/computeSystemRisk.ts";
import { columnarOf } from "../columnar/columnarOf.ts";
import { createFigures, prepareFigureScreen, screenFigures } from "./screenFigures.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import { previewChanges } from "../preview/previewChanges.ts";
import { computeSystemRiskExact } from "../reference/computeSystemRiskExact.ts";
import { findLiquidatableExact } from "../reference/findLiquidatableExact.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import { shockMarks } from "../reserves/computeCover.ts";
import { scenarioMoves, historicalScenarios } from "../scenarios/scenarios.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";

/** Fake venues (engine/testing/syntheticVenue), many accounts at or near maintenance. */
const arbitrarySnapshot = fc.record({ seed: fc.integer({ min: 1, max: 1e6 }), accounts: fc.integer({ min: 1, max: 300 }), near: fc.double({ min: 0, max: 1, noNaN: true }) }).map((r) => syntheticSnapshot(r.accounts, { seed: r.seed, nearMaintenance: r.near }));

const decimalHealth = (s: ProtocolSnapshot, a: ProtocolSnapshot["accounts"][number]) => {
  const risk = computeAccountRisk(s, a);
  return fromWad(risk.equityUsd).div(fromWad(risk.maintenanceMarginUsd)).toNumber();
};

/** A float screen of every row of `s` (screenFigures), as the block views' screen jobs write it for system risk (lib/server/rowScreen). */
function screenedRiskOf(s: ProtocolSnapshot): ScreenedRisk {
  const columnar = columnarOf(s);
  const screen = prepareFigureScreen(s);
  const n = s.accounts.length;
  const out = createFigures(s.markets.length);
  const risk: ScreenedRisk = { screened: new Uint8Array(n), liquidatable: new Uint8Array(n), equitySign: new Int8Array(n), healthLow: new Float64Array(n), healthHigh: new Float64Array(n) };
  for (let row = 0; row < n; row++) {
    if (!screenFigures(columnar, row, screen, out)) continue;
    risk.screened[row] = 1;
    risk.liquidatable[row] = out.liquidatable ? 1 : 0;
    risk.equitySign[row] = out.equitySign;
    risk.healthLow[row] = out.healthLow;
    risk.healthHigh[row] = out.healthHigh;
  }
  return risk;
}

describe("aggregates on the columnar path equal the account-by-account bigint engine", () => {
  it("test_fuzz_system_risk: liquidatable set, health histogram and nearest accounts", () => {
    fc.assert(
      fc.property(arbitrarySnapshot, (s) => {
        const risk = computeSystemRisk(s, { nearest: 7 });
        expect(risk.liquidatable).toEqual(findLiquidatableExact(s));
        const held = s.accounts.filter((a) => a.positions.length > 0).map((a) => ({ address: a.address, health: decimalHealth(s, a) }));
        expect(risk.healthHistogram.map((b) => b.count)).toEqual(HEALTH_BUCKETS.map((b, i) => held.filter((h) => h.health < b.max && (i === 0 || h.health >= HEALTH_BUCKETS[i - 1]!.max)).length));
        held.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1));
        expect(risk.nearestToLiquidation.map((n) => [n.address, n.health])).toEqual(held.slice(0, 7).map((h) => [h.address, h.health]));
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  /**
   * System risk against the account-by-account reference, as `systemRisk` computes it: on
   * adversarial venues (margins at exactly 0 — health 1, a bucket edge — a wei either side, wide
   * sizes, odd decimals), then on synthetic books with accounts placed exactly on every bucket edge
   * and a wei either side. Returns how many rows a figure screen told (screenedRiskOf).
   */
  const systemRiskEqualsReference = (systemRisk: (s: ProtocolSnapshot, nearest: number) => SystemRisk) => {
    const systemRiskOf = (s: ProtocolSnapshot, nearest: number) => {
      const { tvlUsd, markets, ...rest } = systemRisk(s, nearest);
      expect(tvlUsd).toBeTypeOf("bigint");
      return { ...rest, largestPositionUsd: markets.map((m) => m.largestPositionUsd) };
    };
    fc.assert(
      fc.property(arbitraryVenue, fc.array(arbitraryAccountShape, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 8 }), (venue, shapes, nearest) => {
        const s: ProtocolSnapshot = { ...venue, accounts: shapes.map((shape, n) => adversarialAccount(venue, shape, n)) };
        expect(systemRiskOf(s, nearest)).toEqual(computeSystemRiskExact(s, { nearest }));
      }),
      { numRuns: 600, seed: 24 },
    );
    fc.assert(
      fc.property(arbitrarySnapshot, fc.array(fc.tuple(fc.constantFrom(...HEALTH_BUCKETS.filter((b) => Number.isFinite(b.max)).map((b) => b.max)), fc.constantFrom(-1n, 0n, 1n)), { minLength: 0, maxLength: 20 }), (s, edges) => {
        edges.forEach(([edge, offset], i) => {
          const account = s.accounts[i % s.accounts.length]!;
          const risk = computeAccountRisk(s, account);
          if (risk.maintenanceMarginUsd === 0n) return;
          const target = (risk.maintenanceMarginUsd * BigInt(Math.round(edge * 100))) / 100n + offset;
          s.accounts[i % s.accounts.length] = { ...account, cashUsd: account.cashUsd + target - risk.equityUsd };
        });
        expect(systemRiskOf(s, 7)).toEqual(computeSystemRiskExact(s, { nearest: 7 }));
      }),
      { numRuns: 60, seed: 25 },
    );
  };

  it("test_fuzz_system_risk_equals_the_account_by_account_reference: totals to the wei, deficit, buckets at their edges, nearest, largest", () => {
    systemRiskEqualsReference((s, nearest) => computeSystemRisk(s, { nearest }));
  });

  it("test_fuzz_system_risk_from_the_figure_screen_equals_the_reference: rows classified from the block's figure screen (its equity sign, health interval, liquidatable)", () => {
    let told = 0;
    let positioned = 0;
    systemRiskEqualsReference((s, nearest) => {
      const screened = screenedRiskOf(s);
      told += screened.screened.reduce((sum, flag) => sum + flag, 0);
      positioned += screened.healthLow.filter((low, row) => screened.screened[row] && !Number.isNaN(low)).length;
      return followSystemRisk(s, undefined, { nearest, screened }).risk;
    });
    // The screen told most rows, most of them with positions: the path under test ran.
    expect(told).toBeGreaterThan(5_000);
    expect(positioned).toBeGreaterThan(2_000);
  });

  it("test_fuzz_engine_health_dust_and_deficit: dust at maintenance, liquidatable dust and negative equity equal the account-by-account engine, gas placed on a reward ±1 wei", () => {
    const venue = fc.record({
      snapshot: arbitrarySnapshot,
      shock: fc.array(fc.constantFrom(0, -0.1, 0.1, -0.4), { minLength: 3, maxLength: 3 }),
      penalty: fc.array(fc.bigInt({ min: 0n, max: 10n ** 18n }), { minLength: 3, maxLength: 3 }),
      share: fc.array(fc.constantFrom(0n, 1n, 5n * 10n ** 17n, 10n ** 18n), { minLength: 3, maxLength: 3 }),
      gasAt: fc.nat(),
      gasOffset: fc.constantFrom(-1n, 0n, 1n),
    });
    fc.assert(
      fc.property(venue, ({ snapshot, shock, penalty, share, gasAt, gasOffset }) => {
        const s = shockMarks(snapshot, shock);
        s.markets = s.markets.map((m, i) => ({ ...m, params: { ...m.params, liquidationPenaltyWad: penalty[i]!, keeperShareWad: share[i]! } }));
        const held = s.accounts.filter((a) => a.positions.length > 0);
        const rewardAtMaintenance = (a: (typeof held)[number]) => keeperReward(s, computeAccountRisk(s, a), { atMaintenance: true }).rewardUsd;
        const gasUsd = held.length ? rewardAtMaintenance(held[gasAt % held.length]!) + gasOffset : 1n;
        const health = computeEngineHealth(s, { gasPriceWei: 1n, gasPerLiquidation: gasUsd < 1n ? 0n : gasUsd, nativePriceWad: 10n ** 18n });
        const gas = health.gasCostUsd;
        const dust = held.filter((a) => rewardAtMaintenance(a) < gas);
        expect([health.dust.accounts, health.dust.notionalUsd]).toEqual([dust.length, dust.reduce((t, a) => t + computeAccountRisk(s, a).notionalUsd, 0n)]);
        const liquidatableDust = held.filter((a) => isLiquidatable(computeAccountRisk(s, a)) && keeperReward(s, computeAccountRisk(s, a)).rewardUsd < gas);
        expect(health.dust.liquidatableNow).toEqual(liquidatableDust.map((a) => a.address));
        expect(health.dust.liquidatableDeficitUsd).toBe(liquidatableDust.reduce((t, a) => t + (computeAccountRisk(s, a).equityUsd < 0n ? -computeAccountRisk(s, a).equityUsd : 0n), 0n));
        const negative = s.accounts.filter((a) => computeAccountRisk(s, a).equityUsd < 0n);
        expect(health.negativeEquity.accounts).toEqual(negative.map((a) => a.address));
        expect(health.negativeEquity.usd).toBe(negative.reduce((t, a) => t - computeAccountRisk(s, a).equityUsd, 0n));
      }),
      { numRuns: 60, seed: 26 },
    );
  });
  it("test_fuzz_engine_health_runway: each scenario's loss is Σ max(0, −equity) at its shocked marks", () => {
    fc.assert(
      fc.property(arbitrarySnapshot, (s) => {
        const lossAt = (moves: number[]) => s.accounts.reduce((loss, a) => {
          const e = computeAccountRisk(shockMarks(s, moves), a).equityUsd;
          return e < 0n ? loss - e : loss;
        }, 0n);
        const now = lossAt(s.markets.map(() => 0));
        const health = computeEngineHealth(s, { gasPriceWei: 10n ** 9n });
        for (const r of health.runway) {
          const moves = scenarioMoves(historicalScenarios.find((h) => h.id === r.id)!, s.markets);
          const loss = moves.some((m) => m !== 0) ? lossAt(moves) : now;
          expect(r.lossUsd).toBe(loss > now ? loss - now : 0n);
        }
      }),
      { numRuns: 25, seed: 22 },
    );
  });

  it("test_fuzz_preview_diff: newly liquidatable and newly safe are the exact set differences", () => {
    fc.assert(
      fc.property(arbitrarySnapshot, fc.integer({ min: 50, max: 200 }), (s, percent) => {
        const params = s.markets[1]!.params;
        const mmrWad = (params.mmrWad * BigInt(percent)) / 100n;
        const preview = previewChanges(s, [{ kind: "setMarketParams", marketId: 1, params: { ...params, mmrWad, imrWad: mmrWad * 2n } }]);
        const before = new Set(findLiquidatableExact(s));
        const after = s.accounts.filter((a) => isLiquidatable(computeAccountRisk(preview.after, a))).map((a) => a.address);
        expect(preview.newlyLiquidatable.map((a) => a.address)).toEqual(after.filter((a) => !before.has(a)).sort());
        expect(preview.newlySafe.map((a) => a.address)).toEqual([...before].filter((a) => !after.includes(a)).sort());
      }),
      { numRuns: 25, seed: 23 },
    );
  });
});
