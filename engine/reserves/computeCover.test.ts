import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryBlockChange, nextBlock } from "../testing/blockChanges.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { computeBankRunExposure, computeCover, followCover } from "./computeCover.ts";
import { extremeShock } from "./extremeShock.ts";

const WAD = 10n ** 18n;
const usd = (x: number) => BigInt(x) * WAD;
const account = (n: number, cash: number, size: bigint): Account => ({ address: `0x${n.toString(16).padStart(40, "0")}`, cashUsd: usd(cash), balancesNative: [0n], positions: size === 0n ? [] : [{ marketId: 0, sizeBase: size, openNotionalUsd: size * 1000n }] });

/** Fake ETH market at $1,000 with three accounts, for these tests only. */
function fixtureSnapshot(accounts: Account[], reserves = { insurance: 100_000, defaultFund: 500_000 }): ProtocolSnapshot {
  return {
    chainId: 1, blockNumber: 1n, blockHash: "0x00", timestamp: 0n,
    markets: [{ id: 0, symbol: "ETH-PERP", feedId: "0x01", markPriceWad: usd(1000), priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 0n, shortOpenInterestBase: 0n, params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: 0n, keeperShareWad: 0n, oiCapUsd: usd(1e9), concentrationCapWad: WAD, oracleMaxAgeSec: 3600n } }],
    collaterals: [{ id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x02", priceWad: WAD, priceUpdatedAt: 0n, params: { weightWad: WAD, depositCapNative: 0n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n }],
    accounts,
    reserves: { insuranceFundUsd: usd(reserves.insurance), defaultFundUsd: usd(reserves.defaultFund), defaultFundShares: usd(500_000), pendingWithdrawalShares: usd(125_000), badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
  };
}

describe("computeCover", () => {
  it("takes the two largest deficits under the move, each in its worse direction", () => {
    // Two longs of 1,000 ETH ($1M) on $200k: −50 % loses $500k → deficit $300k each.
    // A short of 500 ETH on $100k: +50 % loses $250k → deficit $150k (third, not in Cover-2).
    const s = fixtureSnapshot([account(1, 200_000, 1000n * WAD), account(2, 200_000, 1000n * WAD), account(3, 100_000, -500n * WAD), account(4, 50, 0n)]);
    const cover = computeCover(s, [-0.5]);
    expect([cover.cover1Usd, cover.cover2Usd]).toEqual([usd(300_000), usd(600_000)]);
    expect(cover.largest.map((l) => l.direction)).toEqual(["down", "down"]);
    // reserves $600k against Cover-2 $600k
    expect(cover.coverage).toBe(1);
  });

  it("an account that survives the move adds nothing", () => {
    const cover = computeCover(fixtureSnapshot([account(1, 600_000, 1000n * WAD)]), [-0.5]);
    expect(cover.cover2Usd).toBe(0n);
    expect(cover.coverage).toBe(Infinity);
  });
});

describe("computeBankRunExposure", () => {
  it("measures unrecognised deficit per dollar of collateral and the default fund in cooldown", () => {
    // account 1: cash −$30k, no position → equity −$30k; account 2: $70k. Collateral value is 0
    // (cash is not collateral), so deficit per collateral is 0; a quarter of the shares wait.
    const exposure = computeBankRunExposure(fixtureSnapshot([account(1, -30_000, 0n), account(2, 70_000, 0n)]));
    expect(exposure.unrecognisedDeficitUsd).toBe(usd(30_000));
    expect(exposure.defaultFundInCooldownShare).toBe(0.25);
    expect(exposure.defaultFundInCooldownUsd).toBe(usd(125_000));
  });
});

describe("extremeShock", () => {
  it("uses each asset's worst move on record and the worst of all for unknown assets", () => {
    const moves = extremeShock([{ id: 0, symbol: "ETH-PERP" }, { id: 1, symbol: "BTC-PERP" }, { id: 2, symbol: "DOGE-PERP" }], [
      { id: "a", moves: { ETH: -55, BTC: -50 } },
      { id: "b", moves: { BTC: -31, LUNA: -99.99 } },
    ]);
    expect(moves.map((m) => [m.marketId, m.scenarioId])).toEqual([[0, "a"], [1, "a"], [2, "b"]]);
    [-0.55, -0.5, -0.9999].forEach((move, i) => expect(moves[i]!.move).toBeCloseTo(move, 12));
  });
});

describe("followCover", () => {
  it("test_fuzz_followed_cover_equals_from_scratch: block after block of edits, new accounts, deficits, price moves; the shock changing too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(fc.tuple(arbitraryBlockChange, fc.constantFrom(0.3, 0.5)), { minLength: 1, maxLength: 8 }), (seed, blocks) => {
        let s = syntheticSnapshot(120, { seed });
        let last = followCover(s, extremeShock(s.markets).map((m) => m.move));
        for (const [change, move] of blocks) {
          const previous = s;
          s = nextBlock(s, change);
          const shock = s.markets.map(() => move);
          last = followCover(s, shock, { snapshot: previous, rows: last.rows });
          expect(last.cover).toEqual(computeCover(s, shock));
        }
      }),
      { numRuns: 120, seed: 82 },
    );
  });
});
