import { describe, expect, it } from "vitest";
import { encodeFunctionData, keccak256 } from "viem";
import { AdlMode } from "../../engine/index.ts";
import { encodeChange } from "../codec/governanceCodec.ts";
import { clearinghouseAbi } from "../contracts/abis.ts";
import { scanCode } from "./bytecode.ts";
import { fakeDeployment } from "../testing/fakeDeployment.ts";
import { detectGovernanceRisks, type ProposalForensics, type TargetForensics } from "./detectors.ts";

// Fake forensics for these pure tests only.
const { contracts } = fakeDeployment;
const deployment = { contracts };
const E18 = 10n ** 18n;
const QUORUM = 4_000_000n * E18;
const CODE = keccak256("0x6001");
const knownTarget: TargetForensics = { address: contracts.clearinghouse, knownAs: "clearinghouse", codeHashAtCreation: CODE, codeHashNow: CODE, features: scanCode("0x6001") };
const freeze = encodeChange({ kind: "setMarketFrozen", marketId: 2, frozen: true }, deployment);
const voter = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;

/** A quiet proposal: freeze SOL-PERP, described as such, voted early, nothing odd. */
function forensics(overrides: Partial<ProposalForensics> & { description?: string; calls?: { target: `0x${string}`; value: bigint; calldata: `0x${string}` }[] } = {}): ProposalForensics {
  const calls = overrides.calls ?? [freeze];
  return {
    proposal: { id: 77n, proposer: voter(1), targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.calldata), description: overrides.description ?? "# Freeze SOL-PERP\n\nSOL liquidity is gone; make the market reduce-only.", voteStart: 100n, voteEnd: 150n },
    votes: [{ voter: voter(1), support: "For", weight: 5_000_000n * E18, blockNumber: 110n }],
    quorum: QUORUM,
    windowBlocks: 200n,
    powerChanges: [],
    currentVotes: new Map([[voter(1), 5_000_000n * E18]]),
    targets: [knownTarget],
    names: { markets: ["ETH-PERP", "BTC-PERP", "SOL-PERP"], collaterals: ["USDC", "WETH"] },
    ...overrides,
  };
}
const kinds = (f: ProposalForensics) => detectGovernanceRisks(f, deployment).map((a) => a.id.replace(/^gov-77-/, "").replace(/-0x[0-9a-f]{40}$/, "").replace(/-\d+$/, ""));

