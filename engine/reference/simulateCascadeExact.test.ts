/**
 * The reference pinned by hand on the fake venue (ETH-PERP at $1,000, MMR 5 %, penalty 2 %,
 * keeper share 50 %): the fast path is fuzzed against it in cascade/cascadeTriggers.test.ts, so it must be right on its own.
 */
import { describe, expect, it } from "vitest";
import { CASCADE_KEEPER, type CascadeParameters } from "../cascade/simulateCascade.ts";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { simulateCascadeExact } from "./simulateCascadeExact.ts";

describe("simulateCascadeExact", () => {
  // A: long 10 ETH with $1,000; B: long 10 ETH with $2,000. A 6 % fall to $940: A's equity $400 is
  // under its $470 maintenance, B's $1,400 is not. Depth so deep the liquidation moves no price.
  const parameters = (path: number[][], keeper: CascadeParameters["keeper"] = {}): CascadeParameters => ({
    snapshot: fakeSnapshot([fakeLong(1, 1000, 10), fakeLong(2, 2000, 10)], { longOi: 20 }),
    path,
    impact: [{ model: "linear", depthUsd: 1e30 }],
    keeper,
  });

  it("liquidates A at $940: $9,400 of notional, a $188 penalty, half of it to insurance; the cascade's own keeper is not in the final state", () => {
    const r = simulateCascadeExact(parameters([[-0.06]]));
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]).toMatchObject({ step: 0, liquidations: 1, liquidatedNotionalUsd: 9400, insuranceFundUsd: 1_000_094, badDebtUsd: 0, waitingAccounts: 0, dustAccounts: 0 });
    expect(r.totals).toMatchObject({ liquidations: 1, liquidatedNotionalUsd: 9400, penaltiesUsd: 188, insuranceDrawUsd: 0, badDebtUsd: 0 });
    expect(r.final.markets[0]!.markPriceWad).toBe(usd(940));
    expect(r.final.accounts.find((a) => a.address === fakeAddress(1))).toMatchObject({ cashUsd: usd(1000 - 600 - 188), positions: [] });
    expect(r.final.accounts.find((a) => a.address === fakeAddress(2))!.positions).toEqual([{ marketId: 0, sizeBase: usd(10), openNotionalUsd: usd(10_000) }]);
    expect(r.final.accounts.map((a) => a.address)).not.toContain(CASCADE_KEEPER);
  });

  it("a keeper one step late leaves A waiting a step, then liquidates it", () => {
    const r = simulateCascadeExact(parameters([[-0.06], [0]], { latencySteps: 1 }));
    expect(r.steps.map((s) => [s.liquidations, s.waitingAccounts])).toEqual([[0, 1], [1, 0]]);
  });

  it("a keeper whose gas costs more than the $94 reward leaves A as dust", () => {
    const r = simulateCascadeExact(parameters([[-0.06]], { gasCostUsd: 95 }));
    expect(r.steps[0]).toMatchObject({ liquidations: 0, dustAccounts: 1, dustNotionalUsd: 9400 });
  });

  it("a path that moves nothing liquidates nothing and leaves every account as it was", () => {
    const p = parameters([[0], [0]]);
    const r = simulateCascadeExact(p);
    expect(r.totals.liquidations).toBe(0);
    expect(r.final.accounts.filter((a) => a.address !== CASCADE_KEEPER)).toEqual(p.snapshot.accounts);
  });
});
