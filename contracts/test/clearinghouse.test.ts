import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseEther, type Address } from "viem";
import { clearinghouseAbi, priceOracleAbi, testTokenAbi } from "../../lib/contracts/abis.ts";
import { demoMarkets } from "../../lib/contracts/deployProtocol.ts";
import { clearinghouseEvents, createFixture, FEEDS, MARKET, usdc, wad, WAD, type Fixture } from "../../lib/testing/fixture.ts";

let f: Fixture;
let trader: Address, maker: Address, keeper: Address, other: Address, staker: Address;

beforeAll(async () => {
  f = await createFixture();
  [, trader, maker, keeper, other, staker] = f.dev as [Address, Address, Address, Address, Address, Address];
});
afterAll(async () => f?.stop());
beforeEach(async () => f.reset());

const ch = () => f.ch;
const call = (from: Address, functionName: string, args: unknown[] = []) => f.write(from, ch(), clearinghouseAbi, functionName, args);
const revert = (from: Address, functionName: string, args: unknown[] = []) => f.revertOf(from, ch(), clearinghouseAbi, functionName, args);
const read = <T>(functionName: string, args: unknown[] = []) =>
  f.publicClient.readContract({ address: ch(), abi: clearinghouseAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
const ethParams = demoMarkets[0].params;
const risk = (account: Address) => read<readonly [bigint, bigint, bigint]>("accountRisk", [account]);
const position = async (account: Address, marketId: bigint) => {
  const [, , positions] = await read<readonly [bigint, readonly bigint[], readonly { marketId: bigint; size: bigint; openNotional: bigint }[]]>("getAccount", [account]);
  return positions.find((p) => p.marketId === marketId) ?? { marketId, size: 0n, openNotional: 0n };
};
const cash = async (account: Address) => (await read<readonly [bigint, readonly bigint[], unknown]>("getAccount", [account]))[0];

/** trader long `size` ETH against maker at the current price, both funded. */
async function openEth(size: bigint, traderUsdc: bigint, makerUsdc = usdc(100_000)) {
  await f.depositUsdc(trader, traderUsdc);
  await f.depositUsdc(maker, makerUsdc);
  await call(f.deployer, "trade", [trader, maker, MARKET.ETH, size]);
}

describe("governance setters", () => {
  const cases: { name: string; fn: string; args: unknown[]; event: string }[] = [
    { name: "setMarketParams replaces a market's parameters and logs old and new", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, imr: wad(0.12) }], event: "MarketParamsUpdated" },
    { name: "setMarketFrozen makes a market reduce-only", fn: "setMarketFrozen", args: [MARKET.ETH, true], event: "MarketFrozenSet" },
    { name: "setMarketPaused stops a market", fn: "setMarketPaused", args: [MARKET.SOL, true], event: "MarketPausedSet" },
    { name: "setCollateralParams changes a haircut", fn: "setCollateralParams", args: [1n, { weight: wad(0.7), depositCap: wad(1000), oracleMaxAge: 3600n }], event: "CollateralParamsUpdated" },
    { name: "setCollateralFrozen stops deposits of an asset", fn: "setCollateralFrozen", args: [1n, true], event: "CollateralFrozenSet" },
    { name: "setAdlMode switches to pro-rata", fn: "setAdlMode", args: [1], event: "AdlModeSet" },
    { name: "setGracePeriod sets the post-unpause grace", fn: "setGracePeriod", args: [3600n], event: "GracePeriodSet" },
    { name: "setDefaultFundCooldown sets the cooldown", fn: "setDefaultFundCooldown", args: [86_400n], event: "DefaultFundCooldownSet" },
    { name: "setOracle points at another oracle", fn: "setOracle", args: ["0x000000000000000000000000000000000000dEaD"], event: "OracleSet" },
    { name: "listMarket adds a market", fn: "listMarket", args: ["DOGE-PERP", FEEDS.SOL, ethParams], event: "MarketListed" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const receipt = await f.govern(c.fn, c.args);
      expect(clearinghouseEvents(receipt, ch()).map((e) => e.eventName)).toContain(c.event);
    });
    it(`${c.fn} is refused to anyone but governance`, async () => {
      expect((await revert(other, c.fn, c.args))?.errorName).toBe("AccessControlUnauthorizedAccount");
    });
  }

  it("listCollateral reads the token's symbol and decimals", async () => {
    await f.govern("listCollateral", [f.deployment.contracts.weth, FEEDS.ETH, { weight: wad(0.5), depositCap: wad(10), oracleMaxAge: 3600n }]);
    const info = await read<{ symbol: string; decimals: number }>("getCollateral", [2n]);
    expect([info.symbol, info.decimals]).toEqual(["WETH", 18]);
  });

  it("setMarketParams changes what the chain returns", async () => {
    await f.govern("setMarketParams", [MARKET.ETH, { ...ethParams, mmr: wad(0.07), imr: wad(0.12) }]);
    const info = await read<{ params: { imr: bigint; mmr: bigint } }>("getMarket", [MARKET.ETH]);
    expect([info.params.imr, info.params.mmr]).toEqual([wad(0.12), wad(0.07)]);
  });
});

