import { describe, expect, it } from "vitest";
import { toJson, type ParamChange } from "../../engine/index.ts";
import { parseJsonBody } from "./parseJsonBody.ts";
import { previewBody, stressBody, venueMismatch } from "./engineRunBodies.ts";

// Fake bodies: the schemas are pure; nothing here reaches a chain.
const WAD = 10n ** 18n;
const params = { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: WAD / 50n, keeperShareWad: WAD / 2n, oiCapUsd: 10n ** 9n * WAD, concentrationCapWad: WAD / 5n, oracleMaxAgeSec: 3600n };
const change: ParamChange = { kind: "setMarketParams", marketId: 0, params };
const stress = { variants: [{ label: "Current parameters", changes: [] }], moves: [-0.2, -0.3], steps: 24, impact: [{ model: "sqrt", depthUsd: 25e6 }, { model: "linear", depthUsd: 1e6 }], keeper: { gasCostUsd: 5, capacityPerStep: null, latencySteps: 0 } };

const post = (body: string) => new Request("http://127.0.0.1/api/x", { method: "POST", body });

describe("previewBody", () => {
  it("takes the builder's changes in the engine's JSON, bigints exact", async () => {
    const parsed = await parseJsonBody(post(toJson({ changes: [change, { kind: "setMarketFrozen", marketId: 1, frozen: true }] })), previewBody, "preview");
    expect(parsed).toEqual({ ok: true, value: { changes: [change, { kind: "setMarketFrozen", marketId: 1, frozen: true }] } });
  });

  it.each([
    ["an empty body", "", "the body is not JSON: send preview as a JSON object"],
    ["a list", "[]", "preview must be a JSON object with the changes"],
    ["changes that are not a list", JSON.stringify({ changes: {} }), "preview.changes must be a list of changes"],
    ["a change of a kind the engine does not know", JSON.stringify({ changes: [{ kind: "setLeverage" }] }), 'preview.changes[0].kind must be a change with a "kind" of setMarketParams, setMarketFrozen, setMarketPaused, setCollateralParams, setCollateralFrozen, setAdlMode, setGracePeriod, setDefaultFundCooldown, moveReserves, withdrawInsurance, setTimelockDelay'],
    ["a parameter as a plain number", toJson({ changes: [{ ...change, params: { ...params, mmrWad: 5 } }] }), 'preview.changes[0].params.mmrWad must be an integer in the engine\'s JSON: {"$bigint":"<decimal digits>"}'],
    ["a negative parameter", toJson({ changes: [{ ...change, params: { ...params, mmrWad: -5n } }] }), "preview.changes[0].params.mmrWad.$bigint must be decimal digits"],
    ["a market id with a fraction", toJson({ changes: [{ ...change, marketId: 0.5 }] }), "preview.changes[0].marketId must be a whole market id"],
    ["a withdrawal to something not an address", toJson({ changes: [{ kind: "withdrawInsurance", to: "me", amountUsd: 1n }] }), "preview.changes[0].to must be an address: 0x followed by 40 hexadecimal characters"],
    ["a change with a field its kind does not have", toJson({ changes: [{ kind: "setGracePeriod", seconds: 60n, marketId: 0 }] }), "preview.changes[0] has fields a setGracePeriod change does not: marketId"],
    ["a bigint without its digits", JSON.stringify({ changes: [{ kind: "setGracePeriod", seconds: { $bigint: 60 } }] }), "preview.changes[0].seconds.$bigint must be decimal digits in a string"],
    ["a field a preview does not take", JSON.stringify({ changes: [], snapshot: {} }), "preview has fields a preview does not: snapshot"],
    ["a window over no time", JSON.stringify({ changes: [], window: { process: { volPerSqrtSec: [0.001], correlation: [[1]] }, horizonSec: 0 } }), "preview.window.horizonSec must be more than 0 seconds"],
    ["a correlation above 1", JSON.stringify({ changes: [], window: { process: { volPerSqrtSec: [0.001], correlation: [[1.5]] }, horizonSec: 60 } }), "preview.window.process.correlation[0][0] must be at most 1"],
  ])("refuses %s in words naming the field", async (_, text, error) => {
    expect(await parseJsonBody(post(text), previewBody, "preview")).toEqual({ ok: false, error });
  });

  it("refuses more than 64 changes", async () => {
    const parsed = await parseJsonBody(post(JSON.stringify({ changes: Array.from({ length: 65 }, () => ({ kind: "setMarketFrozen", marketId: 0, frozen: true })) })), previewBody, "preview");
    expect(parsed).toEqual({ ok: false, error: "preview.changes has more than 64 changes" });
  });
});

