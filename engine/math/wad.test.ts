import { describe, expect, it } from "vitest";
import { mulDivDown, mulDivUp, signedValue, WAD } from "./wad.ts";

describe("fixed-point rounding", () => {
  const cases: [string, () => bigint, bigint][] = [
    ["mulDivDown of an exact quotient is exact", () => mulDivDown(6n, 5n, 3n), 10n],
    ["mulDivDown of 7·1/2 rounds 3.5 down to 3", () => mulDivDown(7n, 1n, 2n), 3n],
    ["mulDivUp of 7·1/2 rounds 3.5 up to 4", () => mulDivUp(7n, 1n, 2n), 4n],
    ["mulDivUp of zero is zero", () => mulDivUp(0n, 5n, 3n), 0n],
    ["a long's value rounds down: 1 wei of size at $1.5 is 1 wei", () => signedValue(1n, (3n * WAD) / 2n), 1n],
    ["a short's value rounds down too: −1 wei at $1.5 is −2 wei", () => signedValue(-1n, (3n * WAD) / 2n), -2n],
    ["2 ETH at $3,000 is $6,000 exactly", () => signedValue(2n * WAD, 3000n * WAD), 6000n * WAD],
    ["−2 ETH at $2,500 minus one wei is exactly −$5,000 plus 2 wei", () => signedValue(-2n * WAD, 2500n * WAD - 1n), -5000n * WAD + 2n],
  ];
  for (const [name, run, expected] of cases) it(name, () => expect(run()).toBe(expected));

  it("refuses negative operands and a zero divisor", () => {
    expect(() => mulDivDown(-1n, 1n, 1n)).toThrow(/non-negative/);
    expect(() => mulDivUp(1n, 1n, 0n)).toThrow(/d positive/);
  });
});
