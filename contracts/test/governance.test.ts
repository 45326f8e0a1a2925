import { afterAll, beforeAll, expect, it } from "vitest";
import { decodeFunctionData, encodeFunctionData, keccak256, stringToHex, type Address } from "viem";
import type { ParamChange } from "../../engine/index.ts";
import { marketParamsFromStruct } from "../../lib/mappers/params.ts";
import { backstopGovernorAbi, backstopTimelockAbi, backstopTokenAbi, clearinghouseAbi } from "../../lib/contracts/abis.ts";
import { demoMarkets } from "../../lib/contracts/deployProtocol.ts";
import { createFixture, MARKET, wad, type Fixture } from "../../lib/testing/fixture.ts";
import { describeWalletError } from "../../components/wallet/wallet-errors.ts";
import { decodeCall, encodeChange } from "../../lib/codec/governanceCodec.ts";
import { describeRecorded, recordedIn } from "../../lib/governance/actions/index.ts";

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => f?.stop());

const ProposalState = { Pending: 0, Active: 1, Succeeded: 4, Queued: 5, Executed: 7 } as const;

it("a parameter change passes through the real Governor and Timelock, and nowhere else", async () => {
  const { governor, governanceToken, clearinghouse } = f.deployment.contracts;
  const voter: Address = f.deployer; // holds the whole supply right after deployment
  await f.write(voter, governanceToken, backstopTokenAbi, "delegate", [voter]);
  await f.testClient.mine({ blocks: 1 });

  const params = { ...demoMarkets[0].params, imr: wad(0.15), mmr: wad(0.08) };
  const calldata = encodeFunctionData({ abi: clearinghouseAbi, functionName: "setMarketParams", args: [MARKET.ETH, params] });
  const description = "Raise ETH-PERP margins to 15 % / 8 %";
  const proposal = [[clearinghouse], [0n], [calldata], description] as const;
  await f.write(voter, governor, backstopGovernorAbi, "propose", [...proposal]);
  const proposalId = await f.publicClient.readContract({
    address: governor,
    abi: backstopGovernorAbi,
    functionName: "hashProposal",
    args: [[clearinghouse], [0n], [calldata], keccak256(stringToHex(description))],
  });
  const state = () => f.publicClient.readContract({ address: governor, abi: backstopGovernorAbi, functionName: "state", args: [proposalId] });
  expect(await state()).toBe(ProposalState.Pending);

  await f.testClient.mine({ blocks: 2 });
  expect(await state()).toBe(ProposalState.Active);
  await f.write(voter, governor, backstopGovernorAbi, "castVoteWithReason", [proposalId, 1, "Margins too thin for the OI"]);
  await f.testClient.mine({ blocks: 60 });
  expect(await state()).toBe(ProposalState.Succeeded);

  // The timelock refuses anyone else, even while the proposal waits in it.
  expect((await f.revertOf(voter, clearinghouse, clearinghouseAbi, "setMarketParams", [MARKET.ETH, params]))?.errorName).toBe("AccessControlUnauthorizedAccount");
  await f.write(voter, governor, backstopGovernorAbi, "queue", [[clearinghouse], [0n], [calldata], keccak256(stringToHex(description))]);
  expect(await state()).toBe(ProposalState.Queued);
  // The governor bubbles up the timelock's own error: decode with both ABIs.
  expect((await f.revertOf(voter, governor, [...backstopGovernorAbi, ...backstopTimelockAbi], "execute", [[clearinghouse], [0n], [calldata], keccak256(stringToHex(description))]))?.errorName).toBe("TimelockUnexpectedOperationState");
  // What a wallet that executes too early is told: the timelock's error, read through the governor's call, in words.
  const premature = await f.publicClient.simulateContract({ address: governor, abi: backstopGovernorAbi, functionName: "execute", args: [[clearinghouse], [0n], [calldata], keccak256(stringToHex(description))], account: voter }).then(() => undefined, (error: unknown) => error);
  expect(describeWalletError(premature)).toBe("The contract refused it: the timelock operation is not ready: its delay has not passed yet, or it already ran.");

  await f.testClient.increaseTime({ seconds: 3601 });
  await f.testClient.mine({ blocks: 1 });
  await f.write(voter, governor, backstopGovernorAbi, "execute", [[clearinghouse], [0n], [calldata], keccak256(stringToHex(description))]);
  expect(await state()).toBe(ProposalState.Executed);
  const market = await f.publicClient.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "getMarket", args: [MARKET.ETH] });
  expect([market.params.imr, market.params.mmr]).toEqual([wad(0.15), wad(0.08)]);
});

