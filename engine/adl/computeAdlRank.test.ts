import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_UINT256, WAD } from "../math/wad.ts";
import { computeAdlRank } from "./computeAdlRank.ts";

const usd = (x: bigint) => x * WAD;

describe("computeAdlRank", () => {
  it("ranks the header's example by hand: short 2 ETH from $3,000 at $2,000, account notional $4,000 over equity $7,000", () => {
    // uPnL = −2·2,000 − (−6,000) = $2,000; pnlPct = ⌊2,000·10¹⁸ / 6,000⌋ = 333…333 (18 threes);
    // rank = ⌊333…333 · 4,000 / 7,000⌋ = ⌊1,333…332 / 7⌋ = 190,476,190,476,190,476.
    const rank = computeAdlRank({ sizeBase: -2n * WAD, openNotionalUsd: usd(-6_000n), markPriceWad: usd(2_000n), accountEquityUsd: usd(7_000n), accountNotionalUsd: usd(4_000n) });
    expect(rank).toBe(190_476_190_476_190_476n);
  });

  it("leaves positions at a loss or flat unranked: the contract deleverages only profit", () => {
    const long = { sizeBase: WAD, openNotionalUsd: usd(1_000n), accountEquityUsd: usd(500n), accountNotionalUsd: usd(1_000n) };
    expect(computeAdlRank({ ...long, markPriceWad: usd(900n) })).toBeNull();
    expect(computeAdlRank({ ...long, markPriceWad: usd(1_000n) })).toBeNull();
    expect(computeAdlRank({ ...long, markPriceWad: usd(1_001n) })).not.toBeNull();
  });

  it("puts an account with no equity first in line (2²⁵⁶ − 1), however small its profit", () => {
    const base = { sizeBase: WAD, openNotionalUsd: usd(1_000n), markPriceWad: usd(1_001n), accountNotionalUsd: usd(1_001n) };
    expect(computeAdlRank({ ...base, accountEquityUsd: 0n })).toBe(MAX_UINT256);
    expect(computeAdlRank({ ...base, accountEquityUsd: -1n })).toBe(MAX_UINT256);
  });

  it("divides by one wei when the open notional is zero (a position opened at a zero price)", () => {
    // uPnL = 1 wei over max(0, 1) wei → pnlPct = 10¹⁸ (100 %); rank = ⌊10¹⁸ · 5 / 2⌋.
    expect(computeAdlRank({ sizeBase: 1n, openNotionalUsd: 0n, markPriceWad: WAD, accountEquityUsd: 2n, accountNotionalUsd: 5n })).toBe(25n * 10n ** 17n);
  });

  it("test_fuzz_more_leverage_or_more_profit_never_lowers_the_rank", () => {
    const position = fc.record({ size: fc.bigInt({ min: 1n, max: 10n ** 24n }), entry: fc.bigInt({ min: 1n, max: 10n ** 24n }), gain: fc.bigInt({ min: 1n, max: 10n ** 22n }), equity: fc.bigInt({ min: 1n, max: 10n ** 30n }), more: fc.bigInt({ min: 1n, max: 10n ** 22n }) });
    fc.assert(
      fc.property(position, ({ size, entry, gain, equity, more }) => {
        const openNotionalUsd = (size * entry) / WAD;
        const at = (mark: bigint, accountEquityUsd: bigint) => computeAdlRank({ sizeBase: size, openNotionalUsd, markPriceWad: mark, accountEquityUsd, accountNotionalUsd: (size * mark) / WAD });
        const rank = at(entry + gain, equity);
        if (rank === null) return; // the gain floored to no profit
        expect(at(entry + gain, equity + more)! <= rank).toBe(true); // more equity, less leverage
        expect(at(entry + gain + more, equity)! >= rank).toBe(true); // more profit
      }),
      { numRuns: 500, seed: 41 },
    );
  });
});
