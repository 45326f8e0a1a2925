import { encodeFunctionData, zeroHash } from "viem";
import { describe, expect, it } from "vitest";
import { decodeCall, encodeChange } from "../../codec/governanceCodec.ts";
import { backstopTimelockAbi } from "../../contracts/abis.ts";
import { buildProposal, startAction, type BuildProposalContext } from "../../forms/buildProposal.ts";
import { fakeDeployment } from "../../testing/fakeDeployment.ts";
import { describeChange, wordsOf } from "./index.ts";

const context: BuildProposalContext = { markets: [{ id: 0, symbol: "ETH-PERP", params: { imrWad: "1", mmrWad: "1", liquidationPenaltyWad: "0", keeperShareWad: "0", oiCapUsd: "1", concentrationCapWad: "1", oracleMaxAgeSec: "60" } }], collaterals: [], deployment: fakeDeployment };
const delay = (seconds: string) => buildProposal([{ ...startAction("timelock-delay", context), values: { seconds } }], context);

describe("the timelock's minimum delay", () => {
  it("is offered by the builder and proposed as updateDelay on the timelock itself", () => {
    const built = delay("172800");
    expect(built).toMatchObject({ errors: [], warnings: [], changes: [{ kind: "setTimelockDelay", seconds: 172_800n }] });
    expect(encodeChange(built.changes[0]!, fakeDeployment)).toEqual({ target: fakeDeployment.contracts.timelock, value: 0n, calldata: encodeFunctionData({ abi: backstopTimelockAbi, functionName: "updateDelay", args: [172_800n] }) });
  });

  it.each([
    ["under a day", "3600", /less than a day to react/],
    ["over 30 days", String(31 * 86_400), /one undoing this included/],
  ])("warns when it is %s", (_, seconds, warning) => {
    expect(delay(seconds).warnings).toEqual([expect.stringMatching(warning)]);
  });

  it.each([
    ["a fraction of a second", "1.5", 'Timelock delay: "1.5" is not a whole number of seconds'],
    ["more than a uint256", (2n ** 256n).toString(), "Timelock delay: is larger than the contract can store (2^256 − 1)"],
  ])("refuses %s, naming the field", (_, seconds, message) => {
    expect(delay(seconds).errors).toEqual([{ action: 0, field: "seconds", message }]);
  });

  it("is said in words on the proposal page and critical for the detectors when the description does not say it", () => {
    const change = { kind: "setTimelockDelay", seconds: 600n } as const;
    expect(describeChange(change, {} as never)).toEqual({ title: "Timelock minimum delay", lines: ["every later proposal waits at least 10 min between queueing and execution"] });
    const words = wordsOf(change, { markets: [], collaterals: [] });
    expect(words.grave).toBe(true);
    expect(words.does.test("shorten the timelock delay")).toBe(true);
  });

  it("leaves the timelock's other functions flagged, by name", () => {
    const schedule = encodeFunctionData({ abi: backstopTimelockAbi, functionName: "schedule", args: [fakeDeployment.contracts.clearinghouse, 0n, "0x", zeroHash, zeroHash, 0n] });
    expect(decodeCall({ target: fakeDeployment.contracts.timelock, value: 0n, calldata: schedule }, fakeDeployment)).toMatchObject({ kind: "unknown", reason: "schedule is a timelock function, but not a governance action Backstop can preview" });
  });
});
