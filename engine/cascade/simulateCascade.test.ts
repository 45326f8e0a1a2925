import { describe, expect, it } from "vitest";
import { runMonteCarlo } from "../scenarios/monteCarlo.ts";
import { historicalScenarios, pathFromMoves, scenarioMoves } from "../scenarios/scenarios.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { simulateCascade } from "./simulateCascade.ts";

const WAD = 10n ** 18n;
const address = (i: number) => `0x${(i + 1).toString(16).padStart(40, "0")}` as `0x${string}`;

/**
 * Fake ETH market at $1,000 for these tests: ten longs of 1 ETH from $1,000 whose cash runs
 * from $60 to $150 (liquidation prices from ~$989 down to ~$895 at MMR 5 %), and one deep short.
 */
function fixtureSnapshot(): ProtocolSnapshot {
  const longs: Account[] = Array.from({ length: 10 }, (_, i) => ({ address: address(i), cashUsd: BigInt(60 + 10 * i) * WAD, balancesNative: [0n], positions: [{ marketId: 0, sizeBase: WAD, openNotionalUsd: 1000n * WAD }] }));
  return {
    chainId: 1, blockNumber: 1n, blockHash: "0x00", timestamp: 0n,
    markets: [{ id: 0, symbol: "ETH-PERP", feedId: "0x01", markPriceWad: 1000n * WAD, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 10n * WAD, shortOpenInterestBase: 10n * WAD, params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: WAD / 50n, keeperShareWad: WAD / 2n, oiCapUsd: 10n ** 30n, concentrationCapWad: WAD, oracleMaxAgeSec: 3600n } }],
    collaterals: [{ id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x02", priceWad: WAD, priceUpdatedAt: 0n, params: { weightWad: WAD, depositCapNative: 0n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n }],
    accounts: [...longs, { address: address(99), cashUsd: 1_000_000n * WAD, balancesNative: [0n], positions: [{ marketId: 0, sizeBase: -10n * WAD, openNotionalUsd: -10_000n * WAD }] }],
    reserves: { insuranceFundUsd: 1000n * WAD, defaultFundUsd: 1000n * WAD, defaultFundShares: 1n, pendingWithdrawalShares: 0n, badDebtUsd: 0n },
    global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
  };
}

describe("simulateCascade", () => {
  it("without market impact the marks follow the exogenous path exactly (amplification 1)", () => {
    const result = simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([-0.08], 4), impact: [{ model: "linear", depthUsd: Infinity }] });
    expect(result.amplification[0]).toBeCloseTo(1, 6);
    expect(result.steps.at(-1)!.markPrice[0]).toBeCloseTo(920, 3);
    // at $920 every long with cash below 0.05·920 − (920 − 1000) = $126 is liquidatable: cash 60…120 → 7 accounts
    expect(result.totals.liquidations).toBe(7);
  });

  it("forced selling into thin depth deepens the fall: amplification above 1, more liquidations", () => {
    const calm = simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([-0.03], 3), impact: [{ model: "linear", depthUsd: Infinity }] });
    const thin = simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([-0.03], 3), impact: [{ model: "linear", depthUsd: 20_000 }] });
    expect(thin.amplification[0]!).toBeGreaterThan(1);
    expect(thin.totals.liquidations).toBeGreaterThan(calm.totals.liquidations);
  });

  it("accounts whose reward does not pay the gas are left as dust", () => {
    // reward = min(2 % of ~$920, equity) × 50 % ≈ $9 < $50 of gas
    const result = simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([-0.08], 1), impact: [{ model: "linear", depthUsd: Infinity }], keeper: { gasCostUsd: 50 } });
    expect(result.totals.liquidations).toBe(0);
    expect(result.steps[0]!.dustAccounts).toBe(7);
  });

  it("a keeper capacity of two a step spreads the liquidations over the steps", () => {
    const result = simulateCascade({ snapshot: fixtureSnapshot(), path: [[-0.08], [0], [0], [0]], impact: [{ model: "linear", depthUsd: Infinity }], keeper: { capacityPerStep: 2 } });
    expect(result.steps.map((s) => s.liquidations)).toEqual([2, 2, 2, 1]);
  });

  it("a final state read after other cascades took the spare arrays is the one read at once", () => {
    const run = (move: number) => simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([move], 4), impact: [{ model: "linear", depthUsd: Infinity }] });
    const readAtOnce = run(-0.08).final;
    const readLater = run(-0.08);
    run(-0.05);
    run(-0.1);
    expect(readLater.final).toEqual(readAtOnce);
    expect(readAtOnce.accounts.filter((a) => a.positions.length === 0)).toHaveLength(7);
  });

  it("reports progress once per step", () => {
    const seen: number[] = [];
    simulateCascade({ snapshot: fixtureSnapshot(), path: pathFromMoves([-0.01], 5), impact: [{ model: "sqrt", depthUsd: 1e6 }], onStep: (step) => seen.push(step) });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("scenarios", () => {
  it("maps the library's assets to markets by symbol, and an unnamed market to ALT or flat", () => {
    const october = historicalScenarios.find((s) => s.id === "2025-10-10")!;
    expect(scenarioMoves(october, [{ symbol: "ETH-PERP" }, { symbol: "BTC-PERP" }, { symbol: "SOL-PERP" }])).toEqual([-0.2, -0.16, -0.8]);
    expect(scenarioMoves({ moves: { BTC: -10 } }, [{ symbol: "SOL-PERP" }])).toEqual([0]);
  });

  it("a path ends exactly at the scenario's move", () => {
    const path = pathFromMoves([-0.55], 24);
    expect(path.reduce((p, step) => p * (1 + step[0]!), 1)).toBeCloseTo(0.45, 12);
    expect(() => pathFromMoves([-0.1], 0)).toThrow(/whole number of steps/);
  });
});

describe("runMonteCarlo", () => {
  it("gives the same answer for the same seed and another for another seed", () => {
    const a = runMonteCarlo({ snapshot: fixtureSnapshot(), volatility: [0.05], paths: 60, seed: 1 });
    expect(runMonteCarlo({ snapshot: fixtureSnapshot(), volatility: [0.05], paths: 60, seed: 1 })).toEqual(a);
    expect(runMonteCarlo({ snapshot: fixtureSnapshot(), volatility: [0.05], paths: 60, seed: 2 }).liquidatedNotional).not.toEqual(a.liquidatedNotional);
  });

  it("VaR is the loss quantile and expected shortfall the mean beyond it", () => {
    const r = runMonteCarlo({ snapshot: fixtureSnapshot(), volatility: [0.08], paths: 100, seed: 3 });
    const sorted = [...r.losses].sort((x, y) => x - y);
    expect(r.var["99%"]).toBe(sorted[98]);
    const tail = sorted.filter((x) => x >= sorted[98]!);
    expect(r.expectedShortfall["99%"]).toBeCloseTo(tail.reduce((x, y) => x + y, 0) / tail.length, 9);
    expect(r.liquidationsAtRisk["95%"]).toBe([...r.liquidatedNotional].sort((x, y) => x - y)[94]);
  });
});
