/**
 * Safe Transaction Builder files: a proposal's calls survive export → JSON text → import exactly,
 * and the builder's actions survive it too (decodable calls come back as the same editable
 * actions, others as raw calls). A malformed file is refused with a sentence naming what is wrong.
 * The markets and addresses are fake (lib/testing/fakeDeployment): these are pure functions.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "viem";
import { fakeDeployment } from "../testing/fakeDeployment.ts";
import { actionsFromCalls, buildProposal, proposalCalls, startAction, type BuildProposalContext, type BuilderAction } from "../forms/buildProposal.ts";
import { readSafeBatchFile, safeBatchChecksum, toSafeBatchFile } from "./safeBatchFile.ts";
import { DRAFT_TEMPLATES } from "./draftTemplates.ts";

const WAD = 10n ** 18n;
const CHAIN_ID = 31337;
const fakeMarket = (id: number, symbol: string) => ({ id, symbol, params: { imrWad: String(WAD / 10n), mmrWad: String(WAD / 20n), liquidationPenaltyWad: String(WAD / 100n), keeperShareWad: String(WAD / 2n), oiCapUsd: String(50_000_000n * WAD), concentrationCapWad: String(WAD / 4n), oracleMaxAgeSec: "3600" } });
const fakeContext: BuildProposalContext = {
  markets: [fakeMarket(0, "ETH-PERP"), fakeMarket(1, "BTC-PERP")],
  collaterals: [{ id: 0, symbol: "USDC", decimals: 6, weightWad: String(WAD), depositCapNative: String(10n ** 15n), oracleMaxAgeSec: "86400" }],
  deployment: fakeDeployment,
};

/** The builder's actions → calls → file text → calls → actions. */
function roundTrip(actions: BuilderAction[]) {
  const built = buildProposal(actions, fakeContext);
  expect(built.errors).toEqual([]);
  const calls = proposalCalls(built, fakeDeployment);
  const text = JSON.stringify(toSafeBatchFile(calls, { chainId: CHAIN_ID, name: "Raise ETH-PERP margin", createdAt: 1_764_662_400_000 }), null, 2);
  const read = readSafeBatchFile(text, { chainId: CHAIN_ID });
  if (!read.ok) throw new Error(read.error);
  return { calls, read, actions: actionsFromCalls(read.calls, fakeContext) };
}

const rawCall = fc.record({
  target: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => toHex(b)),
  calldata: fc.uint8Array({ minLength: 0, maxLength: 100 }).map((b) => toHex(b)),
});

