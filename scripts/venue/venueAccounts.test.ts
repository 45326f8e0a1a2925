import { describe, expect, it } from "vitest";
import type { SeedPlan } from "../seed/plan.ts";
import { venueAccounts } from "./venueAccounts.ts";

const WAD = 10n ** 18n;
const A = "0x00000000000000000000000000000000000000aA";
const B = "0x00000000000000000000000000000000000000bB";
const markets = [
  { markPriceWad: 3000n * WAD, imrWad: WAD / 10n }, // ETH, 10 %
  { markPriceWad: 65_000n * WAD + WAD / 2n, imrWad: WAD / 10n }, // BTC at $65,000.5, 10 %
];
const collaterals = [
  { priceWad: WAD, weightWad: WAD, decimals: 6 }, // USDC
  { priceWad: 3000n * WAD, weightWad: (8n * WAD) / 10n, decimals: 18 }, // WETH at 80 %
];

function plan(parts: Partial<SeedPlan>): SeedPlan {
  return { deposits: [], trades: [], accounts: [A, B], marketMakers: [], whales: [], totalsNative: [], ...parts };
}

describe("venueAccounts", () => {
  it("sums deposits per asset and trades per market, taker +delta and maker −delta, in the plan's order", () => {
    const accounts = venueAccounts({
      plan: plan({
        deposits: [
          { account: A, assetId: 0, amountNative: 10_000n * 10n ** 6n },
          { account: B, assetId: 1, amountNative: 2n * WAD },
          { account: B, assetId: 1, amountNative: WAD },
        ],
        trades: [
          { taker: A, maker: B, marketId: 0, sizeDeltaBase: (3n * WAD) / 2n },
          { taker: A, maker: B, marketId: 0, sizeDeltaBase: WAD / 2n },
        ],
      }),
      markets,
      collaterals,
    });
    expect(accounts).toEqual([
      { address: A.toLowerCase(), cashUsd: 0n, balancesNative: [10_000n * 10n ** 6n, 0n], positions: [{ marketId: 0, sizeBase: 2n * WAD, openNotionalUsd: 6000n * WAD }] },
      { address: B.toLowerCase(), cashUsd: 0n, balancesNative: [0n, 3n * WAD], positions: [{ marketId: 0, sizeBase: -2n * WAD, openNotionalUsd: -6000n * WAD }] },
    ]);
  });

  it("opens a short's notional rounded toward −∞, and lists positions by ascending market id", () => {
    const [a] = venueAccounts({
      plan: plan({
        deposits: [{ account: A, assetId: 0, amountNative: 1_000n * 10n ** 6n }],
        trades: [
          { taker: B, maker: A, marketId: 1, sizeDeltaBase: 3n * 10n ** 14n },
          { taker: A, maker: B, marketId: 0, sizeDeltaBase: WAD / 10n },
        ],
      }),
      markets,
      collaterals,
    });
    // 0.0003 BTC × $65,000.5 = $19.50015 exactly; 0.1 ETH × $3,000 = $300.
    expect(a!.positions).toEqual([
      { marketId: 0, sizeBase: WAD / 10n, openNotionalUsd: 300n * WAD },
      { marketId: 1, sizeBase: -3n * 10n ** 14n, openNotionalUsd: -19_500_150_000_000_000_000n },
    ]);
  });

  it("tops up, in USDC units rounded up, an account whose deposits fall short of initial margin", () => {
    // 1 ETH long at $3,000 needs IM $300; $299.999999 of USDC falls short by $0.000001: 1 unit.
    const [a] = venueAccounts({
      plan: plan({
        deposits: [{ account: A, assetId: 0, amountNative: 299_999_999n }],
        trades: [{ taker: A, maker: B, marketId: 0, sizeDeltaBase: WAD }],
      }),
      markets,
      collaterals,
    });
    expect(a!.balancesNative).toEqual([300_000_000n, 0n]);
  });

  it("leaves an account exactly at initial margin as planned", () => {
    const [a] = venueAccounts({
      plan: plan({
        deposits: [{ account: A, assetId: 1, amountNative: WAD / 8n }], // 0.125 WETH × $3,000 × 80 % = $300
        trades: [{ taker: A, maker: B, marketId: 0, sizeDeltaBase: WAD }],
      }),
      markets,
      collaterals,
    });
    expect(a!.balancesNative).toEqual([0n, WAD / 8n]);
  });
});
