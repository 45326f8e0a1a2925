import { describe, expect, it } from "vitest";
import { fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { computeAccountRisk } from "./computeAccountRisk.ts";
import { isLiquidatable } from "./isLiquidatable.ts";

// Long 1 ETH opened at $1,000, mark $1,000, MMR 5 %: equity = cash, maintenance margin = $50.
const withCash = (cashUsd: bigint, eth = 1) => {
  const account = { ...fakeLong(1, 0, eth), cashUsd };
  return computeAccountRisk(fakeSnapshot([account]), account);
};

describe("isLiquidatable", () => {
  it.each([
    ["exactly at maintenance → false", withCash(usd(50)), false],
    ["one wei below maintenance → true", withCash(usd(50) - 1n), true],
    ["one wei above maintenance → false", withCash(usd(50) + 1n), false],
    ["negative equity with a position → true", withCash(-usd(10)), true],
    ["negative equity and no position: nothing to liquidate → false", withCash(-usd(10), 0), false],
    ["no position and no equity → false", withCash(0n, 0), false],
  ])("%s", (_, risk, expected) => {
    expect(isLiquidatable(risk)).toBe(expected);
  });

  it("the maintenance margin of the case above is the $50 the cases assume", () => {
    expect(withCash(usd(50)).maintenanceMarginUsd).toBe(usd(50));
  });
});