describe("stressBody", () => {
  it("takes the stress lab's run; a null capacity is an unlimited keeper", async () => {
    expect(await parseJsonBody(post(JSON.stringify(stress)), stressBody, "stress")).toEqual({ ok: true, value: stress });
  });

  it.each([
    ["no parameter set", { ...stress, variants: [] }, "stress.variants is empty: give at least one parameter set"],
    ["a parameter set with no label", { ...stress, variants: [{ label: " ", changes: [] }] }, "stress.variants[0].label must not be empty"],
    ["a fall of more than 99 %", { ...stress, moves: [-1, 0] }, "stress.moves[0] must be at least -0.99 (a fall of 99 %)"],
    ["201 steps", { ...stress, steps: 201 }, "stress.steps must be at most 200"],
    ["steps with a fraction", { ...stress, steps: 2.5 }, "stress.steps must be a whole number of steps"],
    ["an impact model the engine does not have", { ...stress, impact: [{ model: "cubic", depthUsd: 1 }, stress.impact[1]] }, 'stress.impact[0].model must be "sqrt" or "linear"'],
    ["a depth of nothing", { ...stress, impact: [{ model: "sqrt", depthUsd: 0 }, stress.impact[1]] }, "stress.impact[0].depthUsd must be at least $1"],
    ["a keeper capacity of 0", { ...stress, keeper: { ...stress.keeper, capacityPerStep: 0 } }, "stress.keeper.capacityPerStep must be at least 1 (null: unlimited)"],
    ["a negative latency", { ...stress, keeper: { ...stress.keeper, latencySteps: -1 } }, "stress.keeper.latencySteps must be 0 or more"],
    ["a keeper without its gas cost", { ...stress, keeper: { capacityPerStep: null, latencySteps: 0 } }, "stress.keeper.gasCostUsd must be a gas cost in USD (a number)"],
    ["a keeper with a field it does not have", { ...stress, keeper: { ...stress.keeper, fee: 1 } }, "stress.keeper has fields the keeper does not: fee"],
    ["a field a stress run does not take", { ...stress, path: [[0]] }, "stress has fields a stress run does not: path"],
  ])("refuses %s in words naming the field", async (_, body, error) => {
    expect(await parseJsonBody(post(JSON.stringify(body)), stressBody, "stress")).toEqual({ ok: false, error });
  });
});

describe("venueMismatch", () => {
  it.each([
    ["moves for every market", { moves: [0, 0], impact: [{}, {}] }, 2, undefined],
    ["a move too few", { moves: [0], impact: [{}, {}] }, 2, "stress.moves has 1 entries; this venue has 2 markets (one each)"],
    ["an impact too many", { moves: [0, 0], impact: [{}, {}, {}] }, 2, "stress.impact has 3 entries; this venue has 2 markets (one each)"],
    ["a window for every market", { window: { process: { volPerSqrtSec: [1, 1], correlation: [[1, 0], [0, 1]] }, horizonSec: 1 } }, 2, undefined],
    ["a correlation row too short", { window: { process: { volPerSqrtSec: [1, 1], correlation: [[1, 0], [0]] }, horizonSec: 1 } }, 2, "preview.window.process.correlation[1] has 1 entries; this venue has 2 markets (one each)"],
    ["no window", {}, 3, undefined],
  ])("%s", (_, body, markets, expected) => {
    expect(venueMismatch(body, markets)).toBe(expected);
  });
});
