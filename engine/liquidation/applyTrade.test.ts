import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signedValue } from "../math/wad.ts";
import { fakeAddress, fakeLong, fakeSnapshot, usd, WAD } from "../testing/fakes.ts";
import type { Account } from "../types.ts";
import { applyTrade, begin, rollback, workingCopy } from "./applyTrade.ts";

const eth = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
/** Long `size` ETH-PERP opened at `from` dollars, with no cash. */
const longFrom = (size: number, from: number): Account => ({ ...fakeLong(1, 0, 0), positions: [{ marketId: 0, sizeBase: eth(size), openNotionalUsd: usd(size * from) }] });
const trade = (account: Account, delta: number, price: number, longOi = 0) => {
  const state = workingCopy(fakeSnapshot([account], { longOi }));
  applyTrade(state, account.address, 0, eth(delta), usd(price));
  return state.snapshot;
};

describe("applyTrade", () => {
  it.each([
    ["the header's example: long 1 from $3,000, sell 3 at $2,900 → −$100 realised, short 2 at −$5,800", longFrom(1, 3000), -3, 2900, -100, -2, -5800],
    ["increase: long 1 from $3,000, buy 1 at $2,000 → nothing realised, long 2 at $5,000", longFrom(1, 3000), 1, 2000, 0, 2, 5000],
    ["reduce: long 2 from $3,000, sell 1 at $3,500 → +$500 realised, long 1 at $3,000", longFrom(2, 3000), -1, 3500, 500, 1, 3000],
    ["full close: long 1 from $3,000, sell 1 at $3,000 → nothing realised, no position", longFrom(1, 3000), -1, 3000, 0, 0, 0],
    ["open from flat: buy 0.5 at $1,000 → long 0.5 at $500", fakeLong(1, 0, 0), 0.5, 1000, 0, 0.5, 500],
  ])("%s", (_, account, delta, price, cashDelta, size, openNotional) => {
    const after = trade(account, delta, price).accounts[0]!;
    expect(after.cashUsd - account.cashUsd).toBe(usd(cashDelta));
    if (size === 0) expect(after.positions).toEqual([]);
    else expect(after.positions).toEqual([{ marketId: 0, sizeBase: eth(size), openNotionalUsd: usd(openNotional) }]);
  });

  it("keeps the market's open interest in step: a flip from long 1 to short 2 takes 1 off the longs and adds 2 to the shorts", () => {
    const market = trade(longFrom(1, 3000), -3, 2900, 1).markets[0]!;
    expect(market.longOpenInterestBase).toBe(0n);
    expect(market.shortOpenInterestBase).toBe(eth(2));
  });

  it("closing in parts realises all of the open notional, to the wei: no position is left with a notional", () => {
    // Long 3 wei of size from an open notional of 10 wei: closing 1 realises floor(10/3) = 3 of it, closing the other 2 the remaining 7.
    const account: Account = { ...fakeLong(1, 0, 0), positions: [{ marketId: 0, sizeBase: 3n, openNotionalUsd: 10n }] };
    const state = workingCopy(fakeSnapshot([account]));
    applyTrade(state, account.address, 0, -1n, WAD);
    applyTrade(state, account.address, 0, -2n, WAD);
    const after = state.snapshot.accounts[0]!;
    expect(after.positions).toEqual([]);
    // Sold 3 wei of size at $1 each (3 wei of cash) against the 10 wei it cost: −7 in all.
    expect(after.cashUsd).toBe(-7n);
  });

  it("an address the snapshot has never seen gets an account of its own; the input snapshot is not changed", () => {
    const snapshot = fakeSnapshot([fakeLong(1, 100, 1)]);
    const state = workingCopy(snapshot);
    applyTrade(state, fakeAddress(9), 0, eth(1), usd(1000));
    expect(state.snapshot.accounts.map((a) => a.address)).toEqual([fakeAddress(1), fakeAddress(9)]);
    expect(snapshot.accounts).toHaveLength(1);
    expect(snapshot.markets[0]!.longOpenInterestBase).toBe(0n);
  });

  it("rollback puts back every account and market the trades changed", () => {
    const snapshot = fakeSnapshot([longFrom(1, 3000)], { longOi: 1 });
    const state = workingCopy(snapshot);
    const before = structuredClone(state.snapshot);
    begin(state);
    applyTrade(state, fakeAddress(1), 0, -eth(3), usd(2900));
    applyTrade(state, fakeAddress(7), 0, eth(3), usd(2900));
    rollback(state);
    expect(state.snapshot).toEqual(before);
  });

  it("test_fuzz_value_conserved_at_the_trade_price: cash + position value at the price moves by at most 2 wei of rounding", () => {
    const size = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
    fc.assert(
      fc.property(size, fc.bigInt({ min: 0n, max: 10n ** 30n }), size, fc.bigInt({ min: 1n, max: 10n ** 24n }), (held, openNotionalAbs, delta, price) => {
        const openNotional = held === 0n ? 0n : held > 0n ? openNotionalAbs : -openNotionalAbs;
        const account: Account = { ...fakeLong(1, 0, 0), positions: held === 0n ? [] : [{ marketId: 0, sizeBase: held, openNotionalUsd: openNotional }] };
        const value = (a: Account) => a.cashUsd + a.positions.reduce((sum, p) => sum + signedValue(p.sizeBase, price) - p.openNotionalUsd, 0n);
        const state = workingCopy(fakeSnapshot([account]));
        applyTrade(state, account.address, 0, delta, price);
        const change = value(state.snapshot.accounts[0]!) - value(account);
        expect(change >= -2n && change <= 2n).toBe(true);
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});
