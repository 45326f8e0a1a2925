import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";
import { computeAccountRisk } from "./computeAccountRisk.ts";
import { computeHealth } from "./computeHealth.ts";
import { isLiquidatable } from "./isLiquidatable.ts";

const WAD = 10n ** 18n;
const usd = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;

/** A fake two-market, two-asset snapshot for these pure-function tests. */
function fixtureSnapshot(ethMark: bigint): Pick<ProtocolSnapshot, "markets" | "collaterals"> {
  const market = (id: number, symbol: string, mark: bigint, imr: number, mmr: number) => ({
    id, symbol, feedId: "0x00" as const, markPriceWad: mark, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n,
    longOpenInterestBase: 0n, shortOpenInterestBase: 0n,
    params: { imrWad: usd(imr), mmrWad: usd(mmr), liquidationPenaltyWad: usd(0.02), keeperShareWad: usd(0.5), oiCapUsd: usd(1e9), concentrationCapWad: WAD, oracleMaxAgeSec: 3600n },
  });
  const asset = (id: number, symbol: string, decimals: number, price: bigint, weight: number) => ({
    id, symbol, decimals, token: "0x00" as const, feedId: "0x00" as const, priceWad: price, priceUpdatedAt: 0n, frozen: false, totalDepositsNative: 0n, seizedNative: 0n,
    params: { weightWad: usd(weight), depositCapNative: 0n, oracleMaxAgeSec: 3600n },
  });
  return {
    markets: [market(0, "ETH-PERP", ethMark, 0.1, 0.05), market(1, "SOL-PERP", 150n * WAD, 0.2, 0.1)],
    collaterals: [asset(0, "USDC", 6, WAD, 1), asset(1, "WETH", 18, 3000n * WAD, 0.8)],
  };
}

/** $1,250 USDC, long 2 ETH from $3,000. */
const longEth: Account = { address: "0x0000000000000000000000000000000000000001", cashUsd: 0n, balancesNative: [1250n * 10n ** 6n, 0n], positions: [{ marketId: 0, sizeBase: 2n * WAD, openNotionalUsd: 6000n * WAD }] };

describe("account risk at the edges", () => {
  const cases: [string, Account, bigint, { equity: bigint; mm: bigint; liquidatable: boolean }][] = [
    // 1,250 + 2·2,500 − 6,000 = 250 = 5 % of 5,000
    ["exactly at maintenance is not liquidatable", longEth, 2500n * WAD, { equity: usd(250), mm: usd(250), liquidatable: false }],
    // notional 5,000 − 2 wei → MM = ceil(250 − 0.1 wei) = 250e18; equity = 250e18 − 2
    ["one wei of price below is liquidatable", longEth, 2500n * WAD - 1n, { equity: usd(250) - 2n, mm: usd(250), liquidatable: true }],
    ["no positions: no margin and never liquidatable, whatever the equity", { ...longEth, cashUsd: -usd(5000), positions: [] }, 2500n * WAD, { equity: -usd(3750), mm: 0n, liquidatable: false }],
    // 1,250 + 2·2,000 − 6,000 = −750
    ["negative equity is liquidatable", longEth, 2000n * WAD, { equity: -usd(750), mm: usd(200), liquidatable: true }],
    // WETH 0.5 at $3,000 weighted 80 % = $1,200 plus $50 USDC = $1,250, the same account
    ["weighted WETH collateral counts at its haircut", { ...longEth, balancesNative: [50n * 10n ** 6n, WAD / 2n] }, 2500n * WAD, { equity: usd(250), mm: usd(250), liquidatable: false }],
  ];
  for (const [name, account, mark, expected] of cases) {
    it(name, () => {
      const risk = computeAccountRisk(fixtureSnapshot(mark), account);
      expect({ equity: risk.equityUsd, mm: risk.maintenanceMarginUsd, liquidatable: isLiquidatable(risk) }).toEqual(expected);
    });
  }

  it("a short's value rounds down, against the short", () => {
    const short: Account = { ...longEth, positions: [{ marketId: 0, sizeBase: -1n, openNotionalUsd: -3000n }] };
    // value of −1 wei at $3,000.5 = −ceil(3000.5) = −3001 wei; uPnL = −3001 + 3000 = −1 wei
    const risk = computeAccountRisk(fixtureSnapshot(3000n * WAD + WAD / 2n), short);
    expect(risk.positions[0]!.upnlUsd).toBe(-1n);
  });
});

