import fc from "fast-check";
import { decodeFunctionResult, encodeFunctionData, encodeFunctionResult, multicall3Abi, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { clearinghouseLensAbi } from "../contracts/abis.ts";
import { decodeAccountsAggregate, encodeAccountsAggregate, MalformedReturnDataError } from "./accountCodec.ts";

const LENS = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;

/** A lens AccountView as viem takes it for encoding (fake data for the codec's pure functions). */
const fakeAccountView = fc.record({
  account: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => `0x${Buffer.from(bytes).toString("hex")}` as Hex),
  cash: fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }),
  balances: fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.constant(0n)), { maxLength: 4 }),
  positions: fc.array(fc.record({ marketId: fc.bigInt({ min: 0n, max: 40n }), size: fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }), openNotional: fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n }) }), { maxLength: 4 }),
});

/** What the node returns for aggregate3 over calls that each returned `perCall`, encoded by viem. */
function fakeAggregateResult(perCall: (typeof fakeAccountView extends fc.Arbitrary<infer T> ? T : never)[][]): Hex {
  const returnData = perCall.map((accounts) => encodeFunctionResult({ abi: clearinghouseLensAbi, functionName: "getAccounts", result: accounts }));
  return encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: returnData.map((data) => ({ success: true, returnData: data })) });
}

/** The same bytes decoded by viem, then reshaped as readSnapshot did before the codec (addresses lower-cased, market ids as numbers). */
function viaViem(data: Hex) {
  const results = decodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", data });
  return results.flatMap((r) =>
    decodeFunctionResult({ abi: clearinghouseLensAbi, functionName: "getAccounts", data: r.returnData }).map((a) => ({
      address: a.account.toLowerCase(),
      cashUsd: a.cash,
      balancesNative: [...a.balances],
      positions: a.positions.map((p) => ({ marketId: Number(p.marketId), sizeBase: p.size, openNotionalUsd: p.openNotional })),
    })),
  );
}

describe("accountCodec", () => {
  it("test_fuzz_calldata_equals_viems: aggregate3 over getAccounts calls, byte for byte", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ offset: fc.nat({ max: 2 ** 40 }), limit: fc.nat({ max: 1000 }) }), { maxLength: 12 }), (calls) => {
        const expected = encodeFunctionData({
          abi: multicall3Abi,
          functionName: "aggregate3",
          args: [calls.map(({ offset, limit }) => ({ target: LENS, allowFailure: false, callData: encodeFunctionData({ abi: clearinghouseLensAbi, functionName: "getAccounts", args: [BigInt(offset), BigInt(limit)] }) }))],
        });
        expect(encodeAccountsAggregate(LENS, calls)).toBe(expected);
      }),
      { numRuns: 300, seed: 71 },
    );
  });

  it("test_fuzz_decoded_accounts_equal_viems: any number of calls of any number of accounts, extreme values, empty arrays", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fakeAccountView, { maxLength: 3 }), { maxLength: 6 }), (perCall) => {
        const data = fakeAggregateResult(perCall);
        expect(decodeAccountsAggregate(data)).toEqual(viaViem(data));
      }),
      { numRuns: 400, seed: 72 },
    );
  });

  it("refuses malformed return data with the place named, never a wrong account", () => {
    const data = fakeAggregateResult([[{ account: LENS, cash: -5n, balances: [1n, 2n], positions: [{ marketId: 1n, size: -3n, openNotional: 7n }] }]]);
    expect(decodeAccountsAggregate(data)).toEqual([{ address: LENS.toLowerCase(), cashUsd: -5n, balancesNative: [1n, 2n], positions: [{ marketId: 1, sizeBase: -3n, openNotionalUsd: 7n }] }]);
    // Cut short by a word: an offset or length then points past the end.
    expect(() => decodeAccountsAggregate(data.slice(0, -64) as Hex)).toThrow(MalformedReturnDataError);
    // Not whole words.
    expect(() => decodeAccountsAggregate(`${data}00` as Hex)).toThrow(/not whole 32-byte words/);
    // The array's offset made huge.
    expect(() => decodeAccountsAggregate(`0x${"f".repeat(64)}${data.slice(66)}` as Hex)).toThrow(/too large/);
    // A call that failed, as Multicall3 reports one allowed to fail.
    const failed = encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: [{ success: false, returnData: "0x" }] });
    expect(() => decodeAccountsAggregate(failed)).toThrow(/call 0 failed/);
    // A call to an address with no code returns nothing.
    const empty = encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: [{ success: true, returnData: "0x" }] });
    expect(() => decodeAccountsAggregate(empty)).toThrow(/returned no data/);
  });
});
