import { describe, expect, it } from "vitest";
import type { MarketParams } from "../types.ts";
import { validateCollateralParams, validateDuration, validateMarketParams } from "./validateParams.ts";

const WAD = 10n ** 18n;
const pct = (x: number) => (BigInt(Math.round(x * 100)) * WAD) / 10_000n;
/** Fake parameters for this pure function's tests: the demo's ETH-PERP. */
const fixtureParams: MarketParams = { imrWad: pct(10), mmrWad: pct(5), liquidationPenaltyWad: pct(2), keeperShareWad: pct(50), oiCapUsd: 60_000_000n * WAD, concentrationCapWad: pct(20), oracleMaxAgeSec: 3600n };

describe("validateMarketParams", () => {
  const cases: [string, Partial<MarketParams>, string[]][] = [
    ["accepts the demo's ETH parameters", {}, []],
    ["accepts IMR of exactly 100%", { imrWad: WAD }, []],
    ["refuses MMR of zero, and with it any penalty (none is below zero)", { mmrWad: 0n, liquidationPenaltyWad: 0n }, ["InvalidMarginRatios", "InvalidLiquidationPenalty"]],
    ["refuses MMR equal to IMR", { mmrWad: pct(10) }, ["InvalidMarginRatios"]],
    ["refuses IMR one wei above 100%", { imrWad: WAD + 1n }, ["InvalidMarginRatios"]],
    ["refuses a penalty equal to MMR", { liquidationPenaltyWad: pct(5) }, ["InvalidLiquidationPenalty"]],
    ["accepts a penalty one wei below MMR", { liquidationPenaltyWad: pct(5) - 1n }, []],
    ["refuses a keeper share above 100%", { keeperShareWad: WAD + 1n }, ["InvalidKeeperShare"]],
    ["refuses an OI cap of zero", { oiCapUsd: 0n }, ["InvalidOiCap"]],
    ["refuses a concentration cap of zero", { concentrationCapWad: 0n }, ["InvalidConcentrationCap"]],
    ["refuses an oracle max age of 59 s", { oracleMaxAgeSec: 59n }, ["InvalidOracleMaxAge"]],
    ["accepts an oracle max age of exactly 7 days", { oracleMaxAgeSec: 604_800n }, []],
    ["lists every broken rule in the contract's order", { mmrWad: pct(12), liquidationPenaltyWad: pct(20), oiCapUsd: 0n }, ["InvalidMarginRatios", "InvalidLiquidationPenalty", "InvalidOiCap"]],
  ];
  for (const [name, change, errors] of cases) {
    it(name, () => expect(validateMarketParams({ ...fixtureParams, ...change }).map((i) => i.error)).toEqual(errors));
  }

  it("explains a failure in words a delegate can act on", () => {
    const [issue] = validateMarketParams({ ...fixtureParams, mmrWad: pct(12) });
    expect(issue?.message).toBe("IMR 10% / MMR 12%: maintenance margin must be below initial margin.");
    expect(issue?.field).toBe("mmrWad");
  });
});

describe("validateCollateralParams and validateDuration", () => {
  it("refuses a weight of zero and accepts 100%", () => {
    expect(validateCollateralParams({ weightWad: 0n, depositCapNative: 1n, oracleMaxAgeSec: 3600n }).map((i) => i.error)).toEqual(["InvalidCollateralWeight"]);
    expect(validateCollateralParams({ weightWad: WAD, depositCapNative: 1n, oracleMaxAgeSec: 3600n })).toEqual([]);
  });
  it("refuses a grace period one second over 7 days and a cooldown over 90 days", () => {
    expect(validateDuration("gracePeriod", 604_801n).map((i) => i.error)).toEqual(["InvalidDuration"]);
    expect(validateDuration("gracePeriod", 604_800n)).toEqual([]);
    expect(validateDuration("defaultFundCooldown", 90n * 86_400n + 1n)[0]?.message).toBe("The default-fund cooldown can be at most 90 d (got 7776001 s).");
  });
});
