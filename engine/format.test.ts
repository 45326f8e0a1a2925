import { describe, expect, it } from "vitest";
import { formatCountdown, formatUsd, formatUsdFloat } from "./format.ts";

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
