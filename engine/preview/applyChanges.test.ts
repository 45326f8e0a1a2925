import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeLong, fakeSnapshot, usd, WAD } from "../testing/fakes.ts";
import { AdlMode, type ProtocolSnapshot } from "../types.ts";
import { applyChanges, validateChange, type ParamChange } from "./applyChanges.ts";

const DAY = 86_400n;
/** A snapshot with a paused market (unpaused at 0), $1M insurance and $200k default fund, at timestamp 10,000. */
function base(): ProtocolSnapshot {
  const s = fakeSnapshot([fakeLong(1, 100, 1)]);
  s.markets[0]!.paused = true;
  s.reserves.defaultFundUsd = usd(200_000);
  return s;
}
const errors = (changes: ParamChange[]) => applyChanges(base(), changes).issues.map((i) => [i.change, i.error]);

describe("applyChanges", () => {
  it("no change gives back an equal snapshot that shares the accounts, and never mutates its input", () => {
    const before = base();
    const copy = structuredClone(before);
    const { snapshot, issues } = applyChanges(before, []);
    expect(snapshot).toEqual(before);
    expect(snapshot.accounts).toBe(before.accounts);
    expect(issues).toEqual([]);
    applyChanges(before, [
      { kind: "setMarketFrozen", marketId: 0, frozen: true },
      { kind: "setCollateralParams", assetId: 1, params: { weightWad: WAD / 2n, depositCapNative: 5n, oracleMaxAgeSec: 600n } },
      { kind: "moveReserves", from: "insurance", to: "default", amountUsd: usd(1) },
      { kind: "setAdlMode", mode: AdlMode.ProRata },
    ]);
    expect(before).toEqual(copy);
  });

  it.each<[string, ParamChange, (s: ProtocolSnapshot) => unknown, unknown]>([
    ["new market parameters replace the old ones", { kind: "setMarketParams", marketId: 0, params: { ...base().markets[0]!.params, mmrWad: WAD / 25n } }, (s) => s.markets[0]!.params.mmrWad, WAD / 25n],
    ["freezing a market", { kind: "setMarketFrozen", marketId: 0, frozen: true }, (s) => s.markets[0]!.frozen, true],
    ["unpausing a paused market starts its grace at the snapshot's time", { kind: "setMarketPaused", marketId: 0, paused: false }, (s) => [s.markets[0]!.paused, s.markets[0]!.unpausedAt], [false, 10_000n]],
    ["new collateral parameters", { kind: "setCollateralParams", assetId: 1, params: { weightWad: WAD / 2n, depositCapNative: 7n, oracleMaxAgeSec: 600n } }, (s) => s.collaterals[1]!.params, { weightWad: WAD / 2n, depositCapNative: 7n, oracleMaxAgeSec: 600n }],
    ["freezing a collateral", { kind: "setCollateralFrozen", assetId: 1, frozen: true }, (s) => s.collaterals[1]!.frozen, true],
    ["the ADL mode", { kind: "setAdlMode", mode: AdlMode.ProRata }, (s) => s.global.adlMode, AdlMode.ProRata],
    ["a grace period of exactly 7 days, the most allowed", { kind: "setGracePeriod", seconds: 7n * DAY }, (s) => s.global.gracePeriodSec, 7n * DAY],
    ["a cooldown of exactly 90 days, the most allowed", { kind: "setDefaultFundCooldown", seconds: 90n * DAY }, (s) => s.global.defaultFundCooldownSec, 90n * DAY],
    ["$300k from insurance to the default fund: $700k and $500k", { kind: "moveReserves", from: "insurance", to: "default", amountUsd: usd(300_000) }, (s) => [s.reserves.insuranceFundUsd, s.reserves.defaultFundUsd], [usd(700_000), usd(500_000)]],
    ["all $200k of the default fund to insurance", { kind: "moveReserves", from: "default", to: "insurance", amountUsd: usd(200_000) }, (s) => [s.reserves.insuranceFundUsd, s.reserves.defaultFundUsd], [usd(1_200_000), 0n]],
    ["withdrawing $1M, all of the insurance fund", { kind: "withdrawInsurance", to: "0x0000000000000000000000000000000000000009", amountUsd: usd(1_000_000) }, (s) => s.reserves.insuranceFundUsd, 0n],
  ])("applies %s", (_name, change, read, expected) => {
    const { snapshot, issues } = applyChanges(base(), [change]);
    expect(issues).toEqual([]);
    expect(read(snapshot)).toEqual(expected);
  });

  it("pausing again, or pausing a running market, leaves unpausedAt alone", () => {
    const s = base();
    s.markets[0]!.unpausedAt = 5n;
    expect(applyChanges(s, [{ kind: "setMarketPaused", marketId: 0, paused: true }]).snapshot.markets[0]!.unpausedAt).toBe(5n);
    s.markets[0]!.paused = false;
    const { snapshot } = applyChanges(s, [{ kind: "setMarketPaused", marketId: 0, paused: true }]);
    expect([snapshot.markets[0]!.paused, snapshot.markets[0]!.unpausedAt]).toEqual([true, 5n]);
  });

  it("the timelock delay is not the clearinghouse's state: it previews as no change", () => {
    const before = base();
    const { snapshot, issues } = applyChanges(before, [{ kind: "setTimelockDelay", seconds: 3n * DAY }]);
    expect(issues).toEqual([]);
    expect(snapshot).toEqual(before);
  });

  it.each<[string, ParamChange, string]>([
    ["a market that does not exist", { kind: "setMarketFrozen", marketId: 3, frozen: true }, "UnknownMarket"],
    ["parameters for a market that does not exist", { kind: "setMarketParams", marketId: 1, params: base().markets[0]!.params }, "UnknownMarket"],
    ["pausing a market that does not exist", { kind: "setMarketPaused", marketId: 9, paused: true }, "UnknownMarket"],
    ["a collateral that does not exist", { kind: "setCollateralFrozen", assetId: 2, frozen: true }, "UnknownAsset"],
    ["parameters for a collateral that does not exist", { kind: "setCollateralParams", assetId: 5, params: { weightWad: WAD, depositCapNative: 0n, oracleMaxAgeSec: 600n } }, "UnknownAsset"],
    ["an MMR at the IMR", { kind: "setMarketParams", marketId: 0, params: { ...base().markets[0]!.params, mmrWad: WAD / 10n } }, "InvalidMarginRatios"],
    ["a collateral weight of zero", { kind: "setCollateralParams", assetId: 1, params: { weightWad: 0n, depositCapNative: 0n, oracleMaxAgeSec: 600n } }, "InvalidCollateralWeight"],
    ["a grace period one second past 7 days", { kind: "setGracePeriod", seconds: 7n * DAY + 1n }, "InvalidDuration"],
    ["a cooldown one second past 90 days", { kind: "setDefaultFundCooldown", seconds: 90n * DAY + 1n }, "InvalidDuration"],
    ["a move from a reserve to itself", { kind: "moveReserves", from: "default", to: "default", amountUsd: 1n }, "SameReserve"],
    ["a move of nothing", { kind: "moveReserves", from: "insurance", to: "default", amountUsd: 0n }, "ZeroAmount"],
    ["a move one wei more than the default fund holds", { kind: "moveReserves", from: "default", to: "insurance", amountUsd: usd(200_000) + 1n }, "InsufficientReserves"],
    ["a withdrawal of nothing", { kind: "withdrawInsurance", to: "0x0000000000000000000000000000000000000009", amountUsd: 0n }, "ZeroAmount"],
    ["a withdrawal one wei more than the insurance fund holds", { kind: "withdrawInsurance", to: "0x0000000000000000000000000000000000000009", amountUsd: usd(1_000_000) + 1n }, "InsufficientReserves"],
  ])("refuses %s, and changes nothing", (_name, change, error) => {
    const before = base();
    const { snapshot, issues } = applyChanges(before, [change]);
    expect(issues.map((i) => i.error)).toEqual([error]);
    expect(snapshot).toEqual(before);
  });

  it("numbers each issue by its change's place in the list and applies the valid ones around it", () => {
    expect(
      errors([
        { kind: "setMarketFrozen", marketId: 0, frozen: true },
        { kind: "setMarketFrozen", marketId: 4, frozen: true },
        { kind: "setGracePeriod", seconds: 8n * DAY },
      ]),
    ).toEqual([[1, "UnknownMarket"], [2, "InvalidDuration"]]);
    expect(applyChanges(base(), [{ kind: "setMarketFrozen", marketId: 4, frozen: true }, { kind: "setMarketFrozen", marketId: 0, frozen: true }]).snapshot.markets[0]!.frozen).toBe(true);
  });

  it("applies in order: a second move can spend what the first brought in", () => {
    const { snapshot, issues } = applyChanges(base(), [
      { kind: "moveReserves", from: "insurance", to: "default", amountUsd: usd(100_000) },
      { kind: "moveReserves", from: "default", to: "insurance", amountUsd: usd(300_000) },
    ]);
    expect(issues).toEqual([]);
    expect([snapshot.reserves.insuranceFundUsd, snapshot.reserves.defaultFundUsd]).toEqual([usd(1_200_000), 0n]);
  });

  it("validateChange gives the state-free rules only: an unknown market passes it, a zero amount does not", () => {
    expect(validateChange({ kind: "setMarketFrozen", marketId: 99, frozen: true })).toEqual([]);
    expect(validateChange({ kind: "withdrawInsurance", to: "0x0000000000000000000000000000000000000009", amountUsd: 10n ** 40n })).toEqual([]);
    expect(validateChange({ kind: "moveReserves", from: "insurance", to: "insurance", amountUsd: 0n }).map((i) => i.error)).toEqual(["SameReserve"]);
    expect(validateChange({ kind: "setGracePeriod", seconds: 7n * DAY + 1n }).map((i) => i.error)).toEqual(["InvalidDuration"]);
  });

  it("test_fuzz_reserve_moves_conserve_the_total: any sequence of moves keeps insurance + default fund, applied or refused", () => {
    const move = fc.record({ from: fc.constantFrom("insurance" as const, "default" as const), to: fc.constantFrom("insurance" as const, "default" as const), amountUsd: fc.bigInt({ min: 0n, max: usd(1_500_000) }) });
    fc.assert(
      fc.property(fc.array(move, { maxLength: 8 }), (moves) => {
        const before = base();
        const { snapshot } = applyChanges(before, moves.map((m) => ({ kind: "moveReserves", ...m })));
        expect(snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd).toBe(before.reserves.insuranceFundUsd + before.reserves.defaultFundUsd);
        expect(snapshot.reserves.insuranceFundUsd >= 0n && snapshot.reserves.defaultFundUsd >= 0n).toBe(true);
      }),
      { numRuns: 300, seed: 31 },
    );
  });
});
