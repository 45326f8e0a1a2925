import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abs, mulDivDown, signedValue, WAD } from "../math/wad.ts";
import { AdlMode, type Account } from "../types.ts";
import { computeAccountRisk } from "./computeAccountRisk.ts";

const venue = (markPriceWad: bigint) => ({
  markets: [{ id: 0, symbol: "M0", feedId: "0x01" as const, markPriceWad, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 0n, shortOpenInterestBase: 0n, params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: 0n, keeperShareWad: 0n, oiCapUsd: 0n, concentrationCapWad: WAD, oracleMaxAgeSec: 0n } }],
  collaterals: [],
  global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
});

describe("computeAccountRisk", () => {
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
