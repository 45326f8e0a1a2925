import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatChartTime, formatCountdown, formatUsd, formatUsdFloat, parsePercent, parseUsd } from "./format.ts";

const WAD = 10n ** 18n;

describe("formatUsd and formatUsdFloat: one money format", () => {
  it.each([
    ["cents below ten thousand", 2148_65n * 10n ** 16n, 2148.65, "$2,148.65"],
    ["k past ten thousand", 765_432n * WAD, 765_432, "$765.43k"],
    ["M from a million", 22_750_000n * WAD, 22_750_000, "$22.75M"],
    ["a minus sign, not parentheses", -765n * WAD, -765, "−$765.00"],
    ["zero", 0n, 0, "$0.00"],
  ])("%s", (_, wad, float, text) => {
    expect(formatUsd(wad)).toBe(text);
    expect(formatUsdFloat(float)).toBe(text);
  });

  it("an amount that is not a number reads as a dash", () => {
    expect(formatUsdFloat(Number.NaN)).toBe("—");
  });
});

describe("formatChartTime: a history axis's ticks, UTC", () => {
  // 2025-12-05 16:02:05 UTC.
  const t = Date.UTC(2025, 11, 5, 16, 2, 5) / 1000;
  it("to the second over a few minutes, to the minute up to two days, with the date beyond", () => {
    expect([5 * 60, 599].map((span) => formatChartTime(t, span))).toEqual(["16:02:05", "16:02:05"]);
    expect([600, 3600, 2 * 86_400].map((span) => formatChartTime(t, span))).toEqual(["16:02", "16:02", "16:02"]);
    expect([2 * 86_400 + 1, 30 * 86_400, Infinity].map((span) => formatChartTime(t, span))).toEqual(["12-05 16:02", "12-05 16:02", "12-05 16:02"]);
  });
  it("ticks a minute apart over a short span read apart", () => {
    const ticks = [0, 20, 40, 60].map((dt) => formatChartTime(t + dt, 240));
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});

describe("formatCountdown", () => {
  it.each([
    [86_399n, "23 h 59 min"],
    [90_061n, "1 d 1 h"],
    [3_725n, "1 h 2 min"],
    [65n, "1 min 5 s"],
    [42n, "42 s"],
    [0n, "0 s"],
    [-5n, "0 s"],
  ])("%i s → %s", (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });
});

describe("parsePercent and parseUsd: what a person types, to the wei", () => {
  it.each([
    ["7.5%", 75n * 10n ** 15n],
    ["0.075", 75n * 10n ** 15n],
    [" 12 % ", 12n * 10n ** 16n],
    ["33.3333333333333333%", 333_333_333_333_333_333n],
    ["-5%", -5n * 10n ** 16n],
  ])("parsePercent(%j)", (text, wad) => expect(parsePercent(text)).toBe(wad));

  it.each([
    ["$1.2M", 1_200_000n * WAD],
    ["250k", 250_000n * WAD],
    ["1,000,000", 1_000_000n * WAD],
    ["1000000.50", 1_000_000_500_000_000_000_000_000n],
    ["100.000000000127667911", 100_000_000_000_127_667_911n],
    ["0.000000000000000000001b", 1_000_000n], // 10^-21 billion = 10^-12 USD
  ])("parseUsd(%j)", (text, wad) => expect(parseUsd(text)).toBe(wad));

  it.each([
    [() => parsePercent("0.0000000000000000001"), /more precision than 18 decimals/],
    [() => parsePercent("1e3"), /is not a percentage/],
    [() => parseUsd("1.0000000000000000001"), /more precision than 18 decimals/],
    [() => parseUsd("-5"), /is not an amount in USD/],
  ])("refuses %s in words", (parse, message) => expect(parse).toThrow(message));

  /** An integer written out with `places` decimals ("1234", 2 → "12.34"), as a person would type it. */
  const writtenOut = (units: bigint, places: number) => {
    const digits = units.toString().padStart(places + 1, "0");
    const fraction = digits.slice(-places).replace(/0+$/, "");
    return `${digits.slice(0, -places)}${fraction ? `.${fraction}` : ""}`;
  };
  it("test_fuzz_any_wad_written_out_reads_back_to_the_wei", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (wad) => {
        expect(parseUsd(writtenOut(wad, 18))).toBe(wad);
        expect(parsePercent(`${writtenOut(wad, 16)}%`)).toBe(wad);
        expect(parsePercent(writtenOut(wad, 18))).toBe(wad);
      }),
      { numRuns: 2000, seed: 31 },
    );
  });
});