describe("detectGovernanceRisks", () => {
  it("is quiet for a described, well-formed proposal voted in time", () => {
    expect(kinds(forensics())).toEqual([]);
  });

  it("power jump before the snapshot with newly acquired tokens: critical at half a quorum, warning at a tenth, quiet below", () => {
    const at = (jump: bigint) => detectGovernanceRisks(forensics({ powerChanges: [{ delegate: voter(9), before: 0n, atSnapshot: jump, acquired: jump, historyPeak: 0n }] }), deployment).find((a) => a.id.includes("power-jump"))?.severity;
    expect(at(2_000_000n * E18)).toBe("critical");
    expect(at(400_000n * E18)).toBe("warning");
    expect(at(399_999n * E18)).toBeUndefined();
  });

  it.each([
    ["long-held tokens delegated late (nothing acquired in the window)", { acquired: 0n, historyPeak: 0n }, "info"],
    ["a delegate back at the power it held before the window", { acquired: 2_000_000n * E18, historyPeak: 2_000_000n * E18 }, "info"],
    ["mostly long-held, a tenth of quorum newly acquired", { acquired: 400_000n * E18, historyPeak: 0n }, "warning"],
    ["half a quorum newly acquired (bought or borrowed)", { acquired: 2_000_000n * E18, historyPeak: 0n }, "critical"],
  ] as const)("a jump of half a quorum: %s → %s", (_, origin, severity) => {
    const alerts = detectGovernanceRisks(forensics({ powerChanges: [{ delegate: voter(9), before: 0n, atSnapshot: 2_000_000n * E18, ...origin }] }), deployment);
    expect(alerts.find((a) => a.id.includes("power-jump"))?.severity).toBe(severity);
  });

  it("power bought after the snapshot: a zero-weight vote from a voter holding power now fires; a normal vote does not", () => {
    const attempt = forensics({ votes: [{ voter: voter(9), support: "For", weight: 0n, blockNumber: 120n }], currentVotes: new Map([[voter(9), 50_000_000n * E18]]) });
    expect(kinds(attempt)).toContain("bought-after");
    expect(kinds(forensics())).not.toContain("bought-after");
  });

  it("unknown and mutable targets: an unknown proxy with DELEGATECALL is flagged; a known target is not", () => {
    const proxy: TargetForensics = { address: voter(0xbad), codeHashAtCreation: CODE, codeHashNow: CODE, features: scanCode("0x363d3d373d3d3d363d73bebebebebebebebebebebebebebebebebebebebe5af43d82803e903d91602b57fd5bf3"), implementationAtCreation: voter(0x1), implementationNow: voter(0x1), implementationCodeHashAtCreation: CODE, implementationCodeHashNow: CODE };
    const call = { target: proxy.address, value: 0n, calldata: "0x12345678" as const };
    const found = kinds(forensics({ targets: [knownTarget, proxy], calls: [freeze, call] }));
    expect(found).toEqual(expect.arrayContaining(["unknown-target", "mutable-target", "outside"]));
    expect(found).not.toContain("code-changed");
  });

  it("finds opcodes but not PUSH data: 0xff inside a PUSH1 is not SELFDESTRUCT", () => {
    expect(scanCode("0x60ff00")).toMatchObject({ selfdestruct: false, delegatecall: false, size: 3 });
    expect(scanCode("0x6000ff")).toMatchObject({ selfdestruct: true });
    expect(scanCode(`0x7f${"f4".repeat(32)}00`)).toMatchObject({ delegatecall: false });
    expect(scanCode("0x00f4")).toMatchObject({ delegatecall: true });
    expect(scanCode("0xzz" as `0x${string}`)).toMatchObject({ size: 0 });
  });

  it("code changed between the proposal and now (code or proxy implementation) is critical; unchanged is quiet", () => {
    const swapped = { ...knownTarget, implementationAtCreation: voter(0x1), implementationNow: voter(0x2), implementationCodeHashAtCreation: CODE, implementationCodeHashNow: keccak256("0x6002") };
    expect(detectGovernanceRisks(forensics({ targets: [swapped] }), deployment).find((a) => a.id.includes("code-changed"))?.severity).toBe("critical");
    const rewritten = { ...knownTarget, codeHashNow: keccak256("0x6002") };
    expect(kinds(forensics({ targets: [rewritten] }))).toContain("code-changed");
  });

  it("outside the governable set: a clearinghouse function that is not governance is flagged; a governable one is not", () => {
    const trade = { target: contracts.clearinghouse, value: 0n, calldata: encodeFunctionData({ abi: clearinghouseAbi, functionName: "liquidate", args: [voter(5)] }) };
    expect(kinds(forensics({ calls: [trade] }))).toContain("outside");
    expect(kinds(forensics({ calls: [encodeChange({ kind: "setAdlMode", mode: AdlMode.ProRata }, deployment)], description: "# Pro-rata ADL\n\nSwitch ADL to pro-rata." }))).toEqual([]);
  });

  it("description: an insurance payout the text does not mention is critical; one it names is quiet", () => {
    const payout = encodeChange({ kind: "withdrawInsurance", to: voter(0xbeef), amountUsd: 1_000_000n * E18 }, deployment);
    const hidden = detectGovernanceRisks(forensics({ calls: [freeze, payout] }), deployment).find((a) => a.id.endsWith("description"));
    expect(hidden).toMatchObject({ severity: "critical" });
    expect(hidden?.detail).toContain("pay $1.00M of insurance");
    const told = forensics({ calls: [freeze, payout], description: `# Freeze SOL-PERP and reimburse\n\nFreeze SOL; pay the insurance grant to ${voter(0xbeef)}.` });
    expect(kinds(told)).toEqual([]);
  });

  it("description: naming a market no action touches is flagged", () => {
    expect(kinds(forensics({ description: "# Freeze ETH-PERP\n\nETH is too volatile: freeze it." }))).toContain("description");
  });

  it("late swing: votes in the last tenth that carry For over quorum fire; the same votes early do not", () => {
    const late = forensics({ votes: [{ voter: voter(1), support: "For", weight: 1_000_000n * E18, blockNumber: 110n }, { voter: voter(2), support: "For", weight: 3_500_000n * E18, blockNumber: 147n }], currentVotes: new Map() });
    expect(kinds(late)).toContain("late-swing");
    const early = forensics({ votes: [{ voter: voter(1), support: "For", weight: 1_000_000n * E18, blockNumber: 110n }, { voter: voter(2), support: "For", weight: 3_500_000n * E18, blockNumber: 120n }], currentVotes: new Map() });
    expect(kinds(early)).not.toContain("late-swing");
    const flip = forensics({ votes: [{ voter: voter(1), support: "For", weight: 5_000_000n * E18, blockNumber: 110n }, { voter: voter(2), support: "Against", weight: 6_000_000n * E18, blockNumber: 149n }], currentVotes: new Map() });
    expect(kinds(flip)).toContain("late-swing");
  });
});
