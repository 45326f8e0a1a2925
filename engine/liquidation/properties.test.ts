/**
 * Properties of the engine over random snapshots (fast-check). The snapshots are fake data made
 * here for these tests only: two markets, two collateral assets, accounts opened in matched
 * pairs so long and short open interest agree, a keeper with deep collateral.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareAdlPriority } from "../adl/compareAdlPriority.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { applyChanges } from "../preview/applyChanges.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { workingCopy } from "./applyTrade.ts";
import { findLiquidatable, liquidateAllInPlace, liquidateBatchInPlace, simulateLiquidations } from "./simulateLiquidation.ts";

const WAD = 10n ** 18n;
const KEEPER = "0x00000000000000000000000000000000000000ee" as const;
const address = (i: number) => `0x${(i + 1).toString(16).padStart(40, "0")}` as `0x${string}`;

const arbitraryRatio = (lo: number, hi: number) => fc.integer({ min: Math.round(lo * 1e6), max: Math.round(hi * 1e6) }).map((x) => BigInt(x) * 10n ** 12n);

const fixtureSnapshot: fc.Arbitrary<ProtocolSnapshot> = fc
  .record({
    imr: fc.tuple(arbitraryRatio(0.05, 0.5), arbitraryRatio(0.05, 0.5)),
    mmrShare: fc.tuple(arbitraryRatio(0.3, 0.9), arbitraryRatio(0.3, 0.9)),
    penaltyShare: fc.tuple(arbitraryRatio(0, 0.9), arbitraryRatio(0, 0.9)),
    keeperShare: fc.tuple(arbitraryRatio(0, 1), arbitraryRatio(0, 1)),
    entry: fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 100, max: 5000 })),
    move: fc.tuple(fc.double({ min: 0.4, max: 1.6, noNaN: true }), fc.double({ min: 0.4, max: 1.6, noNaN: true })),
    pairs: fc.array(fc.record({ market: fc.nat(1), size: fc.integer({ min: 1, max: 10_000 }), cashA: fc.integer({ min: 0, max: 2_000_000 }), cashB: fc.integer({ min: 0, max: 2_000_000 }), weth: fc.nat(50) }), { minLength: 1, maxLength: 8 }),
    insurance: fc.integer({ min: 0, max: 1_000_000 }),
    defaultFund: fc.integer({ min: 0, max: 1_000_000 }),
    adlMode: fc.constantFrom(AdlMode.Queue, AdlMode.ProRata),
  })
  .map((r) => {
    const marks = r.entry.map((e, i) => (BigInt(e) * WAD * BigInt(Math.round(r.move[i]! * 1e6))) / 1_000_000n + 7n);
    const accounts: Account[] = [];
    const longs = [0n, 0n];
    r.pairs.forEach((p, i) => {
      const size = (BigInt(p.size) * WAD) / 100n;
      const cost = size * BigInt(r.entry[p.market]!);
      const position = (sign: bigint) => [{ marketId: p.market, sizeBase: sign * size, openNotionalUsd: sign * cost }];
      accounts.push({ address: address(2 * i), cashUsd: BigInt(p.cashA) * WAD / 100n, balancesNative: [0n, BigInt(p.weth) * WAD / 10n], positions: position(1n) });
      accounts.push({ address: address(2 * i + 1), cashUsd: BigInt(p.cashB) * WAD / 100n, balancesNative: [0n, 0n], positions: position(-1n) });
      longs[p.market]! += size;
    });
    accounts.push({ address: KEEPER, cashUsd: 10n ** 36n, balancesNative: [0n, 0n], positions: [] });
    const market = (id: number) => ({
      id, symbol: `M${id}`, feedId: "0x00" as const, markPriceWad: marks[id]!, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n,
      longOpenInterestBase: longs[id]!, shortOpenInterestBase: longs[id]!,
      params: { imrWad: r.imr[id]!, mmrWad: (r.imr[id]! * r.mmrShare[id]!) / WAD + 1n, liquidationPenaltyWad: (((r.imr[id]! * r.mmrShare[id]!) / WAD) * r.penaltyShare[id]!) / WAD, keeperShareWad: r.keeperShare[id]!, oiCapUsd: 10n ** 40n, concentrationCapWad: WAD, oracleMaxAgeSec: 3600n },
    });
    const asset = (id: number, decimals: number, price: bigint) => ({ id, symbol: id ? "WETH" : "USDC", token: "0x00" as const, decimals, feedId: "0x00" as const, priceWad: price, priceUpdatedAt: 0n, params: { weightWad: (8n * WAD) / 10n, depositCapNative: 10n ** 40n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: 10n ** 30n, seizedNative: 0n });
    return {
      chainId: 31337, blockNumber: 1n, blockHash: "0x00" as const, timestamp: 1_000n,
      markets: [market(0), market(1)],
      collaterals: [asset(0, 6, WAD), asset(1, 18, marks[0]!)],
      accounts,
      reserves: { insuranceFundUsd: BigInt(r.insurance) * WAD, defaultFundUsd: BigInt(r.defaultFund) * WAD, defaultFundShares: 1n, pendingWithdrawalShares: 0n, badDebtUsd: 0n },
      global: { adlMode: r.adlMode, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
    } satisfies ProtocolSnapshot;
  });

describe("liquidation properties", () => {
  it("test_invariant_waterfall_conserves_value: every layer adds up to the deficit, to the wei", () => {
    fc.assert(
      fc.property(fixtureSnapshot, (snapshot) => {
        const { ledgers, snapshot: after } = simulateLiquidations(snapshot, findLiquidatable(snapshot), KEEPER);
        let insurance = snapshot.reserves.insuranceFundUsd;
        for (const l of ledgers) {
          expect(l.insuranceDrawUsd + l.defaultFundDrawUsd + l.adlAbsorbedUsd + l.badDebtUsd).toBe(l.deficitUsd);
          expect(l.adlFills.reduce((sum, f) => sum + f.haircutUsd, 0n)).toBe(l.adlAbsorbedUsd);
          expect(l.keeperRewardUsd + l.insuranceFeeUsd).toBe(l.penaltyUsd);
          insurance += l.insuranceFeeUsd - l.insuranceDrawUsd;
        }
        expect(after.reserves.insuranceFundUsd).toBe(insurance);
        expect(after.reserves.badDebtUsd).toBe(ledgers.reduce((sum, l) => sum + l.badDebtUsd, 0n));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("test_invariant_open_interest_balanced: total long size equals total short size after any liquidations", () => {
    fc.assert(
      fc.property(fixtureSnapshot, (snapshot) => {
        const { snapshot: after } = simulateLiquidations(snapshot, findLiquidatable(snapshot), KEEPER);
        for (const m of after.markets) {
          let net = 0n;
          for (const a of after.accounts) for (const p of a.positions) if (p.marketId === m.id) net += p.sizeBase;
          expect(net).toBe(0n);
          expect(m.longOpenInterestBase).toBe(m.shortOpenInterestBase);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("test_fuzz_raising_mmr_never_makes_a_liquidatable_account_safe", () => {
    fc.assert(
      fc.property(fixtureSnapshot, fc.nat(1), arbitraryRatio(0, 0.3), (snapshot, marketId, raise) => {
        const params = snapshot.markets[marketId]!.params;
        const mmr = params.mmrWad + raise;
        const { snapshot: after, issues } = applyChanges(snapshot, [{ kind: "setMarketParams", marketId, params: { ...params, mmrWad: mmr, imrWad: mmr >= params.imrWad ? mmr + 1n : params.imrWad } }]);
        fc.pre(issues.length === 0);
        for (const account of snapshot.accounts) {
          if (isLiquidatable(computeAccountRisk(snapshot, account))) {
            expect(isLiquidatable(computeAccountRisk(after, after.accounts.find((a) => a.address === account.address)!))).toBe(true);
          }
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it("test_fuzz_applying_no_change_changes_nothing", () => {
    fc.assert(
      fc.property(fixtureSnapshot, (snapshot) => {
        const { snapshot: after, issues } = applyChanges(snapshot, []);
        expect(issues).toEqual([]);
        expect(after).toEqual(snapshot);
        expect(after).not.toBe(snapshot);
      }),
      { numRuns: 50, seed: 5 },
    );
  });
});

describe("solvent liquidations applied directly", () => {
  /** A batch as the cascade builds one: some accounts (liquidatable or not, in any order), each with its risk now. */
  const batch = fc.record({
    snapshot: fixtureSnapshot,
    order: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
    keeperCash: fc.oneof({ weight: 4, arbitrary: fc.constant(10n ** 36n) }, { weight: 1, arbitrary: fc.constantFrom(0n, 10n ** 21n, 10n ** 24n) }),
    keeperHolds: fc.boolean(),
    paused: fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) }),
    everyone: fc.boolean(),
    // No cash anywhere: winners with a thin profit are liquidatable too, and can be the ADL counterparties of losers earlier in the batch.
    noCash: fc.boolean(),
    bankruptFirst: fc.boolean(),
    withRows: fc.boolean(),
  });
  const prepared = ({ snapshot, order, keeperCash, keeperHolds, paused, everyone, noCash, bankruptFirst, withRows }: typeof batch extends fc.Arbitrary<infer T> ? T : never) => {
    if (noCash) snapshot.accounts = snapshot.accounts.map((a) => (a.address === KEEPER ? a : { ...a, cashUsd: 0n, balancesNative: a.balancesNative.map(() => 0n) }));
    const keeper = snapshot.accounts.find((a) => a.address === KEEPER)!;
    keeper.cashUsd = keeperCash;
    // A keeper already holding a position: the margin bound no longer applies, every liquidation goes the whole way.
    if (keeperHolds) keeper.positions = [{ marketId: 1, sizeBase: WAD, openNotionalUsd: snapshot.markets[1]!.markPriceWad }];
    if (paused >= 0) snapshot.markets[paused] = { ...snapshot.markets[paused]!, paused: true };
    const candidates = everyone ? snapshot.accounts.map((a) => a.address) : findLiquidatable(snapshot);
    fc.pre(candidates.length > 0);
    const addresses = [...new Set(order.map((i) => candidates[i % candidates.length]!))];
    // With rows (as the cascade passes them) or without (looked up by address).
    const due = addresses.map((address) => {
      const row = snapshot.accounts.findIndex((a) => a.address === address);
      return { address, risk: computeAccountRisk(snapshot, snapshot.accounts[row]!), ...(withRows ? { row } : {}) };
    });
    if (bankruptFirst) due.sort((a, b) => (a.risk.equityUsd < 0n ? 0 : 1) - (b.risk.equityUsd < 0n ? 0 : 1));
    return { snapshot, due };
  };

  it("test_fuzz_batched_solvent_liquidations_equal_one_transaction_each: ledgers, skips and state to the wei — bankrupt accounts, ADL queue and pro-rata, keeper margin binding, paused markets", () => {
    const seen = { direct: 0, bankrupt: 0, adl: 0, insufficientMargin: 0, paused: 0, healthy: 0, adlCounterpartyDueLater: 0 };
    fc.assert(
      fc.property(batch, (b) => {
        const { snapshot, due } = prepared(b);
        const one = workingCopy(snapshot);
        const expected = liquidateAllInPlace(one, due.map((d) => d.address), KEEPER);
        const many = workingCopy(snapshot);
        const actual = liquidateBatchInPlace(many, due, KEEPER);
        expect(actual).toEqual(expected);
        expect(many.snapshot).toEqual(one.snapshot);
        seen.direct += expected.ledgers.filter((l) => l.deficitUsd === 0n).length;
        seen.bankrupt += expected.ledgers.filter((l) => l.deficitUsd > 0n).length;
        seen.adl += expected.ledgers.filter((l) => l.adlFills.length > 0).length;
        const firstAdl = expected.ledgers.findIndex((l) => l.adlFills.length > 0);
        const hit = new Set(expected.ledgers.flatMap((l) => l.adlFills.map((f) => f.counterparty)));
        // An ADL counterparty due later in the batch, liquidatable and solvent by the risk it came with: that risk is stale.
        if (firstAdl !== -1 && due.slice(due.findIndex((d) => d.address === expected.ledgers[firstAdl]!.account) + 1).some((d) => hit.has(d.address) && d.risk.equityUsd >= 0n && isLiquidatable(d.risk))) seen.adlCounterpartyDueLater++;
        for (const skip of expected.skipped) {
          if (skip.errorName === "InsufficientMargin") seen.insufficientMargin++;
          if (skip.errorName === "MarketPaused") seen.paused++;
          if (skip.errorName === "AccountHealthy") seen.healthy++;
        }
      }),
      { numRuns: 1000, seed: 71 },
    );
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });
});