describe("computeHealth", () => {
  it("puts the liquidation price of the example long at $2,500 and bankruptcy at $2,375", () => {
    const h = computeHealth(fixtureSnapshot(3000n * WAD), longEth);
    // (0 − 1,250 + 6,000) / (2 − 2·0.05) = 4,750 / 1.9 = 2,500;  (6,000 − 1,250) / 2 = 2,375
    expect(h.positions[0]!.liquidationPriceWad).toBe(2500n * WAD);
    expect(h.positions[0]!.bankruptcyPriceWad).toBe(2375n * WAD);
    expect(h.positions[0]!.distanceToLiquidation).toBeCloseTo(-1 / 6, 12);
    // equity 1,250 over MM 300 at $3,000; notional 6,000 / 1,250
    expect(h.health).toBeCloseTo(1250 / 300, 12);
    expect(h.leverage).toBeCloseTo(4.8, 12);
  });

  it("the liquidation price is where the contract's own test flips: at it safe, a wei under not", () => {
    const price = computeHealth(fixtureSnapshot(3000n * WAD), longEth).positions[0]!.liquidationPriceWad!;
    expect(isLiquidatable(computeAccountRisk(fixtureSnapshot(price), longEth))).toBe(false);
    expect(isLiquidatable(computeAccountRisk(fixtureSnapshot(price - 1n), longEth))).toBe(true);
  });

  it("a short is liquidated above the mark", () => {
    const short: Account = { ...longEth, positions: [{ marketId: 0, sizeBase: -2n * WAD, openNotionalUsd: -6000n * WAD }] };
    // (0 − 1,250 − 6,000) / (−2 − 0.1) = 3,452.38…
    const h = computeHealth(fixtureSnapshot(3000n * WAD), short);
    expect(Number(h.positions[0]!.liquidationPriceWad!) / 1e18).toBeCloseTo(7250 / 2.1, 9);
    expect(h.positions[0]!.distanceToLiquidation!).toBeGreaterThan(0);
  });

  it("a long that cash alone covers has no liquidation price", () => {
    const safe: Account = { ...longEth, balancesNative: [100_000n * 10n ** 6n, 0n] };
    expect(computeHealth(fixtureSnapshot(3000n * WAD), safe).positions[0]!.liquidationPriceWad).toBeNull();
  });

  it("on a fake venue, every distance is its decimal liquidation price's, and health and leverage the decimal quotients, to float precision", () => {
    const venue = syntheticSnapshot(400, { seed: 12, nearMaintenance: 0.3 });
    let priced = 0;
    for (const account of venue.accounts) {
      const h = computeHealth(venue, account);
      if (h.health !== null) expect(h.health).toBeCloseTo(new Decimal(String(h.risk.equityUsd)).div(String(h.risk.maintenanceMarginUsd)).toNumber(), 12);
      if (h.leverage !== null) expect(h.leverage).toBeCloseTo(new Decimal(String(h.risk.notionalUsd)).div(String(h.risk.equityUsd)).toNumber(), 12);
      for (const p of h.positions) {
        expect(p.distanceToLiquidation === null).toBe(p.liquidationPriceWad === null);
        if (p.liquidationPriceWad === null) continue;
        priced++;
        const fromPrice = new Decimal(String(p.liquidationPriceWad)).div(String(p.markPriceWad)).minus(1).toNumber();
        expect(Math.abs(p.distanceToLiquidation! - fromPrice)).toBeLessThan(1e-12);
      }
    }
    expect(priced).toBeGreaterThan(300);
  });
});

