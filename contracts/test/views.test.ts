/**
 * The read side and the peripheral contracts on a real anvil: the lens (one call per snapshot
 * part, 500 accounts per page inside an eth_call), the clearinghouse's own views, role
 * administration, the operator-posted oracle's ownership, the Chainlink adapter over a
 * Chainlink-shaped feed, and Multicall3 at its canonical address.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeFunctionData, getAddress, pad, toHex, type Abi, type Address, type Hex } from "viem";
import {
  chainlinkFeedAdapterAbi,
  clearinghouseAbi,
  clearinghouseLensAbi,
  multicall3Abi,
  priceOracleAbi,
  testAggregatorAbi,
  testTokenAbi,
} from "../../lib/contracts/abis.ts";
import { chainlinkFeedAdapterBytecode, testAggregatorBytecode } from "../../lib/contracts/bytecode.ts";
import { demoMarkets } from "../../lib/contracts/deployProtocol.ts";
import { MULTICALL3 as MULTICALL3_ADDRESS } from "../../lib/chain.ts";
import { createFixture, FEEDS, MARKET, usdc, wad, WAD, type Fixture } from "../../lib/testing/fixture.ts";

let f: Fixture;
let trader: Address, maker: Address, other: Address, staker: Address;

beforeAll(async () => {
  f = await createFixture();
  [, trader, maker, , other, staker] = f.dev as [Address, Address, Address, Address, Address, Address];
});
afterAll(async () => f?.stop());
beforeEach(async () => f.reset());

const read = <T>(address: Address, abi: Abi, functionName: string, args: unknown[] = []) =>
  f.publicClient.readContract({ address, abi, functionName, args } as never) as Promise<T>;
const chRead = <T>(functionName: string, args: unknown[] = []) => read<T>(f.ch, clearinghouseAbi, functionName, args);
const lensRead = <T>(functionName: string, args: unknown[] = []) => read<T>(f.deployment.contracts.lens, clearinghouseLensAbi, functionName, args);
const call = (from: Address, functionName: string, args: unknown[] = []) => f.write(from, f.ch, clearinghouseAbi, functionName, args);

async function mintApprove(who: Address, amount: bigint, spender: Address = f.ch) {
  await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [who, amount]);
  await f.write(who, f.deployment.contracts.usdc, testTokenAbi, "approve", [spender, amount]);
}

async function deploy(abi: Abi, bytecode: Hex, args: unknown[]): Promise<Address> {
  const { createWalletClient, http } = await import("viem");
  const { foundry } = await import("viem/chains");
  const wallet = createWalletClient({ chain: foundry, account: f.deployer, transport: http(f.anvil.rpcUrl) });
  const hash = await wallet.deployContract({ abi, bytecode, args });
  return (await f.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
}

type MarketView = { id: bigint; symbol: string; feedId: Hex; markPrice: bigint; priceUpdatedAt: bigint; params: Record<string, bigint>; frozen: boolean; paused: boolean; unpausedAt: bigint; longOpenInterest: bigint; shortOpenInterest: bigint };
type CollateralView = { id: bigint; token: Address; symbol: string; decimals: number; price: bigint; params: { weight: bigint; depositCap: bigint; oracleMaxAge: bigint }; frozen: boolean; totalDeposits: bigint; seized: bigint };
type AccountView = { account: Address; cash: bigint; balances: readonly bigint[]; positions: readonly { marketId: bigint; size: bigint; openNotional: bigint }[] };

describe("lens", () => {
  it("getMarkets returns every market with its mark price, parameters, flags and open interest", async () => {
    await f.depositUsdc(trader, usdc(10_000));
    await f.depositUsdc(maker, usdc(10_000));
    await call(f.deployer, "trade", [trader, maker, MARKET.BTC, wad(0.1)]);
    await f.govern("setMarketFrozen", [MARKET.SOL, true]);
    const markets = await lensRead<readonly MarketView[]>("getMarkets");
    expect(markets.map((m) => [m.id, m.symbol, m.markPrice])).toEqual(demoMarkets.map((m, i) => [BigInt(i), m.symbol, BigInt(m.price) * WAD]));
    expect(markets[0]!.params).toEqual(demoMarkets[0].params);
    expect(markets[0]!.feedId).toBe(FEEDS.ETH);
    expect([markets[1]!.longOpenInterest, markets[1]!.shortOpenInterest]).toEqual([wad(0.1), wad(0.1)]);
    expect(markets.map((m) => m.frozen)).toEqual([false, false, true]);
    expect(markets[0]!.priceUpdatedAt).toBeGreaterThan(0n);
  });

  it("getMarkets reports a market whose feed has no price as price 0 instead of reverting", async () => {
    await f.govern("listMarket", ["NEW-PERP", `0x${"11".repeat(32)}`, demoMarkets[0].params]);
    const markets = await lensRead<readonly MarketView[]>("getMarkets");
    expect([markets[3]!.symbol, markets[3]!.markPrice, markets[3]!.priceUpdatedAt]).toEqual(["NEW-PERP", 0n, 0n]);
  });

  it("a market listed before its first price is stale where used and stops nothing else", async () => {
    const feed = `0x${"11".repeat(32)}` as Hex;
    await f.govern("listMarket", ["NEW-PERP", feed, demoMarkets[0].params]);
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(1000));
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(0.1)]);
    const failure = await f.revertOf(f.deployer, f.ch, clearinghouseAbi, "trade", [trader, maker, 3n, wad(1)]);
    expect(failure).toEqual({ errorName: "StalePrice", args: [feed, 0n, 3600n] });
  });

  it("getCollaterals returns token metadata, price, parameters, deposits and seized amounts", async () => {
    await f.depositUsdc(trader, usdc(250));
    const collaterals = await lensRead<readonly CollateralView[]>("getCollaterals");
    expect(collaterals.map((c) => [c.id, c.symbol, c.decimals, c.token])).toEqual([
      [0n, "USDC", 6, getAddress(f.deployment.contracts.usdc)],
      [1n, "WETH", 18, getAddress(f.deployment.contracts.weth)],
    ]);
    expect(collaterals.map((c) => c.price)).toEqual([WAD, wad(3000)]);
    expect(collaterals[1]!.params.weight).toBe(wad(0.8));
    expect([collaterals[0]!.totalDeposits, collaterals[0]!.seized, collaterals[0]!.frozen]).toEqual([usdc(250), 0n, false]);
  });

  it("getReserves returns both funds, shares, bad debt and the global parameters", async () => {
    await mintApprove(staker, usdc(300));
    await call(staker, "stakeDefaultFund", [usdc(200)]);
    await call(staker, "fundInsurance", [usdc(100)]);
    await call(staker, "requestDefaultFundWithdrawal", [wad(50)]);
    await f.govern("setAdlMode", [1]);
    const r = await lensRead<Record<string, bigint | number>>("getReserves");
    expect(r).toEqual({
      insuranceFund: wad(100),
      defaultFund: wad(200),
      defaultFundShares: wad(200),
      pendingWithdrawalShares: wad(50),
      badDebt: 0n,
      adlMode: 1,
      gracePeriod: 900n,
      defaultFundCooldown: 7n * 86_400n,
    });
  });

  it("getAccounts pages the accounts in registration order with cash, balances and positions", async () => {
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(1000));
    await f.depositUsdc(other, usdc(5));
    await call(f.deployer, "trade", [trader, maker, MARKET.SOL, wad(2)]);
    expect(await lensRead<bigint>("accountCount")).toBe(3n);
    const page = await lensRead<readonly AccountView[]>("getAccounts", [0n, 2n]);
    expect(page.map((a) => a.account)).toEqual([trader, maker]);
    expect(page[0]).toEqual({ account: trader, cash: 0n, balances: [usdc(1000), 0n], positions: [{ marketId: MARKET.SOL, size: wad(2), openNotional: wad(300) }] });
    expect((await lensRead<readonly AccountView[]>("getAccounts", [2n, 10n])).map((a) => a.account)).toEqual([other]);
    expect(await lensRead<readonly AccountView[]>("getAccounts", [3n, 10n])).toEqual([]);
    expect(await lensRead<readonly AccountView[]>("getAccounts", [99n, 10n])).toEqual([]);
  });

  it("a page of 500 accounts, each with collateral and two positions, fits in one eth_call", async () => {
    // Matched through Multicall3 as the matcher: 500 deposits and 500 trades in a few blocks.
    const mc = MULTICALL3_ADDRESS;
    await f.govern("grantRole", [await chRead<Hex>("MATCHER_ROLE"), mc]);
    await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [mc, usdc(1_000_000)]);
    const accounts = Array.from({ length: 500 }, (_, i) => pad(toHex(0x10000 + i), { size: 20 }) as Address);
    const calls = [
      { target: f.deployment.contracts.usdc, allowFailure: false, callData: encodeFunctionData({ abi: testTokenAbi, functionName: "approve", args: [f.ch, usdc(1_000_000)] }) },
      ...accounts.map((a) => ({ target: f.ch, allowFailure: false, callData: encodeFunctionData({ abi: clearinghouseAbi, functionName: "depositFor", args: [a, 0n, usdc(1000)] }) })),
      ...accounts.flatMap((a, i) =>
        i % 2 === 1
          ? []
          : [MARKET.ETH, MARKET.BTC].map((m) => ({ target: f.ch, allowFailure: false, callData: encodeFunctionData({ abi: clearinghouseAbi, functionName: "trade", args: [a, accounts[i + 1]!, m, wad(0.01)] }) })),
      ),
    ];
    for (let i = 0; i < calls.length; i += 100) {
      await f.write(f.deployer, mc, multicall3Abi, "aggregate3", [calls.slice(i, i + 100)]);
    }
    expect(await lensRead<bigint>("accountCount")).toBe(500n);
    const gas = await f.publicClient.estimateGas({ to: f.deployment.contracts.lens, data: encodeFunctionData({ abi: clearinghouseLensAbi, functionName: "getAccounts", args: [0n, 500n] }) });
    // Geth's default eth_call gas cap is 50M and anvil's block gas limit 30M: stay well under both.
    expect(gas).toBeLessThan(20_000_000n);
    const page = await lensRead<readonly AccountView[]>("getAccounts", [0n, 500n]);
    expect(page).toHaveLength(500);
    expect(page[499]!.positions.map((p) => p.size)).toEqual([-wad(0.01), -wad(0.01)]);
  }, 60_000);
});

describe("clearinghouse views", () => {
  it("counts markets and collaterals, and lists accounts in registration order", async () => {
    expect([await chRead<bigint>("marketCount"), await chRead<bigint>("collateralCount")]).toEqual([3n, 2n]);
    await f.depositUsdc(maker, usdc(1));
    await f.depositUsdc(trader, usdc(1));
    await f.depositUsdc(maker, usdc(1));
    expect(await chRead<bigint>("accountCount")).toBe(2n);
    expect([await chRead<Address>("accountAt", [0n]), await chRead<Address>("accountAt", [1n])]).toEqual([maker, trader]);
  });

  it("isOperator follows setOperator", async () => {
    expect(await chRead<boolean>("isOperator", [trader, other])).toBe(false);
    await call(trader, "setOperator", [other, true]);
    expect(await chRead<boolean>("isOperator", [trader, other])).toBe(true);
    await call(trader, "setOperator", [other, false]);
    expect(await chRead<boolean>("isOperator", [trader, other])).toBe(false);
  });

  it("the holder list grows on open and swap-removes on close, in any order", async () => {
    for (const a of [trader, maker, other, staker]) await f.depositUsdc(a, usdc(10_000));
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(1)]);
    await call(f.deployer, "trade", [other, staker, MARKET.ETH, wad(1)]);
    expect(await chRead<bigint>("marketHolderCount", [MARKET.ETH])).toBe(4n);
    // Close the first holder (the last one moves into its slot), then the moved one, then the rest.
    await call(f.deployer, "trade", [trader, other, MARKET.ETH, -wad(1)]);
    expect(await chRead<bigint>("marketHolderCount", [MARKET.ETH])).toBe(3n);
    await call(f.deployer, "trade", [staker, maker, MARKET.ETH, wad(1)]);
    expect(await chRead<bigint>("marketHolderCount", [MARKET.ETH])).toBe(2n);
    await call(f.deployer, "trade", [maker, other, MARKET.ETH, wad(2)]);
    expect(await chRead<bigint>("marketHolderCount", [MARKET.ETH])).toBe(0n);
    await call(f.deployer, "trade", [staker, trader, MARKET.ETH, wad(0.5)]);
    expect(await chRead<bigint>("marketHolderCount", [MARKET.ETH])).toBe(2n);
  });

  it("defaultFundPosition and globalParams report a member's cooldown and the global parameters", async () => {
    await mintApprove(staker, usdc(10));
    await call(staker, "stakeDefaultFund", [usdc(10)]);
    const receipt = await call(staker, "requestDefaultFundWithdrawal", [wad(4)]);
    const { timestamp } = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(await chRead<readonly bigint[]>("defaultFundPosition", [staker])).toEqual([wad(10), wad(4), timestamp + 7n * 86_400n]);
    expect(await chRead<readonly unknown[]>("globalParams")).toEqual([0, 900n, 7n * 86_400n]);
  });

  it("frozen collateral can still be withdrawn", async () => {
    await f.depositUsdc(trader, usdc(100));
    await f.govern("setCollateralFrozen", [0n, true]);
    await call(trader, "withdraw", [0n, usdc(100)]);
    const [, balances] = await chRead<readonly [bigint, readonly bigint[]]>("getAccount", [trader]);
    expect(balances[0]).toBe(0n);
  });
});

describe("role administration", () => {
  it("governance administers every role and the deployer keeps only the matcher role", async () => {
    const [governance, matcher, admin] = await Promise.all(["GOVERNANCE_ROLE", "MATCHER_ROLE", "DEFAULT_ADMIN_ROLE"].map((r) => chRead<Hex>(r)));
    for (const role of [governance, matcher, admin]) expect(await chRead<Hex>("getRoleAdmin", [role])).toBe(governance);
    expect(await chRead<boolean>("hasRole", [matcher, f.deployer])).toBe(true);
    expect(await chRead<boolean>("hasRole", [governance, f.deployer])).toBe(false);
  });

  it("a matcher granted by governance settles trades until governance revokes it", async () => {
    const matcher = await chRead<Hex>("MATCHER_ROLE");
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(1000));
    await f.govern("grantRole", [matcher, other]);
    await call(other, "trade", [trader, maker, MARKET.ETH, wad(0.1)]);
    await f.govern("revokeRole", [matcher, other]);
    expect((await f.revertOf(other, f.ch, clearinghouseAbi, "trade", [trader, maker, MARKET.ETH, wad(0.1)]))?.errorName).toBe("Unauthorized");
  });

  it("the deployer can renounce its matcher role, but only for itself", async () => {
    const matcher = await chRead<Hex>("MATCHER_ROLE");
    expect((await f.revertOf(f.deployer, f.ch, clearinghouseAbi, "renounceRole", [matcher, other]))?.errorName).toBe("AccessControlBadConfirmation");
    await call(f.deployer, "renounceRole", [matcher, f.deployer]);
    expect(await chRead<boolean>("hasRole", [matcher, f.deployer])).toBe(false);
    expect((await f.revertOf(f.deployer, f.ch, clearinghouseAbi, "grantRole", [matcher, f.deployer]))?.errorName).toBe("AccessControlUnauthorizedAccount");
  });

  it("supports the AccessControl and ERC165 interfaces", async () => {
    expect(await chRead<boolean>("supportsInterface", ["0x7965db0b"])).toBe(true);
    expect(await chRead<boolean>("supportsInterface", ["0x01ffc9a7"])).toBe(true);
    expect(await chRead<boolean>("supportsInterface", ["0xffffffff"])).toBe(false);
  });

  it("exposes the validation bounds it enforces", async () => {
    const bounds = await Promise.all(["MAX_GRACE_PERIOD", "MAX_COOLDOWN", "MIN_ORACLE_MAX_AGE", "MAX_ORACLE_MAX_AGE", "MAX_MARKETS"].map((n) => chRead<bigint>(n)));
    expect(bounds).toEqual([7n * 86_400n, 90n * 86_400n, 60n, 7n * 86_400n, 256n]);
  });
});

describe("price oracle", () => {
  it("belongs to the timelock, which alone chooses the operator", async () => {
    const oracle = f.deployment.contracts.oracle;
    expect(getAddress(await read<Address>(oracle, priceOracleAbi, "owner"))).toBe(getAddress(f.deployment.contracts.timelock));
    expect((await f.revertOf(f.deployer, oracle, priceOracleAbi, "setOperator", [other]))?.errorName).toBe("OwnableUnauthorizedAccount");
    expect((await f.revertOf(f.deployer, oracle, priceOracleAbi, "transferOwnership", [other]))?.errorName).toBe("OwnableUnauthorizedAccount");
    await f.write(f.deployment.contracts.timelock, oracle, priceOracleAbi, "setOperator", [other]);
    expect(getAddress(await read<Address>(oracle, priceOracleAbi, "operator"))).toBe(getAddress(other));
    expect((await f.revertOf(f.deployer, oracle, priceOracleAbi, "setPrice", [FEEDS.ETH, WAD]))?.errorName).toBe("NotOperator");
    await f.write(other, oracle, priceOracleAbi, "setPrices", [[FEEDS.ETH, FEEDS.BTC], [wad(2500), wad(60_000)]]);
    expect((await read<readonly bigint[]>(oracle, priceOracleAbi, "getPrice", [FEEDS.BTC]))[0]).toBe(wad(60_000));
  });
});

describe("Chainlink feed adapter", () => {
  let adapter: Address;
  const feed = FEEDS.ETH;
  const setAnswer = async (aggregator: Address, answer: bigint) => f.write(f.deployer, aggregator, testAggregatorAbi, "setAnswer", [answer, 0n]);
  beforeEach(async () => {
    adapter = await deploy(chainlinkFeedAdapterAbi, chainlinkFeedAdapterBytecode.bytecode, [f.deployer]);
  });

  const cases: { name: string; decimals: number; answer: bigint; price: bigint }[] = [
    { name: "an 8-decimal answer is scaled up to 18 decimals", decimals: 8, answer: 3000_12345678n, price: wad("3000.12345678") },
    { name: "an 18-decimal answer passes through", decimals: 18, answer: wad(1), price: WAD },
    { name: "a 20-decimal answer is scaled down, rounding down", decimals: 20, answer: 123_456n, price: 1234n },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const aggregator = await deploy(testAggregatorAbi, testAggregatorBytecode.bytecode, [c.decimals, f.deployer]);
      await f.write(f.deployer, adapter, chainlinkFeedAdapterAbi, "setAggregator", [feed, aggregator]);
      const receipt = await setAnswer(aggregator, c.answer);
      const { timestamp } = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      expect(await read<readonly bigint[]>(adapter, chainlinkFeedAdapterAbi, "getPrice", [feed])).toEqual([c.price, timestamp]);
    });
  }

  it("rejects a zero or negative answer, an unknown feed, and a stranger setting aggregators", async () => {
    const aggregator = await deploy(testAggregatorAbi, testAggregatorBytecode.bytecode, [8, f.deployer]);
    await f.write(f.deployer, adapter, chainlinkFeedAdapterAbi, "setAggregator", [feed, aggregator]);
    expect(getAddress(await read<Address>(adapter, chainlinkFeedAdapterAbi, "aggregators", [feed]))).toBe(getAddress(aggregator));
    const priceError = () => f.revertOf(f.deployer, adapter, chainlinkFeedAdapterAbi, "getPrice", [feed]);
    expect((await priceError())?.errorName).toBe("InvalidAnswer");
    await setAnswer(aggregator, -1n);
    expect((await priceError())?.errorName).toBe("InvalidAnswer");
    expect((await f.revertOf(f.deployer, adapter, chainlinkFeedAdapterAbi, "getPrice", [FEEDS.SOL]))?.errorName).toBe("UnknownFeed");
    expect((await f.revertOf(other, adapter, chainlinkFeedAdapterAbi, "setAggregator", [feed, aggregator]))?.errorName).toBe("OwnableUnauthorizedAccount");
  });

  it("can price the clearinghouse once governance points it there", async () => {
    const aggregators: Record<string, bigint> = { [FEEDS.ETH]: 3000n, [FEEDS.BTC]: 65_000n, [FEEDS.SOL]: 150n, [FEEDS.USDC]: 1n };
    for (const [feedId, price] of Object.entries(aggregators)) {
      const aggregator = await deploy(testAggregatorAbi, testAggregatorBytecode.bytecode, [8, f.deployer]);
      await setAnswer(aggregator, price * 10n ** 8n);
      await f.write(f.deployer, adapter, chainlinkFeedAdapterAbi, "setAggregator", [feedId, aggregator]);
    }
    await f.govern("setOracle", [adapter]);
    await f.depositUsdc(trader, usdc(1000));
    await f.depositUsdc(maker, usdc(1000));
    await call(f.deployer, "trade", [trader, maker, MARKET.ETH, wad(1)]);
    expect(await chRead<readonly bigint[]>("accountRisk", [trader])).toEqual([wad(1000), wad(150), wad(300)]);
  });
});

describe("Multicall3 at its canonical address", () => {
  const mc = MULTICALL3_ADDRESS;
  it("answers the block getters viem and wagmi use", async () => {
    expect(await read<bigint>(mc, multicall3Abi, "getChainId")).toBe(31337n);
    const block = await f.publicClient.getBlock();
    expect(await read<bigint>(mc, multicall3Abi, "getBlockNumber")).toBe(block.number);
    expect(await read<bigint>(mc, multicall3Abi, "getCurrentBlockGasLimit")).toBeGreaterThan(0n);
    expect(await read<bigint>(mc, multicall3Abi, "getEthBalance", [f.deployer])).toBeGreaterThan(0n);
  });

  it("aggregate3 returns each call's outcome and reverts only for a call that may not fail", async () => {
    const good = { target: f.ch, callData: encodeFunctionData({ abi: clearinghouseAbi, functionName: "marketCount" }) };
    const bad = { target: f.ch, callData: encodeFunctionData({ abi: clearinghouseAbi, functionName: "getMarket", args: [9n] }) };
    const { result } = await f.publicClient.simulateContract({ address: mc, abi: multicall3Abi, functionName: "aggregate3", args: [[{ ...good, allowFailure: false }, { ...bad, allowFailure: true }]] });
    expect(result.map((r) => r.success)).toEqual([true, false]);
    const strict = f.publicClient.simulateContract({ address: mc, abi: multicall3Abi, functionName: "aggregate3", args: [[{ ...bad, allowFailure: false }]] });
    await expect(strict).rejects.toThrow("Multicall3: call failed");
    const legacy = await f.publicClient.simulateContract({ address: mc, abi: multicall3Abi, functionName: "aggregate", args: [[good]] });
    expect(legacy.result[1]).toHaveLength(1);
    const value = f.publicClient.simulateContract({ address: mc, abi: multicall3Abi, functionName: "aggregate3Value", args: [[{ ...good, allowFailure: false, value: 0n }]], value: 1n, account: f.deployer });
    await expect(value).rejects.toThrow("Multicall3: value mismatch");
  });
});
