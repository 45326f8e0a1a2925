import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFunctionData, type Hex } from "viem";
import { AdlMode, type ParamChange } from "../../engine/index.ts";
import { backstopTokenAbi } from "../contracts/abis.ts";
import { decodeCall, encodeChange } from "./governanceCodec.ts";
import { fakeDeployment } from "../testing/fakeDeployment.ts";

const fixtureDeployment = fakeDeployment;

const u256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
const id = fc.integer({ min: 0, max: 255 });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as `0x${string}`);
const change: fc.Arbitrary<ParamChange> = fc.oneof(
  fc.record({ kind: fc.constant("setMarketParams" as const), marketId: id, params: fc.record({ imrWad: u256, mmrWad: u256, liquidationPenaltyWad: u256, keeperShareWad: u256, oiCapUsd: u256, concentrationCapWad: u256, oracleMaxAgeSec: u256 }) }),
  fc.record({ kind: fc.constant("setMarketFrozen" as const), marketId: id, frozen: fc.boolean() }),
  fc.record({ kind: fc.constant("setMarketPaused" as const), marketId: id, paused: fc.boolean() }),
  fc.record({ kind: fc.constant("setCollateralParams" as const), assetId: id, params: fc.record({ weightWad: u256, depositCapNative: u256, oracleMaxAgeSec: u256 }) }),
  fc.record({ kind: fc.constant("setCollateralFrozen" as const), assetId: id, frozen: fc.boolean() }),
  fc.record({ kind: fc.constant("setAdlMode" as const), mode: fc.constantFrom(AdlMode.Queue, AdlMode.ProRata) }),
  fc.record({ kind: fc.constant("setGracePeriod" as const), seconds: u256 }),
  fc.record({ kind: fc.constant("setDefaultFundCooldown" as const), seconds: u256 }),
  fc.record({ kind: fc.constant("moveReserves" as const), from: fc.constantFrom("insurance" as const, "default" as const), to: fc.constantFrom("insurance" as const, "default" as const), amountUsd: u256 }),
  fc.record({ kind: fc.constant("withdrawInsurance" as const), to: address, amountUsd: u256 }),
  fc.record({ kind: fc.constant("setTimelockDelay" as const), seconds: u256 }),
);

describe("governance codec", () => {
  it("test_fuzz_every_governable_action_round_trips_encode_decode", () => {
    fc.assert(
      fc.property(change, (c) => {
        const decoded = decodeCall(encodeChange(c, fixtureDeployment), fixtureDeployment);
        expect(decoded.kind).toBe("change");
        expect(decoded.kind === "change" && decoded.change).toEqual(c);
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it("test_fuzz_arbitrary_bytes_never_throw_and_are_flagged", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, toClearinghouse) => {
        const target = toClearinghouse ? fixtureDeployment.contracts.clearinghouse : fixtureDeployment.contracts.oracle;
        const decoded = decodeCall({ target, value: 0n, calldata: `0x${Buffer.from(bytes).toString("hex")}` as Hex }, fixtureDeployment);
        if (!toClearinghouse) expect(decoded.kind).toBe("unknown");
        if (decoded.kind === "unknown") expect(decoded.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 1000, seed: 2 },
    );
  });

  const cases: [string, { target: string; value: bigint; calldata: string }, RegExp][] = [
    ["a target outside the deployment", { target: "0x00000000000000000000000000000000000000ff", value: 0n, calldata: "0x12345678" }, /unknown target/],
    ["a call to another contract of the deployment", { target: fixtureDeployment.contracts.governanceToken, value: 0n, calldata: encodeFunctionData({ abi: backstopTokenAbi, functionName: "transfer", args: [fixtureDeployment.contracts.timelock, 1n] }) }, /governanceToken contract/],
    ["a selector the clearinghouse does not have", { target: fixtureDeployment.contracts.clearinghouse, value: 0n, calldata: "0xdeadbeef" }, /not a clearinghouse function/],
    ["calldata that is not hex", { target: fixtureDeployment.contracts.clearinghouse, value: 0n, calldata: "0xzz" }, /not hex bytes/],
    ["a target that is not an address", { target: "clearinghouse", value: 0n, calldata: "0x" }, /not an address/],
    ["ETH sent with the call", { target: fixtureDeployment.contracts.clearinghouse, value: 1n, calldata: "0x" }, /sends 1 wei/],
  ];
  for (const [name, call, reason] of cases) {
    it(`flags ${name} in words`, () => {
      const decoded = decodeCall(call as never, fixtureDeployment);
      expect(decoded.kind).toBe("unknown");
      expect(decoded.kind === "unknown" && decoded.reason).toMatch(reason);
    });
  }
});
