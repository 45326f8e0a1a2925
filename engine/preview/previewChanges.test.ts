import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shockMarks } from "../reserves/computeCover.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { AdlMode, type ProtocolSnapshot } from "../types.ts";
import { previewChanges, summariseLiquidations } from "./previewChanges.ts";

const WAD = 10n ** 18n;
const pct = (x: number) => (BigInt(Math.round(x * 100)) * WAD) / 10_000n;
const usd = (x: number) => BigInt(x) * WAD;
const A = "0x000000000000000000000000000000000000000a" as const;
const B = "0x000000000000000000000000000000000000000b" as const;
const C = "0x000000000000000000000000000000000000000c" as const;

/**
 * Fake ETH market at $2,500 for these tests: A is long 2 ETH from $3,000 with $1,400 of cash
 * (equity $400 = 8 % of the $5,000 notional: health 1.6 at MMR 5 %); B is long 1 ETH from $2,500
 * with $1,000 (equity $1,000, 40 %); C is short 3 ETH against both, deep in collateral.
 */
function fixtureSnapshot(): ProtocolSnapshot {
  return {
    chainId: 31337, blockNumber: 1n, blockHash: "0x00", timestamp: 1000n,
    markets: [{
      id: 0, symbol: "ETH-PERP", feedId: "0x00", markPriceWad: usd(2500), priceUpdatedAt: 1000n, frozen: false, paused: false, unpausedAt: 0n,
      longOpenInterestBase: 3n * WAD, shortOpenInterestBase: 3n * WAD,
      params: { imrWad: pct(10), mmrWad: pct(5), liquidationPenaltyWad: pct(2), keeperShareWad: pct(50), oiCapUsd: usd(60_000), concentrationCapWad: pct(20), oracleMaxAgeSec: 3600n },
    }],
    collaterals: [{ id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x00", priceWad: WAD, priceUpdatedAt: 1000n, params: { weightWad: WAD, depositCapNative: 10n ** 20n, oracleMaxAgeSec: 86_400n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n }],
    accounts: [
      { address: A, cashUsd: usd(1400), balancesNative: [0n], positions: [{ marketId: 0, sizeBase: 2n * WAD, openNotionalUsd: usd(6000) }] },
      { address: B, cashUsd: usd(1000), balancesNative: [0n], positions: [{ marketId: 0, sizeBase: WAD, openNotionalUsd: usd(2500) }] },
      { address: C, cashUsd: usd(100_000), balancesNative: [0n], positions: [{ marketId: 0, sizeBase: -3n * WAD, openNotionalUsd: -usd(8500) }] },
    ],
    reserves: { insuranceFundUsd: usd(1000), defaultFundUsd: usd(1000), defaultFundShares: usd(1000), pendingWithdrawalShares: 0n, badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 900n, defaultFundCooldownSec: 604_800n },
  };
}
const params = fixtureSnapshot().markets[0]!.params;

describe("previewChanges", () => {
  it("no change: nothing newly liquidatable, the same outcome before and after", () => {
    const preview = previewChanges(fixtureSnapshot(), []);
    expect(preview.newlyLiquidatable).toEqual([]);
    expect(preview.afterChanges).toEqual(preview.before);
  });

  it("raising MMR from 5 % to 9 % lists A (equity 8 % of notional) and only A", () => {
    const preview = previewChanges(fixtureSnapshot(), [{ kind: "setMarketParams", marketId: 0, params: { ...params, imrWad: pct(15), mmrWad: pct(9) } }]);
    expect(preview.issues).toEqual([]);
    expect(preview.newlyLiquidatable.map((a) => a.address)).toEqual([A]);
    // MM before 5 % of $5,000 = $250; after 9 % = $450 > equity $400
    expect(preview.newlyLiquidatable[0]).toMatchObject({ equityUsd: usd(400), maintenanceMarginBeforeUsd: usd(250), maintenanceMarginAfterUsd: usd(450), notionalUsd: usd(5000) });
    // penalty 2 % of $5,000 = $100, half to the keeper; equity stays positive: no reserve draw
    expect(preview.afterChanges.current).toMatchObject({ accounts: 1, notionalUsd: usd(5000), penaltiesUsd: usd(100), keeperRewardsUsd: usd(50), insuranceDrawUsd: 0n, badDebtUsd: 0n });
  });

  it("refuses an MMR above IMR with the contract's error and leaves the market as it was", () => {
    const preview = previewChanges(fixtureSnapshot(), [{ kind: "setMarketParams", marketId: 0, params: { ...params, mmrWad: pct(12) } }]);
    expect(preview.issues.map((i) => i.error)).toEqual(["InvalidMarginRatios"]);
    expect(preview.after.markets[0]!.params).toEqual(params);
  });

  it("moving more than the insurance fund holds is an issue, not a negative fund", () => {
    const preview = previewChanges(fixtureSnapshot(), [{ kind: "moveReserves", from: "insurance", to: "default", amountUsd: usd(1001) }]);
    expect(preview.issues.map((i) => i.error)).toEqual(["InsufficientReserves"]);
    expect(preview.after.reserves.insuranceFundUsd).toBe(usd(1000));
  });

  it("a tighter OI cap and concentration cap are reported as breaches it creates", () => {
    // OI 3 ETH × $2,500 = $7,500 > $5,000; C's $7,500 > 20 % × $5,000 = $1,000, A's $5,000 and B's $2,500 too
    const preview = previewChanges(fixtureSnapshot(), [{ kind: "setMarketParams", marketId: 0, params: { ...params, oiCapUsd: usd(5000) } }]);
    expect(preview.oiCapBreaches).toEqual([{ marketId: 0, openInterestUsd: usd(7500), oiCapUsd: usd(5000) }]);
    expect(preview.concentrationBreaches.map((b) => b.address).sort()).toEqual([A, B, C]);
  });

  it("shows the outcome under both ADL modes when a deficit reaches ADL", () => {
    const crashed = fixtureSnapshot();
    crashed.markets[0]!.markPriceWad = usd(2000); // A: 1,400 + 4,000 − 6,000 = −$600; B: 1,000 + 2,000 − 2,500 = $500
    crashed.reserves = { ...crashed.reserves, insuranceFundUsd: usd(100), defaultFundUsd: usd(100) };
    const preview = previewChanges(crashed, []);
    expect(preview.before.current).toMatchObject({ insuranceDrawUsd: usd(100), defaultFundDrawUsd: usd(100), adlAbsorbedUsd: usd(400), badDebtUsd: 0n });
    expect(preview.before.otherAdlMode).toMatchObject({ adlAbsorbedUsd: usd(400), adlClosedNotionalUsd: 0n });
    // queue: q = ceil(2 ETH × 400 / 600) = 1.333… ETH closed against C at $2,000
    expect(preview.before.current.adlClosedNotionalUsd).toBe((((2n * WAD * 400n + 599n) / 600n) * 2000n * WAD) / WAD);
  });
});

/** Fake venues (engine/testing/syntheticVenue) shocked into bankruptcies, with paused markets, grace periods and books too large for the keeper's bound. */
const arbitraryLiquidatableVenue = fc
  .record({
    accounts: fc.integer({ min: 1, max: 80 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    near: fc.double({ min: 0, max: 1, noNaN: true }),
    shock: fc.array(fc.constantFrom(0, 0, -0.05, 0.05, -0.3, 0.3), { minLength: 3, maxLength: 3 }),
    pause: fc.constantFrom(-1, -1, 0, 1, 2),
    graceMarket: fc.constantFrom(-1, -1, 0, 2),
    giant: fc.boolean(),
    reservesUsd: fc.constantFrom(0n, 1000n, 10n ** 9n),
    adlMode: fc.constantFrom(AdlMode.Queue, AdlMode.ProRata),
  })
  .map((r) => {
    const s = shockMarks(syntheticSnapshot(r.accounts, { seed: r.seed, nearMaintenance: r.near }), r.shock);
    s.markets = s.markets.map((m, i) => ({ ...m, paused: i === r.pause, unpausedAt: i === r.graceMarket ? s.timestamp : m.unpausedAt }));
    s.global = { ...s.global, gracePeriodSec: 600n };
    s.reserves = { ...s.reserves, insuranceFundUsd: r.reservesUsd * WAD, defaultFundUsd: r.reservesUsd * WAD };
    // A book worth more than the preview keeper's 10⁴⁰ wei of cash: the shortcut cannot prove its margin and must replay.
    if (r.giant) s.accounts = s.accounts.map((a, i) => (i === 0 ? { ...a, cashUsd: a.cashUsd * 10n ** 22n, positions: a.positions.map((p) => ({ ...p, sizeBase: p.sizeBase * 10n ** 22n, openNotionalUsd: p.openNotionalUsd * 10n ** 22n })) } : a));
    return { snapshot: s, adlMode: r.adlMode };
  });

describe("summariseLiquidations", () => {
  it("test_fuzz_solvent_shortcut_equals_the_replay: every ledger total, both ADL modes, skips and bankruptcies", () => {
    fc.assert(
      fc.property(arbitraryLiquidatableVenue, ({ snapshot, adlMode }) => {
        expect(summariseLiquidations(snapshot, adlMode)).toEqual(summariseLiquidations(snapshot, adlMode, { replay: true }));
      }),
      { numRuns: 200, seed: 31 },
    );
  });
});