describe("parameter validation reverts with the named error", () => {
  const cases: { name: string; fn: string; args: unknown[]; error: string }[] = [
    { name: "MMR of zero", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, mmr: 0n }], error: "InvalidMarginRatios" },
    { name: "MMR equal to IMR", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, mmr: ethParams.imr }], error: "InvalidMarginRatios" },
    { name: "IMR above 100 %", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, imr: WAD + 1n }], error: "InvalidMarginRatios" },
    { name: "penalty equal to MMR", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, liquidationPenalty: ethParams.mmr }], error: "InvalidLiquidationPenalty" },
    { name: "keeper share above 100 %", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, keeperShare: WAD + 1n }], error: "InvalidKeeperShare" },
    { name: "OI cap of zero", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, oiCapUsd: 0n }], error: "InvalidOiCap" },
    { name: "concentration cap of zero", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, concentrationCap: 0n }], error: "InvalidConcentrationCap" },
    { name: "concentration cap above 100 %", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, concentrationCap: WAD + 1n }], error: "InvalidConcentrationCap" },
    { name: "oracle max age under a minute", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, oracleMaxAge: 59n }], error: "InvalidOracleMaxAge" },
    { name: "oracle max age over a week", fn: "setMarketParams", args: [MARKET.ETH, { ...ethParams, oracleMaxAge: 7n * 86_400n + 1n }], error: "InvalidOracleMaxAge" },
    { name: "collateral weight of zero", fn: "setCollateralParams", args: [1n, { weight: 0n, depositCap: 1n, oracleMaxAge: 3600n }], error: "InvalidCollateralWeight" },
    { name: "collateral weight above 100 %", fn: "setCollateralParams", args: [1n, { weight: WAD + 1n, depositCap: 1n, oracleMaxAge: 3600n }], error: "InvalidCollateralWeight" },
    { name: "grace period over a week", fn: "setGracePeriod", args: [7n * 86_400n + 1n], error: "InvalidDuration" },
    { name: "cooldown over 90 days", fn: "setDefaultFundCooldown", args: [90n * 86_400n + 1n], error: "InvalidDuration" },
    { name: "an unknown market", fn: "setMarketFrozen", args: [9n, true], error: "UnknownMarket" },
    { name: "an unknown asset", fn: "setCollateralFrozen", args: [9n, true], error: "UnknownAsset" },
    { name: "moving a reserve to itself", fn: "moveReserves", args: [0, 0, 1n], error: "SameReserve" },
    { name: "moving more than the insurance fund holds", fn: "moveReserves", args: [0, 1, 1n], error: "InsufficientReserves" },
    { name: "paying out more than the insurance fund holds", fn: "withdrawInsurance", args: ["0x000000000000000000000000000000000000dEaD", WAD], error: "InsufficientReserves" },
    { name: "paying out a fraction of a quote token", fn: "withdrawInsurance", args: ["0x000000000000000000000000000000000000dEaD", 1n], error: "InvalidAmount" },
    { name: "moving zero", fn: "moveReserves", args: [0, 1, 0n], error: "ZeroAmount" },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with ${c.error}`, async () => {
      expect((await revert(f.deployment.contracts.timelock, c.fn, c.args))?.errorName).toBe(c.error);
    });
  }
});

describe("deposits and withdrawals", () => {
  it("deposit credits the account and the asset's total", async () => {
    await f.depositUsdc(trader, usdc(1000));
    const [, balances] = await read<readonly [bigint, readonly bigint[]]>("getAccount", [trader]);
    expect(balances[0]).toBe(usdc(1000));
    expect((await read<{ totalDeposits: bigint }>("getCollateral", [0n])).totalDeposits).toBe(usdc(1000));
  });

  it("depositFor credits another account, paid by the caller", async () => {
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [f.deployer, usdc(5)]);
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "approve", [ch(), usdc(5)]);
    await call(f.deployer, "depositFor", [other, 0n, usdc(5)]);
    const [, balances] = await read<readonly [bigint, readonly bigint[]]>("getAccount", [other]);
    expect(balances[0]).toBe(usdc(5));
  });

  it("withdraw pays back what the margin allows", async () => {
    await f.depositUsdc(trader, usdc(1000));
    await call(trader, "withdraw", [0n, usdc(400)]);
    const balance = await f.publicClient.readContract({ address: f.deployment.contracts.usdc, abi: testTokenAbi, functionName: "balanceOf", args: [trader] });
    expect(balance).toBe(usdc(400));
  });

  const cases: { name: string; run: () => Promise<{ errorName: string } | undefined>; error: string }[] = [
    { name: "a deposit of zero", run: () => revert(trader, "deposit", [0n, 0n]), error: "ZeroAmount" },
    { name: "a deposit of an unknown asset", run: () => revert(trader, "deposit", [5n, 1n]), error: "UnknownAsset" },
    {
      name: "a deposit of frozen collateral",
      run: async () => {
        await f.govern("setCollateralFrozen", [0n, true]);
        return revert(trader, "deposit", [0n, 1n]);
      },
      error: "CollateralFrozen",
    },
    {
      name: "a deposit over the cap",
      run: async () => {
        await f.govern("setCollateralParams", [0n, { weight: WAD, depositCap: usdc(10), oracleMaxAge: 86_400n }]);
        return revert(trader, "deposit", [0n, usdc(11)]);
      },
      error: "DepositCapExceeded",
    },
    {
      name: "a withdrawal above the balance",
      run: async () => {
        await f.depositUsdc(trader, usdc(10));
        return revert(trader, "withdraw", [0n, usdc(11)]);
      },
      error: "InsufficientBalance",
    },
    {
      name: "a withdrawal that leaves the account under initial margin",
      run: async () => {
        await openEth(wad(1), usdc(400));
        // notional $3,000 at 10 % IMR needs $300; taking $101 leaves $299.
        return revert(trader, "withdraw", [0n, usdc(101)]);
      },
      error: "InsufficientMargin",
    },
    {
      name: "a withdrawal while one of the account's markets is paused",
      run: async () => {
        await openEth(wad(1), usdc(1000));
        await f.govern("setMarketPaused", [MARKET.ETH, true]);
        return revert(trader, "withdraw", [0n, usdc(1)]);
      },
      error: "MarketPaused",
    },
    { name: "a cash withdrawal of zero", run: () => revert(trader, "withdrawCash", [0n]), error: "ZeroAmount" },
    { name: "a cash withdrawal of a fraction of a quote token", run: () => revert(trader, "withdrawCash", [1n]), error: "InvalidAmount" },
    { name: "a cash withdrawal above the cash", run: () => revert(trader, "withdrawCash", [WAD]), error: "InsufficientCash" },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with ${c.error}`, async () => {
      expect((await c.run())?.errorName).toBe(c.error);
    });
  }

  it("withdrawCash pays realised profit in USDC", async () => {
    await openEth(wad(1), usdc(1000));
    await f.setPrice(FEEDS.ETH, 3100);
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, -wad(1)]); // close at $3,100: +$100
    expect(await cash(trader)).toBe(wad(100));
    await call(trader, "withdrawCash", [wad(100)]);
    expect(await cash(trader)).toBe(0n);
  });
});