it("the deployment wires governance as configured: delays, quorum, late-quorum extension, timelock roles", async () => {
  const { governor, governanceToken, timelock, clearinghouse } = f.deployment.contracts;
  const gov = <T>(functionName: string, args: unknown[] = []) =>
    f.publicClient.readContract({ address: governor, abi: backstopGovernorAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  const tl = <T>(functionName: string, args: unknown[] = []) =>
    f.publicClient.readContract({ address: timelock, abi: backstopTimelockAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  expect(await gov<bigint>("votingDelay")).toBe(1n);
  expect(await gov<bigint>("votingPeriod")).toBe(50n);
  expect(await gov<bigint>("proposalThreshold")).toBe(0n);
  expect(await gov<bigint>("quorumNumerator")).toBe(4n);
  expect(await gov<number>("lateQuorumVoteExtension")).toBe(10);
  expect((await gov<string>("timelock")).toLowerCase()).toBe(timelock.toLowerCase());
  expect((await gov<string>("token")).toLowerCase()).toBe(governanceToken.toLowerCase());
  // Votes are checkpointed by block number.
  expect(await f.publicClient.readContract({ address: governanceToken, abi: backstopTokenAbi, functionName: "CLOCK_MODE" })).toBe("mode=blocknumber&from=default");
  expect(await tl<bigint>("getMinDelay")).toBe(3600n);
  const [proposer, canceller, executor, admin] = await Promise.all(["PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE", "DEFAULT_ADMIN_ROLE"].map((r) => tl<`0x${string}`>(r)));
  expect(await tl<boolean>("hasRole", [proposer, governor])).toBe(true);
  expect(await tl<boolean>("hasRole", [canceller, governor])).toBe(true);
  expect(await tl<boolean>("hasRole", [executor, "0x0000000000000000000000000000000000000000"])).toBe(true);
  expect(await tl<boolean>("hasRole", [proposer, f.deployer])).toBe(false);
  expect(await tl<boolean>("hasRole", [admin, f.deployer])).toBe(false);
  // The guardian (by default the deployer) may cancel a queued operation, and do nothing else.
  expect(await tl<boolean>("hasRole", [canceller, f.deployer])).toBe(true);
  // The timelock administers itself and is the clearinghouse's only governor.
  expect(await tl<boolean>("hasRole", [admin, timelock])).toBe(true);
  const governance = await f.publicClient.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
  expect(await f.publicClient.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "hasRole", args: [governance, timelock] })).toBe(true);
  expect(await f.publicClient.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "hasRole", args: [governance, governor] })).toBe(false);
});

it("the timelock's minimum delay changes through a proposal the registry builds, and no other way", async () => {
  const { governor, governanceToken, timelock } = f.deployment.contracts;
  const voter: Address = f.deployer;
  await f.write(voter, governanceToken, backstopTokenAbi, "delegate", [voter]);
  await f.testClient.mine({ blocks: 1 });
  const change = { kind: "setTimelockDelay", seconds: 7_200n } as const;
  const call = encodeChange(change, f.deployment);
  expect(call.target).toBe(timelock);
  // updateDelay is the timelock's own: only an operation it executes may call it.
  expect((await f.revertOf(voter, timelock, backstopTimelockAbi, "updateDelay", [7_200n]))?.errorName).toBe("TimelockUnauthorizedCaller");

  const description = "Timelock delay to 2 h: holders get two hours to react to a passed proposal";
  const args = [[call.target], [call.value], [call.calldata]] as const;
  const descriptionHash = keccak256(stringToHex(description));
  await f.write(voter, governor, backstopGovernorAbi, "propose", [...args, description]);
  const proposalId = await f.publicClient.readContract({ address: governor, abi: backstopGovernorAbi, functionName: "hashProposal", args: [...args, descriptionHash] });
  await f.testClient.mine({ blocks: 2 });
  await f.write(voter, governor, backstopGovernorAbi, "castVote", [proposalId, 1]);
  await f.testClient.mine({ blocks: 60 });
  await f.write(voter, governor, backstopGovernorAbi, "queue", [...args, descriptionHash]);
  await f.testClient.increaseTime({ seconds: 3601 });
  await f.testClient.mine({ blocks: 1 });
  const executed = await f.write(voter, governor, backstopGovernorAbi, "execute", [...args, descriptionHash]);
  expect(await f.publicClient.readContract({ address: timelock, abi: backstopTimelockAbi, functionName: "getMinDelay" })).toBe(7_200n);
  // The execution's own event says what it did, old → new, for the executed proposal's page.
  const recorded = executed.logs.map((log) => recordedIn(log, f.deployment)).filter((r) => r !== undefined);
  expect(recorded).toEqual([{ after: change, before: { kind: "setTimelockDelay", seconds: 3_600n } }]);
  expect(describeRecorded(recorded[0]!, {} as never)).toEqual({ title: "Timelock minimum delay", lines: ["1 h → 2 h"] });
  // What voters read back from the proposal's calldata is the same change.
  expect(decodeCall(call, f.deployment)).toMatchObject({ kind: "change", change });
});

it("each clearinghouse action's executed event reads back as the change it carried, with the old value to undo it", async () => {
  const { timelock } = f.deployment.contracts;
  const eth = marketParamsFromStruct(demoMarkets[0].params);
  const changes: ParamChange[] = [
    { kind: "setMarketParams", marketId: Number(MARKET.ETH), params: { ...eth, imrWad: wad(0.12) } },
    { kind: "setMarketFrozen", marketId: Number(MARKET.ETH), frozen: true },
    { kind: "setMarketPaused", marketId: Number(MARKET.SOL), paused: true },
    { kind: "setCollateralParams", assetId: 1, params: { weightWad: wad(0.7), depositCapNative: wad(1000), oracleMaxAgeSec: 3600n } },
    { kind: "setCollateralFrozen", assetId: 1, frozen: true },
    { kind: "setAdlMode", mode: 1 },
    { kind: "setGracePeriod", seconds: 3600n },
    { kind: "setDefaultFundCooldown", seconds: 86_400n },
  ];
  for (const change of changes) {
    const call = encodeChange(change, f.deployment);
    const { functionName, args } = decodeFunctionData({ abi: clearinghouseAbi, data: call.calldata });
    const receipt = await f.write(timelock, call.target, clearinghouseAbi, functionName, [...(args ?? [])]);
    const recorded = receipt.logs.map((log) => recordedIn(log, f.deployment)).filter((r) => r !== undefined);
    expect(recorded, change.kind).toMatchObject([{ after: change, before: { kind: change.kind } }]);
  }
});