describe("a Safe Transaction Builder file", () => {
  it("carries every template's actions out and back: the same calls, the same editable actions, no warning", () => {
    for (const template of DRAFT_TEMPLATES) {
      const { actions } = template.fill(fakeContext);
      const filled = actions.map((a) => (a.option === "move-reserves" ? { ...a, values: { ...a.values, amount: "250000.5" } } : a));
      const { calls, read, actions: back } = roundTrip(filled);
      expect(read.calls).toEqual(calls);
      expect(read.warnings).toEqual([]);
      expect(back.map((a) => a.option)).toEqual(filled.map((a) => a.option));
      expect(proposalCalls(buildProposal(back, fakeContext), fakeDeployment)).toEqual(calls);
    }
  });

  it("test_fuzz_calls_that_are_no_governance_action_come_back_as_the_same_raw_calls", () => {
    fc.assert(
      fc.property(fc.array(rawCall, { minLength: 1, maxLength: 6 }), (raw) => {
        const actions = [startAction("freeze", fakeContext), ...raw.map((r) => ({ option: "raw", values: { target: r.target, calldata: r.calldata } }))];
        const { calls, read, actions: back } = roundTrip(actions);
        expect(read.calls).toEqual(calls);
        expect(back[0]!.option).toBe("freeze");
        expect(back.slice(1)).toEqual(raw.map((r) => ({ option: "raw", values: { target: r.target, calldata: r.calldata } })));
      }),
      { numRuns: 200, seed: 18 },
    );
  });

  it("has the Transaction Builder's own checksum, so a hand edit is a warning, not a silent change", () => {
    const file = toSafeBatchFile([{ target: fakeDeployment.contracts.clearinghouse, value: 0n, calldata: "0x12345678" }], { chainId: CHAIN_ID, name: "a", createdAt: 0 });
    expect(safeBatchChecksum(file)).toBe(file.meta.checksum);
    // The name is outside the checksum (the Safe app lets a batch be renamed).
    const renamed = readSafeBatchFile(JSON.stringify({ ...file, meta: { ...file.meta, name: "renamed" } }), { chainId: CHAIN_ID });
    expect(renamed.ok && renamed.warnings).toEqual([]);
    const edited = readSafeBatchFile(JSON.stringify({ ...file, transactions: [{ ...file.transactions[0], data: "0x12345679" }] }), { chainId: CHAIN_ID });
    expect(edited.ok && edited.warnings[0]).toMatch(/checksum does not match/);
  });

  it("reads a transaction written as a contract method with its inputs, as the Safe app writes one without data", () => {
    const read = readSafeBatchFile(
      JSON.stringify({
        version: "1.0",
        chainId: "31337",
        createdAt: 0,
        meta: { name: "freeze" },
        transactions: [{ to: fakeDeployment.contracts.clearinghouse, value: "0", data: null, contractMethod: { name: "setMarketFrozen", payable: false, inputs: [{ name: "marketId", type: "uint256", internalType: "uint256" }, { name: "frozen", type: "bool", internalType: "bool" }] }, contractInputsValues: { marketId: "1", frozen: "true" } }],
      }),
      { chainId: CHAIN_ID },
    );
    if (!read.ok) throw new Error(read.error);
    expect(actionsFromCalls(read.calls, fakeContext)).toEqual([{ option: "freeze", values: { marketId: "1", frozen: "true" } }]);
  });

  const valid = toSafeBatchFile([{ target: fakeDeployment.contracts.clearinghouse, value: 0n, calldata: "0x12345678" }], { chainId: CHAIN_ID, name: "a", createdAt: 0 });
  const tx = valid.transactions[0]!;
  it.each([
    ["text that is not JSON", "{ version: 1.0", /^The file is not JSON/],
    ["another format's version", JSON.stringify({ ...valid, version: "2.0" }), /version must be "1.0"/],
    ["no transactions", JSON.stringify({ ...valid, transactions: [] }), /transactions is empty/],
    ["a transaction without a target", JSON.stringify({ ...valid, transactions: [{ value: "0", data: "0x" }] }), /transactions\[0\]\.to must be an address/],
    ["a value that is not wei", JSON.stringify({ ...valid, transactions: [{ ...tx, value: "1.5" }] }), /transactions\[0\]\.value must be wei in decimal digits/],
    ["a batch for another chain", JSON.stringify({ ...valid, chainId: "1" }), /The batch is for chain 1, but this Backstop serves chain 31337/],
    ["a transaction that sends ETH", JSON.stringify({ ...valid, transactions: [tx, { ...tx, value: "1000" }] }), /Transaction 2 sends 1000 wei of ETH/],
    ["data that is not whole bytes", JSON.stringify({ ...valid, transactions: [{ ...tx, data: "0x123" }] }), /not whole bytes/],
    ["a method whose inputs do not fit", JSON.stringify({ ...valid, transactions: [{ ...tx, data: null, contractMethod: { name: "f", payable: false, inputs: [{ name: "x", type: "uint256" }] }, contractInputsValues: { x: "ten" } }] }), /the arguments of f do not fit its inputs/],
  ] as const)("refuses %s, in words", (_, text, message) => {
    const read = readSafeBatchFile(text, { chainId: CHAIN_ID });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(message);
  });
});

describe("the draft templates", () => {
  it.each(DRAFT_TEMPLATES.map((t) => [t.label, t] as const))("%s: fills a title, a description and actions the builder accepts", (_, template) => {
    const content = template.fill(fakeContext, 1);
    expect(content.title).not.toBe("");
    const built = buildProposal(content.actions, fakeContext);
    // The insurance top-up leaves its amount to the author: the only refusal is that it is missing.
    expect(built.errors.map((e) => e.field)).toEqual(template.id === "top-up-insurance" ? ["amount"] : []);
  });

  it("raises the maintenance margin one point, and the initial margin with it where it would not stay above", () => {
    const tight = { ...fakeContext, markets: [{ ...fakeMarket(0, "ETH-PERP"), params: { ...fakeMarket(0, "ETH-PERP").params, imrWad: String((WAD * 55n) / 1000n) } }] };
    const [raiseMmr] = DRAFT_TEMPLATES;
    expect(buildProposal(raiseMmr!.fill(fakeContext).actions, fakeContext).changes[0]).toMatchObject({ params: { mmrWad: (WAD * 6n) / 100n, imrWad: WAD / 10n } });
    expect(buildProposal(raiseMmr!.fill(tight).actions, tight).changes[0]).toMatchObject({ params: { mmrWad: (WAD * 6n) / 100n, imrWad: (WAD * 7n) / 100n } });
  });
});