describe("trades", () => {
  it("settles both sides at the oracle price and keeps open interest balanced", async () => {
    await openEth(wad(2), usdc(1000));
    expect(await position(trader, MARKET.ETH)).toMatchObject({ size: wad(2), openNotional: wad(6000) });
    expect(await position(maker, MARKET.ETH)).toMatchObject({ size: -wad(2), openNotional: -wad(6000) });
    const market = await read<{ longOpenInterest: bigint; shortOpenInterest: bigint }>("getMarket", [MARKET.ETH]);
    expect(market.longOpenInterest).toBe(market.shortOpenInterest);
  });

  it("a flip realises the closed part and opens the rest at the new price", async () => {
    await openEth(wad(1), usdc(1000));
    await f.setPrice(FEEDS.ETH, 2900);
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, -wad(3)]);
    // closing 1 ETH bought at $3,000 at $2,900 realises −$100; the new short 2 ETH costs −$5,800.
    expect(await cash(trader)).toBe(-wad(100));
    expect(await position(trader, MARKET.ETH)).toMatchObject({ size: -wad(2), openNotional: -wad(5800) });
  });

  it("an operator the account approved may trade for it, and only while approved", async () => {
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(1000));
    await call(trader, "setOperator", [other, true]);
    await call(maker, "setOperator", [other, true]);
    await call(other, "trade", [trader, maker, MARKET.ETH, wad(0.1)]);
    await call(trader, "setOperator", [other, false]);
    expect((await revert(other, "trade", [trader, maker, MARKET.ETH, wad(0.1)]))?.errorName).toBe("Unauthorized");
  });

  const cases: { name: string; run: () => Promise<{ errorName: string } | undefined>; error: string }[] = [
    { name: "a trade by a stranger", run: () => revert(other, "trade", [trader, maker, MARKET.ETH, wad(1)]), error: "Unauthorized" },
    { name: "a trade with oneself", run: () => revert(f.deployer, "trade", [trader, trader, MARKET.ETH, wad(1)]), error: "SelfTrade" },
    { name: "a trade of zero", run: () => revert(f.deployer, "trade", [trader, maker, MARKET.ETH, 0n]), error: "ZeroAmount" },
    { name: "a trade in an unknown market", run: () => revert(f.deployer, "trade", [trader, maker, 7n, wad(1)]), error: "UnknownMarket" },
    {
      name: "a trade in a paused market",
      run: async () => {
        await f.govern("setMarketPaused", [MARKET.ETH, true]);
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(1)]);
      },
      error: "MarketPaused",
    },
    {
      name: "a trade on a price older than the market's max age",
      run: async () => {
        await f.depositUsdc(trader, usdc(1000));
        await f.depositUsdc(maker, usdc(1000));
        await f.testClient.increaseTime({ seconds: 3601 });
        await f.testClient.mine({ blocks: 1 });
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(0.1)]);
      },
      error: "StalePrice",
    },
    {
      name: "new exposure in a frozen market",
      run: async () => {
        await openEth(wad(1), usdc(1000));
        await f.govern("setMarketFrozen", [MARKET.ETH, true]);
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(0.5)]);
      },
      error: "MarketFrozen",
    },
    {
      name: "a trade that pushes open interest over the cap",
      run: async () => {
        await f.govern("setMarketParams", [MARKET.ETH, { ...ethParams, oiCapUsd: wad(5000), concentrationCap: WAD }]);
        await f.depositUsdc(trader, usdc(10_000));
        await f.depositUsdc(maker, usdc(10_000));
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(2)]); // $6,000 > $5,000
      },
      error: "OpenInterestCapExceeded",
    },
    {
      name: "a position over the concentration cap",
      run: async () => {
        await f.govern("setMarketParams", [MARKET.ETH, { ...ethParams, oiCapUsd: wad(100_000), concentrationCap: wad(0.05) }]);
        await f.depositUsdc(trader, usdc(10_000));
        await f.depositUsdc(maker, usdc(10_000));
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(2)]); // $6,000 > 5 % of $100,000
      },
      error: "ConcentrationCapExceeded",
    },
    {
      name: "a trade that leaves a side under initial margin",
      run: async () => {
        await f.depositUsdc(trader, usdc(299));
        await f.depositUsdc(maker, usdc(10_000));
        return revert(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(1)]); // needs $300
      },
      error: "InsufficientMargin",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with ${c.error}`, async () => {
      expect((await c.run())?.errorName).toBe(c.error);
    });
  }

  it("reducing exposure in a frozen market still works", async () => {
    await openEth(wad(1), usdc(1000));
    await f.govern("setMarketFrozen", [MARKET.ETH, true]);
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, -wad(0.5)]);
    expect((await position(trader, MARKET.ETH)).size).toBe(wad(0.5));
  });
});

describe("liquidation", () => {
  // $1,250 of USDC backs 2 ETH long opened at $3,000. At $2,500: notional $5,000, MM = 5 % = $250,
  // uPnL = 5,000 − 6,000 = −$1,000, equity = $250 — exactly at maintenance.
  async function atMaintenance() {
    await openEth(wad(2), usdc(1250));
    await f.depositUsdc(keeper, usdc(100_000));
    await f.setPrice(FEEDS.ETH, 2500);
  }

  it("exactly at maintenance is not liquidatable", async () => {
    await atMaintenance();
    const [equity, mm] = await risk(trader);
    expect(equity).toBe(mm);
    expect((await revert(keeper, "liquidate", [trader]))?.errorName).toBe("AccountHealthy");
  });

  it("one wei of price below maintenance is liquidatable, with penalty and keeper share to the wei", async () => {
    await atMaintenance();
    await f.write(f.deployer, f.deployment.contracts.oracle, priceOracleAbi, "setPrice", [FEEDS.ETH, wad(2500) - 1n]);
    // notional = floor(2 · (2500e18 − 1)) = 5000e18 − 2; equity = 1250e18 + (5000e18 − 2) − 6000e18 = 250e18 − 2
    // MM = ceil(0.05 · (5000e18 − 2)) = 250e18 > equity.
    // penalty = floor(0.02 · (5000e18 − 2)) = 100e18 − 1; keeper share 50 %: floor((100e18 − 1) / 2) = 50e18 − 1.
    const receipt = await call(keeper, "liquidate", [trader]);
    const liquidated = clearinghouseEvents(receipt, ch()).find((e) => e.eventName === "Liquidated")!;
    expect(liquidated.args).toMatchObject({ equity: wad(250) - 2n, penalty: wad(100) - 1n, keeperReward: wad(50) - 1n, insuranceFee: wad(50) });
    expect(await position(keeper, MARKET.ETH)).toMatchObject({ size: wad(2) });
    expect((await position(trader, MARKET.ETH)).size).toBe(0n);
    const [insuranceFund] = await read<readonly bigint[]>("reserves");
    expect(insuranceFund).toBe(wad(50));
  });

  it("refuses a self-liquidation, a paused market and the grace period after unpausing", async () => {
    await atMaintenance();
    await f.setPrice(FEEDS.ETH, 2400);
    expect((await revert(trader, "liquidate", [trader]))?.errorName).toBe("SelfLiquidation");
    await f.govern("setMarketPaused", [MARKET.ETH, true]);
    expect((await revert(keeper, "liquidate", [trader]))?.errorName).toBe("MarketPaused");
    await f.govern("setMarketPaused", [MARKET.ETH, false]);
    expect((await revert(keeper, "liquidate", [trader]))?.errorName).toBe("LiquidationGracePeriod");
    await f.testClient.increaseTime({ seconds: 901 });
    await f.setPrice(FEEDS.ETH, 2400);
    await f.setPrice(FEEDS.USDC, 1);
    expect(await revert(keeper, "liquidate", [trader])).toBeUndefined();
  });

  it("refuses a keeper who cannot carry the positions", async () => {
    await atMaintenance();
    await f.setPrice(FEEDS.ETH, 2400);
    expect((await revert(other, "liquidate", [trader]))?.errorName).toBe("InsufficientMargin");
  });

  // Bankrupt: $1,250 backs 2 ETH long from $3,000; at $2,000 equity = 1,250 − 2,000 = −$750.
  // Insurance fund $100 and default fund $50 cover $150; $600 is left for ADL.
  async function bankrupt(mode: 0 | 1) {
    await openEth(wad(2), usdc(1250), usdc(5000));
    await f.depositUsdc(keeper, usdc(100_000));
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [staker, usdc(150)]);
    await f.write(staker, f.deployment.contracts.usdc, testTokenAbi, "approve", [ch(), usdc(150)]);
    await call(staker, "fundInsurance", [usdc(100)]);
    await call(staker, "stakeDefaultFund", [usdc(50)]);
    await f.govern("setAdlMode", [mode]);
    await f.setPrice(FEEDS.ETH, 2000);
    return call(keeper, "liquidate", [trader]);
  }

  it("queue ADL closes the uncovered share against the profitable short at the bankruptcy price", async () => {
    const events = clearinghouseEvents(await bankrupt(0), ch());
    const absorbed = events.find((e) => e.eventName === "DeficitAbsorbed")!;
    expect(absorbed.args).toMatchObject({ deficit: wad(750), collateralLost: wad(1250), insuranceDraw: wad(100), defaultFundDraw: wad(50), adlAbsorbed: wad(600), badDebt: 0n });
    // q = ceil(2 ETH · 600 / 750) = 1.6 ETH closed against the maker; the keeper takes 0.4 ETH.
    expect(events.find((e) => e.eventName === "AdlFill")!.args).toMatchObject({ counterparty: maker, quantity: wad(1.6), haircut: wad(600) });
    expect((await position(keeper, MARKET.ETH)).size).toBe(wad(0.4));
    expect((await position(maker, MARKET.ETH)).size).toBe(-wad(0.4));
    // The maker closed 1.6 ETH of a short from $3,000 at $2,000 (+$1,600) and gave up $600.
    expect(await cash(maker)).toBe(wad(1000));
  });

  it("pro-rata ADL charges the deficit to profit and closes nothing", async () => {
    const events = clearinghouseEvents(await bankrupt(1), ch());
    expect(events.find((e) => e.eventName === "AdlFill")!.args).toMatchObject({ counterparty: maker, quantity: 0n, haircut: wad(600) });
    expect((await position(keeper, MARKET.ETH)).size).toBe(wad(2));
    expect((await position(maker, MARKET.ETH)).size).toBe(-wad(2));
    expect(await cash(maker)).toBe(-wad(600));
  });

  it("with two bankrupt positions the residual is spread by notional and each closes the same uncovered share", async () => {
    // trader: $1,000 backs 1 ETH long at $3,000 and 0.05 BTC long at $65,000, the maker short both.
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(100_000));
    await f.depositUsdc(keeper, usdc(100_000));
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(1)]);
    await call(f.deployer, "trade", [trader, maker, MARKET.BTC, wad(0.05)]);
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [staker, usdc(150)]);
    await f.write(staker, f.deployment.contracts.usdc, testTokenAbi, "approve", [ch(), usdc(150)]);
    await call(staker, "fundInsurance", [usdc(150)]);
    // ETH $2,000 (−$1,000), BTC $52,000 (−$650): E = −$650, D = $650, insurance $150, R = $500.
    await f.setPrice(FEEDS.ETH, 2000);
    await f.setPrice(FEEDS.BTC, 52_000);
    const events = clearinghouseEvents(await call(keeper, "liquidate", [trader]), ch());
    expect(events.find((e) => e.eventName === "DeficitAbsorbed")!.args).toMatchObject({ deficit: wad(650), insuranceDraw: wad(150), defaultFundDraw: 0n, adlAbsorbed: wad(500), badDebt: 0n });
    // Notional $2,000 + $2,600 = $4,600: R_ETH = floor(500 · 2,000 / 4,600), BTC (last) the rest.
    // q_p = ceil(|s_p| · 500 / 650): the same 10/13 of each position, rounded up.
    const fills = events.filter((e) => e.eventName === "AdlFill").map((e) => e.args);
    expect(fills).toEqual([
      { marketId: MARKET.ETH, bankrupt: trader, counterparty: maker, quantity: 769230769230769231n, haircut: 217391304347826086956n },
      { marketId: MARKET.BTC, bankrupt: trader, counterparty: maker, quantity: 38461538461538462n, haircut: 282608695652173913044n },
    ]);
    expect((await position(keeper, MARKET.ETH)).size).toBe(wad(1) - 769230769230769231n);
    expect((await position(keeper, MARKET.BTC)).size).toBe(wad(0.05) - 38461538461538462n);
  });

  it("what ADL cannot reach becomes bad debt", async () => {
    // trader: $600 backs 2 ETH long from $3,000 against the maker. At $1,500 the maker buys 1 ETH
    // back from `other`, who is then short from $1,500 — at a loss when the price is $2,000.
    // So at $2,000 only the maker's 1 ETH short is in profit. D = 2,000 − 600 = $1,400, no funds.
    await openEth(wad(2), usdc(600), usdc(5000));
    await f.depositUsdc(other, usdc(1000));
    await f.depositUsdc(keeper, usdc(100_000));
    await f.setPrice(FEEDS.ETH, 1500);
    await call(f.deployer, "trade", [other, maker, MARKET.ETH, -wad(1)]);
    await f.setPrice(FEEDS.ETH, 2000);
    const events = clearinghouseEvents(await call(keeper, "liquidate", [trader]), ch());
    // queue: q = 2 ETH requested, 1 ETH filled → absorbed = 1,400 · 1 / 2 = $700, bad debt $700.
    expect(events.find((e) => e.eventName === "DeficitAbsorbed")!.args).toMatchObject({ deficit: wad(1400), adlAbsorbed: wad(700), badDebt: wad(700) });
    const [, , , , badDebt] = await read<readonly bigint[]>("reserves");
    expect(badDebt).toBe(wad(700));
  });
});

describe("reserves", () => {
  async function stake(amount: bigint) {
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [staker, amount]);
    await f.write(staker, f.deployment.contracts.usdc, testTokenAbi, "approve", [ch(), amount]);
    await call(staker, "stakeDefaultFund", [amount]);
  }

  it("a default-fund withdrawal waits for the cooldown, then pays the shares' value", async () => {
    await stake(usdc(1000));
    await call(staker, "requestDefaultFundWithdrawal", [wad(400)]);
    expect((await revert(staker, "withdrawDefaultFund"))?.errorName).toBe("CooldownNotElapsed");
    await f.testClient.increaseTime({ seconds: 7 * 86_400 });
    await f.testClient.mine({ blocks: 1 });
    await call(staker, "withdrawDefaultFund");
    const [, defaultFund, shares, pending] = await read<readonly bigint[]>("reserves");
    expect([defaultFund, shares, pending]).toEqual([wad(600), wad(600), 0n]);
  });

  it("refuses requests beyond one's shares, withdrawals never requested, and zero stakes", async () => {
    await stake(usdc(10));
    expect((await revert(staker, "requestDefaultFundWithdrawal", [wad(11)]))?.errorName).toBe("InsufficientShares");
    expect((await revert(staker, "requestDefaultFundWithdrawal", [0n]))?.errorName).toBe("ZeroAmount");
    expect((await revert(staker, "withdrawDefaultFund"))?.errorName).toBe("NoWithdrawalRequested");
    expect((await revert(staker, "stakeDefaultFund", [0n]))?.errorName).toBe("ZeroAmount");
    expect((await revert(staker, "fundInsurance", [0n]))?.errorName).toBe("ZeroAmount");
  });

  it("refuses new stakes into a default fund that losses emptied", async () => {
    await stake(usdc(10));
    await f.govern("moveReserves", [1, 0, wad(10)]);
    expect((await revert(staker, "stakeDefaultFund", [usdc(1)]))?.errorName).toBe("DefaultFundDepleted");
  });

  it("governance moves reserves and pays out the insurance fund", async () => {
    await stake(usdc(100));
    await f.govern("moveReserves", [1, 0, wad(40)]);
    await f.govern("withdrawInsurance", [other, wad(40)]);
    const [insuranceFund, defaultFund] = await read<readonly bigint[]>("reserves");
    expect([insuranceFund, defaultFund]).toEqual([0n, wad(60)]);
    const paid = await f.publicClient.readContract({ address: f.deployment.contracts.usdc, abi: testTokenAbi, functionName: "balanceOf", args: [other] });
    expect(paid).toBe(usdc(40));
  });
});

describe("oracle", () => {
  it("refuses prices from anyone but the operator, and zero prices", async () => {
    const oracle = f.deployment.contracts.oracle;
    expect((await f.revertOf(other, oracle, priceOracleAbi, "setPrice", [FEEDS.ETH, WAD]))?.errorName).toBe("NotOperator");
    expect((await f.revertOf(f.deployer, oracle, priceOracleAbi, "setPrice", [FEEDS.ETH, 0n]))?.errorName).toBe("InvalidPrice");
    expect((await f.revertOf(f.deployer, oracle, priceOracleAbi, "setPrices", [[FEEDS.ETH], []]))?.errorName).toBe("LengthMismatch");
  });

  it("a price never posted is an unknown feed", async () => {
    const unknown = await f.publicClient
      .readContract({ address: f.deployment.contracts.oracle, abi: priceOracleAbi, functionName: "getPrice", args: [`0x${"ab".repeat(32)}`] })
      .catch((e: Error) => e.message);
    expect(String(unknown)).toContain("UnknownFeed");
  });
});

it("gives the deployer no governance power after the hand-over", async () => {
  const governance = await read<`0x${string}`>("GOVERNANCE_ROLE");
  expect(await read<boolean>("hasRole", [governance, f.deployer])).toBe(false);
  expect(await read<boolean>("hasRole", [governance, f.deployment.contracts.timelock])).toBe(true);
  expect(parseEther("1")).toBe(WAD);
});
