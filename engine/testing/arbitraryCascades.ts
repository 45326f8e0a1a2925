/**
 * Fake cascades for the properties of the cascade's fast paths (cascadeTriggers.test.ts, the
 * ledger thread's test): random synthetic venues, venues where a trigger's float slope cancels,
 * and adversarial venues at the float limbs' limits — each with a path, impact and keeper.
 */

import fc from "fast-check";
import type { CascadeParameters } from "../cascade/simulateCascade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { AdlMode } from "../types.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "./adversarialVenue.ts";
import { syntheticSnapshot } from "./syntheticVenue.ts";

const WAD = 10n ** 18n;

/** Fake venues (engine/testing/syntheticVenue) with thin reserves, a random path, impact and keeper. */
export const arbitraryCascade: fc.Arbitrary<CascadeParameters> = fc
  .record({
    accounts: fc.integer({ min: 5, max: 60 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    nearMaintenance: fc.double({ min: 0.2, max: 1, noNaN: true }),
    reservesUsd: fc.constantFrom(0n, 0n, 100n, 1000n, 100_000n),
    adlMode: fc.constantFrom(AdlMode.Queue, AdlMode.ProRata),
    path: fc.array(fc.array(fc.double({ min: -0.2, max: 0.06, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
    impact: fc.array(fc.record({ model: fc.constantFrom("linear" as const, "sqrt" as const), depthUsd: fc.constantFrom(1e4, 1e5, 1e6, Infinity) }), { minLength: 3, maxLength: 3 }),
    keeper: fc.record({ latencySteps: fc.integer({ min: 0, max: 2 }), capacityPerStep: fc.constantFrom(1, 3, Infinity), gasCostUsd: fc.constantFrom(0, 1, 20) }),
    maxRounds: fc.integer({ min: 1, max: 20 }),
  })
  .map((r) => {
    const snapshot = syntheticSnapshot(r.accounts, { seed: r.seed, nearMaintenance: r.nearMaintenance });
    snapshot.reserves = { ...snapshot.reserves, insuranceFundUsd: r.reservesUsd * WAD, defaultFundUsd: r.reservesUsd * WAD };
    snapshot.global = { ...snapshot.global, adlMode: r.adlMode };
    return { snapshot, path: r.path, impact: r.impact, keeper: r.keeper, maxRounds: r.maxRounds };
  });

/**
 * Venues where the float slope of a trigger cancels: one market's maintenance ratio a few wei
 * short of 1 (s − |s|·mmr is then ~10⁻¹⁸·s, below the float's resolution of s), accounts
 * placed exactly at maintenance or a few wei above it, so that the smallest move decides, some
 * holding only that market (no other price can wake them), and paths moving that market alone.
 */
export const arbitraryCancellingCascade: fc.Arbitrary<CascadeParameters> = fc
  .record({
    accounts: fc.integer({ min: 3, max: 30 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    marketId: fc.integer({ min: 0, max: 2 }),
    mmrWad: fc.constantFrom(WAD - 1n, WAD - 7n, WAD - 1000n, WAD - 10n ** 9n),
    offsetsWei: fc.array(fc.constantFrom(0n, 1n, 2n, 3000n, 10n ** 6n, undefined), { minLength: 30, maxLength: 30 }),
    alone: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    path: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 4 }),
  })
  .map((r) => {
    const snapshot = syntheticSnapshot(r.accounts, { seed: r.seed });
    const market = snapshot.markets[r.marketId]!;
    market.params = { ...market.params, mmrWad: r.mmrWad, imrWad: WAD };
    snapshot.accounts.forEach((account, i) => {
      if (r.alone[i]) {
        account.positions = account.positions.filter((p) => p.marketId === r.marketId).map((p) => ({ ...p, sizeBase: p.sizeBase < 0n ? -p.sizeBase : p.sizeBase, openNotionalUsd: p.openNotionalUsd < 0n ? -p.openNotionalUsd : p.openNotionalUsd }));
        account.balancesNative = account.balancesNative.map(() => 0n);
      }
      const offset = r.offsetsWei[i];
      if (offset === undefined) return;
      const risk = computeAccountRisk(snapshot, account);
      account.cashUsd += offset + risk.maintenanceMarginUsd - risk.equityUsd;
    });
    const path = r.path.map((move) => snapshot.markets.map((_, m) => (m === r.marketId ? move : 0)));
    return { snapshot, path, impact: snapshot.markets.map(() => ({ model: "linear" as const, depthUsd: Infinity })) };
  });

/**
 * Fake adversarial venues (engine/testing/adversarialVenue: marks from 1 wei to 10³⁰, any ratio,
 * 0–30 decimals; sizes to past 2¹⁰⁶, margins exactly at the line or a wei either side), each
 * market on a feed of its own and each collateral on a market's feed (its price moves with that
 * mark) or on one of its own (it keeps its price): trigger keys of every exponent, slopes that
 * cancel, values too wide for the float limbs.
 */
export const arbitraryAdversarialCascade: fc.Arbitrary<CascadeParameters> = fc
  .record({
    venue: arbitraryVenue,
    shapes: fc.array(arbitraryAccountShape, { minLength: 1, maxLength: 12 }),
    feeds: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 2, maxLength: 2 }),
    penaltyWad: fc.constantFrom(0n, WAD / 100n),
    reservesUsd: fc.constantFrom(0n, 10n ** 30n),
    path: fc.array(fc.array(fc.double({ min: -0.3, max: 0.1, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
    impact: fc.array(fc.record({ model: fc.constantFrom("linear" as const, "sqrt" as const), depthUsd: fc.constantFrom(1e3, 1e9, Infinity) }), { minLength: 3, maxLength: 3 }),
    keeper: fc.record({ latencySteps: fc.integer({ min: 0, max: 1 }), capacityPerStep: fc.constantFrom(2, Infinity), gasCostUsd: fc.constantFrom(0, 1) }),
  })
  .map((r) => {
    const markets = r.venue.markets.map((m, id) => ({ ...m, feedId: `0x1${id}` as const, params: { ...m.params, liquidationPenaltyWad: r.penaltyWad < m.params.mmrWad ? r.penaltyWad : 0n, keeperShareWad: WAD / 2n } }));
    const collaterals = r.venue.collaterals.map((c, id) => {
      const market = markets[r.feeds[id]!];
      return { ...c, feedId: market ? market.feedId : (`0x2${id}` as const), priceWad: market ? market.markPriceWad : c.priceWad };
    });
    const venue = { ...r.venue, markets, collaterals, reserves: { ...r.venue.reserves, insuranceFundUsd: r.reservesUsd, defaultFundUsd: r.reservesUsd } };
    const snapshot = { ...venue, accounts: r.shapes.map((shape, n) => adversarialAccount(venue, shape, n)) };
    return { snapshot, path: r.path, impact: r.impact, keeper: r.keeper };
  });
