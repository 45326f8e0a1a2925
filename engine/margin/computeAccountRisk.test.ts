import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abs, mulDivDown, signedValue, WAD } from "../math/wad.ts";
import { fakeAddress, fakeSnapshot, usd } from "../testing/fakes.ts";
import { AdlMode, type Account } from "../types.ts";
import { computeAccountRisk, computeCollateralValue, computeNotional } from "./computeAccountRisk.ts";

const eth = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const account = (over: Partial<Account>): Account => ({ address: fakeAddress(1), cashUsd: 0n, balancesNative: [0n, 0n], positions: [], ...over });

const venue = (markPriceWad: bigint) => ({
  markets: [{ id: 0, symbol: "M0", feedId: "0x01" as const, markPriceWad, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 0n, shortOpenInterestBase: 0n, params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: 0n, keeperShareWad: 0n, oiCapUsd: 0n, concentrationCapWad: WAD, oracleMaxAgeSec: 0n } }],
  collaterals: [],
  global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
});

describe("computeAccountRisk", () => {
  it("the header's example: $1,250 USDC, long 2 ETH from $3,000 at a $2,500 mark → uPnL −$1,000, equity $250 = MM, exactly at maintenance", () => {
    const a = account({ balancesNative: [1_250n * 10n ** 6n, 0n], positions: [{ marketId: 0, sizeBase: eth(2), openNotionalUsd: usd(6_000) }] });
    const risk = computeAccountRisk(fakeSnapshot([a], { mark: 2_500 }), a);
    expect(risk).toMatchObject({ collateralValueUsd: usd(1_250), equityUsd: usd(250), notionalUsd: usd(5_000), maintenanceMarginUsd: usd(250), initialMarginUsd: usd(500) });
    expect(risk.positions[0]).toMatchObject({ upnlUsd: -usd(1_000), notionalUsd: usd(5_000) });
  });

  it("collateral counts at its weight: 1 WETH at $1,000 with an 80 % weight is worth $800", () => {
    const a = account({ balancesNative: [0n, WAD] });
    expect(computeCollateralValue(fakeSnapshot([a]), a)).toBe(usd(800));
  });

  it("a short's value rounds toward −∞ and its margins round up, as the contract does", () => {
    // Short 1 wei of size at a $1,000.5 mark: value −1000.5 wei → −1001 wei; notional 1000 wei (down); MM ceil(1000 · 5 %) = 50 wei, IM ceil(1000 · 10 %) = 100 wei.
    const a = account({ positions: [{ marketId: 0, sizeBase: -1n, openNotionalUsd: 0n }] });
    const risk = computeAccountRisk(fakeSnapshot([a], { mark: 1_000.5 }), a);
    expect(risk.positions[0]).toMatchObject({ upnlUsd: -1001n, notionalUsd: 1000n, maintenanceMarginUsd: 50n, initialMarginUsd: 100n });
    const tiny = account({ positions: [{ marketId: 0, sizeBase: -1n, openNotionalUsd: 0n }] });
    // At a $19 mark: notional 19 wei, MM ceil(19 · 5 %) = ceil(0.95) = 1 wei, never 0.
    expect(computeAccountRisk(fakeSnapshot([tiny], { mark: 19 }), tiny).maintenanceMarginUsd).toBe(1n);
  });

  it("computeNotional is the same Σ notional, alone", () => {
    const a = account({ positions: [{ marketId: 0, sizeBase: -eth(3), openNotionalUsd: -usd(3_000) }] });
    const s = fakeSnapshot([a], { mark: 1_200 });
    expect(computeNotional(s, a)).toBe(usd(3_600));
    expect(computeNotional(s, a)).toBe(computeAccountRisk(s, a).notionalUsd);
  });

  it("an empty account has nothing: no equity, no margin, no positions", () => {
    const a = account({});
    expect(computeAccountRisk(fakeSnapshot([a]), a)).toEqual({ collateralValueUsd: 0n, equityUsd: 0n, maintenanceMarginUsd: 0n, initialMarginUsd: 0n, notionalUsd: 0n, positions: [] });
  });
});

describe("computeAccountRisk, one product for notional and uPnL", () => {
  it("test_fuzz_notional_and_upnl_share_one_product_and_still_round_as_the_primitives: floor for notional, toward −∞ for a short's value", () => {
    const magnitude = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.constantFrom(1n, WAD - 1n, WAD, WAD + 1n, 3n * WAD, 2n ** 106n + 1n));
    fc.assert(
      fc.property(magnitude, fc.boolean(), fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.constantFrom(0n, 1n, WAD, 3000n * WAD + 1n)), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (size, short, mark, openNotionalUsd) => {
        const sizeBase = short ? -size : size;
        const account: Account = { address: "0x0000000000000000000000000000000000000001", cashUsd: 0n, balancesNative: [], positions: [{ marketId: 0, sizeBase, openNotionalUsd }] };
        const [p] = computeAccountRisk(venue(mark), account).positions;
        expect(p!.notionalUsd).toBe(mulDivDown(abs(sizeBase), mark, WAD));
        expect(p!.upnlUsd).toBe(signedValue(sizeBase, mark) - openNotionalUsd);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  it("a short of 1.5 at a mark one wei over $3,000 is worth one wei less than −$4,500 (the rest rounds away from zero)", () => {
    const account: Account = { address: "0x0000000000000000000000000000000000000001", cashUsd: 0n, balancesNative: [], positions: [{ marketId: 0, sizeBase: -(3n * WAD) / 2n, openNotionalUsd: 0n }] };
    const [p] = computeAccountRisk(venue(3000n * WAD + 1n), account).positions;
    expect(p!.upnlUsd).toBe(-4500n * WAD - 2n);
    expect(p!.notionalUsd).toBe(4500n * WAD + 1n);
  });

  it("a negative mark is refused as the contract's mulDiv refuses it", () => {
    const account: Account = { address: "0x0000000000000000000000000000000000000001", cashUsd: 0n, balancesNative: [], positions: [{ marketId: 0, sizeBase: WAD, openNotionalUsd: 0n }] };
    expect(() => computeAccountRisk(venue(-1n), account)).toThrow(/mulDivDown/);
  });
});
