import { BaseError, encodeErrorResult, toFunctionSelector, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { backstopGovernorAbi, backstopTimelockAbi, clearinghouseAbi } from "../contracts/abis.ts";
import { describeRevert, describeRevertData, protocolErrorsAbi } from "./describeRevert.ts";

/** A plausible argument of each ABI type, for encoding every declared error once. */
function sample(type: string): unknown {
  if (type === "address") return "0x1111111111111111111111111111111111111111";
  if (type === "bool") return true;
  if (type === "string") return "a reason";
  if (type.startsWith("bytes")) return `0x${"0".repeat(type === "bytes" ? 8 : Number(type.slice(5)) * 2 - 1)}4` as Hex;
  if (type.startsWith("int")) return -5n * 10n ** 18n;
  const bits = Number(type.replace("uint", "") || 256);
  return bits < 64 ? 1n : 7n * 10n ** 17n;
}

describe("describeRevert", () => {
  it.each([
    ["a premature execute, raised by the timelock under a governor call", encodeErrorResult({ abi: backstopTimelockAbi, errorName: "TimelockUnexpectedOperationState", args: [`0x${"ab".repeat(32)}`, `0x${"0".repeat(63)}4`] }), "the timelock operation is not ready: its delay has not passed yet, or it already ran"],
    ["a vote on a proposal no longer active", encodeErrorResult({ abi: backstopGovernorAbi, errorName: "GovernorUnexpectedProposalState", args: [1n, 4, `0x${"0".repeat(63)}2`] }), "the proposal is Succeeded; this needs it Active"],
    ["a liquidation of a healthy account", encodeErrorResult({ abi: clearinghouseAbi, errorName: "AccountHealthy", args: ["0x1234567890123456789012345678901234567890", 1500n * 10n ** 18n, 1000n * 10n ** 18n] }), "0x1234…7890 is not liquidatable: equity $1,500 is at or above maintenance margin $1,000"],
    ["a plain require message", encodeErrorResult({ abi: [{ type: "error", name: "Error", inputs: [{ type: "string", name: "message" }] }], errorName: "Error", args: ["no"] }), "no"],
  ])("%s", (_, data, words) => {
    expect(describeRevertData(data)).toBe(words);
  });

  it("says every error a protocol contract declares in words, never as its selector", () => {
    for (const error of protocolErrorsAbi) {
      const data = encodeErrorResult({ abi: [error], errorName: error.name, args: error.inputs.map((i) => sample(i.type)) } as never);
      const words = describeRevertData(data);
      const selector = toFunctionSelector(`${error.name}(${error.inputs.map((i) => i.type).join(",")})`);
      expect(words, error.name).toBeTypeOf("string");
      expect(words, error.name).not.toContain(selector);
    }
  });

  it("an error none of the contracts declares is called unknown, with no selector in the sentence", () => {
    expect(describeRevertData("0xdeadbeef")).toBeUndefined();
    const error = new BaseError("reverted", { cause: Object.assign(new Error("raw"), { data: "0xdeadbeef" }) as never });
    expect(describeRevert(error)).toBe("it reverted with an error none of the protocol's contracts declare");
  });

  it("finds the revert data deep in a viem error's chain of causes", () => {
    const data = encodeErrorResult({ abi: clearinghouseAbi, errorName: "MarketFrozen", args: [0n] });
    const error = new BaseError("simulation failed", { cause: new BaseError("call reverted", { cause: Object.assign(new Error("raw"), { data }) as never }) });
    expect(describeRevert(error)).toBe("market 0 is frozen: only trades that reduce exposure are allowed");
  });
});
