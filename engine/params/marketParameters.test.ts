import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatParameter, formParameterValue, MARKET_PARAMETERS, parameterFormLabel, parameterLabel, parseParameter } from "./marketParameters.ts";

const byField = (param: string) => MARKET_PARAMETERS.find((p) => p.param === param)!;

describe("MARKET_PARAMETERS", () => {
  it("labels, shows and writes the header's example: MMR 5 %", () => {
    const mmr = byField("mmrWad");
    expect([parameterLabel(mmr), parameterFormLabel(mmr)]).toEqual(["Maintenance margin (MMR)", "Maintenance margin (MMR, %)"]);
    expect([formatParameter(mmr, 5n * 10n ** 16n), formParameterValue(mmr, 5n * 10n ** 16n)]).toEqual(["5%", "5"]);
    expect(parseParameter(mmr, "5")).toBe(5n * 10n ** 16n);
  });

  it.each([
    ["oiCapUsd", 1_000_000_500_000_000_000_000_000n, "1000000.5", "Open-interest cap (USD)"],
    ["oracleMaxAgeSec", 3_600n, "3600", "Oracle max age (s)"],
    ["keeperShareWad", 333_333_333_333_333_333n, "33.3333333333333333", "Keeper share (%)"],
  ])("writes %s exactly in its form unit", (param, value, written, label) => {
    const p = byField(param);
    expect(formParameterValue(p, value)).toBe(written);
    expect(parameterFormLabel(p)).toBe(label);
  });

  it("refuses a fractional number of seconds in words", () => {
    expect(() => parseParameter(byField("oracleMaxAgeSec"), "60.5")).toThrow('"60.5" is not a whole number of seconds');
  });

  it("test_fuzz_every_parameter_value_written_in_the_form_reads_back_to_the_wei", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MARKET_PARAMETERS), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (p, value) => {
        expect(parseParameter(p, formParameterValue(p, value))).toBe(value);
      }),
      { numRuns: 2000, seed: 51 },
    );
  });
});