describe("ADL order", () => {
  const ranked = fc.record({ address: fc.integer({ min: 1, max: 50 }).map(address), rank: fc.bigInt({ min: 0n, max: 10n }) });
  it("test_fuzz_adl_order_is_antisymmetric_total_and_deterministic", () => {
    fc.assert(
      fc.property(ranked, ranked, ranked, (a, b, c) => {
        expect(Math.sign(compareAdlPriority(a, b)) + Math.sign(compareAdlPriority(b, a))).toBe(0);
        if (a.address !== b.address || a.rank !== b.rank) expect(compareAdlPriority(a, b)).not.toBe(0);
        if (compareAdlPriority(a, b) < 0 && compareAdlPriority(b, c) < 0) expect(compareAdlPriority(a, c)).toBeLessThan(0);
        const list = [a, b, c];
        expect([...list].sort(compareAdlPriority)).toEqual([...list].reverse().sort(compareAdlPriority));
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it("puts the higher rank first and breaks a tie by the lower address", () => {
    expect(compareAdlPriority({ address: address(9), rank: 2n }, { address: address(1), rank: 1n })).toBeLessThan(0);
    expect(compareAdlPriority({ address: address(1), rank: 1n }, { address: address(9), rank: 1n })).toBeLessThan(0);
  });
});
