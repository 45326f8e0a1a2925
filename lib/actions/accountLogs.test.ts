/**
 * applyAccountLogs on fake logs, encoded by viem from the clearinghouse's ABI (a pure function:
 * its agreement with the chain is followSnapshot.test.ts's, block after block against a full read).
 */

import { describe, expect, it } from "vitest";
import { encodeAbiParameters, encodeEventTopics, type Hex } from "viem";
import type { Account } from "../../engine/types.ts";
import { clearinghouseAbi } from "../contracts/abis.ts";
import { applyAccountLogs } from "./accountLogs.ts";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const C = "0x00000000000000000000000000000000000000cc";
const venue = { marketCount: 3, collateralCount: 2 };

/** A log of `eventName` with `args` (indexed ones in the topics, the rest in the data), as the node returns it. */
function fakeLog(eventName: string, args: Record<string, unknown>): { topics: [Hex, ...Hex[]]; data: Hex } {
  const event = clearinghouseAbi.find((item) => item.type === "event" && item.name === eventName) as { inputs: readonly { name: string; type: string; indexed?: boolean }[] };
  const topics = encodeEventTopics({ abi: clearinghouseAbi, eventName, args } as never) as [Hex, ...Hex[]];
  const unindexed = event.inputs.filter((input) => !input.indexed);
  return { topics, data: encodeAbiParameters(unindexed, unindexed.map((input) => args[input.name])) };
}

const fakeAccounts = (): Account[] => [
  { address: A, cashUsd: 100n, balancesNative: [10n, 0n], positions: [{ marketId: 0, sizeBase: 5n, openNotionalUsd: 50n }, { marketId: 2, sizeBase: -1n, openNotionalUsd: -30n }] },
  { address: B, cashUsd: -7n, balancesNative: [0n, 3n], positions: [] },
];
const rowsOf = (accounts: Account[]) => new Map(accounts.map((a, row) => [a.address as string, row]));

describe("applyAccountLogs", () => {
  it("sets cash and positions to the events' values, moves balances by their amounts, appends registrations; the old objects untouched", () => {
    const before = fakeAccounts();
    const frozen = structuredClone(before);
    const accounts = before.slice();
    const rows = rowsOf(before);
    const changed = applyAccountLogs(accounts, rows, [
      fakeLog("CashUpdated", { account: A, cash: -(10n ** 30n) }),
      fakeLog("PositionUpdated", { account: A, marketId: 1n, size: -4n, openNotional: -40n }),
      fakeLog("PositionUpdated", { account: A, marketId: 2n, size: 0n, openNotional: 0n }),
      fakeLog("PositionUpdated", { account: A, marketId: 0n, size: 6n, openNotional: 61n }),
      fakeLog("Withdrawn", { account: A, assetId: 0n, amount: 4n }),
      fakeLog("CollateralSeized", { account: B, assetId: 1n, amount: 3n }),
      fakeLog("Traded", { taker: A, maker: B, marketId: 0n, sizeDelta: 1n, priceWad: 10n ** 18n }),
      fakeLog("AccountRegistered", { account: C, index: 2n }),
      fakeLog("Deposited", { account: C, payer: A, assetId: 1n, amount: 9n }),
    ], venue);
    expect(changed).toEqual([0, 1, 2]);
    // The rows returned are those whose object is new (engine rememberRowsChanged takes them as the block's diff).
    expect(changed).toEqual(accounts.flatMap((account, row) => (account === before[row] ? [] : [row])));
    expect(accounts).toEqual([
      { address: A, cashUsd: -(10n ** 30n), balancesNative: [6n, 0n], positions: [{ marketId: 0, sizeBase: 6n, openNotionalUsd: 61n }, { marketId: 1, sizeBase: -4n, openNotionalUsd: -40n }] },
      { address: B, cashUsd: -7n, balancesNative: [0n, 0n], positions: [] },
      { address: C, cashUsd: 0n, balancesNative: [0n, 9n], positions: [] },
    ]);
    expect(rows.get(C)).toBe(2);
    expect(before).toEqual(frozen);
  });

  it("returns only the rows its logs replaced: the others keep their objects", () => {
    const before = fakeAccounts();
    const accounts = before.slice();
    const changed = applyAccountLogs(accounts, rowsOf(before), [fakeLog("CashUpdated", { account: B, cash: 5n })], venue);
    expect(changed).toEqual([1]);
    expect(accounts[0]).toBe(before[0]);
    expect(accounts[1]).not.toBe(before[1]);
  });

  it("a block with no account event changes nothing", () => {
    const accounts = fakeAccounts();
    const same = accounts.slice();
    expect(applyAccountLogs(same, rowsOf(accounts), [fakeLog("InsuranceFunded", { from: A, amountWad: 5n })], venue)).toEqual([]);
    expect(same.every((a, row) => a === accounts[row])).toBe(true);
  });

  it("is undefined for logs that do not fit what was kept: an unknown event, an unregistered account, a registration out of order, a balance below zero, an id past the venue's", () => {
    const apply = (log: { topics: [Hex, ...Hex[]]; data: Hex }) => applyAccountLogs(fakeAccounts(), rowsOf(fakeAccounts()), [log], venue);
    expect(apply({ topics: [`0x${"ab".repeat(32)}`], data: "0x" })).toBeUndefined();
    expect(apply(fakeLog("CashUpdated", { account: C, cash: 1n }))).toBeUndefined();
    expect(apply(fakeLog("AccountRegistered", { account: C, index: 5n }))).toBeUndefined();
    expect(apply(fakeLog("AccountRegistered", { account: A, index: 2n }))).toBeUndefined();
    expect(apply(fakeLog("Withdrawn", { account: B, assetId: 1n, amount: 4n }))).toBeUndefined();
    expect(apply(fakeLog("Deposited", { account: B, payer: A, assetId: 2n, amount: 1n }))).toBeUndefined();
    expect(apply(fakeLog("PositionUpdated", { account: B, marketId: 3n, size: 1n, openNotional: 1n }))).toBeUndefined();
    expect(apply({ ...fakeLog("CashUpdated", { account: A, cash: 1n }), data: "0x01" })).toBeUndefined();
  });
});
