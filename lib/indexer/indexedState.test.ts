import { describe, expect, it } from "vitest";
import { parseIndexedHistory, parseIndexedState } from "./indexedState.ts";

const market = {
  id: 0,
  symbol: "ETH-PERP",
  feedId: "0x0b43",
  imrWad: "100000000000000000",
  mmrWad: "50000000000000000",
  liquidationPenaltyWad: "20000000000000000",
  keeperShareWad: "500000000000000000",
  oiCapUsd: "60000000000000000000000000",
  concentrationCapWad: "200000000000000000",
  oracleMaxAgeSec: "3600",
  frozen: false,
  paused: false,
  unpausedAt: "0",
  longOpenInterestWad: "12400000200000000000000",
  shortOpenInterestWad: "12400000200000000000000",
};
const state = (patch: object = {}) => ({
  block: { number: "287", hash: "0x81", timestamp: "1796197516" },
  markets: [market],
  collaterals: [],
  prices: [],
  reserves: null,
  accountCount: 1,
  accounts: [{ address: "0xab", index: 0, cashWad: "-115792089237316195423570985008687907853269984665640564039457584007913129639935", balances: { "1": "7" }, positions: [] }],
  delegates: [],
  proposals: [],
  ...patch,
});

describe("parseIndexedState", () => {
  it("restores every amount as the exact bigint the wire carried as a decimal string, signed ones included", () => {
    const parsed = parseIndexedState(state());
    expect(parsed.block.number).toBe(287n);
    expect(parsed.markets[0]!.oiCapUsd).toBe(60_000_000n * 10n ** 18n);
    expect(parsed.accounts[0]!.cashWad).toBe(-(2n ** 256n - 1n));
    expect(parsed.accounts[0]!.balances).toEqual({ 1: 7n });
  });

  it.each([
    ["an amount that is not a whole number", state({ markets: [{ ...market, mmrWad: "0.05" }] }), "the indexer's state is not what Backstop expects: markets.0.mmrWad"],
    ["a missing block", state({ block: undefined }), "the indexer's state is not what Backstop expects: block"],
    ["a hash that is not hex", state({ block: { number: "1", hash: "latest", timestamp: "0" } }), "the indexer's state is not what Backstop expects: block.hash"],
  ])("%s is refused, naming the field", (_, json, message) => {
    expect(() => parseIndexedState(json)).toThrow(message);
  });
});

describe("parseIndexedHistory", () => {
  it("reads a block's system and market rows", () => {
    const [row] = parseIndexedHistory([
      { blockNumber: "9", blockHash: "0x01", timestamp: "5", insuranceFundWad: "1", defaultFundWad: "2", badDebtWad: "0", accountCount: 3, markets: [{ blockNumber: "9", marketId: 0, markPriceWad: "4", longOpenInterestWad: "5", shortOpenInterestWad: "6" }] },
    ]);
    expect(row).toMatchObject({ blockNumber: 9n, accountCount: 3, markets: [{ marketId: 0, shortOpenInterestWad: 6n }] });
  });
});
