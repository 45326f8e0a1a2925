/**
 * The registry of governance actions: (1) its types refuse an incomplete action or registry —
 * each `@ts-expect-error` below fails the type check (`tsc --noEmit`) the day the line compiles;
 * (2) every kind's value survives encode → decode → form → parse → encode, to the wei.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdlMode, CHANGE_RULES, type ChangeKind, type ChangeOf, type ChangeRules, type ParamChange } from "../../../engine/index.ts";
import { decodeCall, encodeChange } from "../../codec/governanceCodec.ts";
import { BUILDER_MENU, buildProposal, type BuildProposalContext } from "../../forms/buildProposal.ts";
import { fakeDeployment } from "../../testing/fakeDeployment.ts";
import type { GovernanceAction, GovernanceActions } from "./action.ts";
import { ACTION_LIST, GOVERNANCE_ACTIONS } from "./index.ts";
import { marketFrozenAction } from "./marketFrozen.ts";

const WAD = 10n ** 18n;
const UINT256_MAX = 2n ** 256n - 1n;
const DAY = 86_400n;

describe("the registry's type", () => {
  it("refuses an action missing a part, a registry missing a kind, and another kind's action in a slot", () => {
    const { words, ...withoutWords } = marketFrozenAction;
    // @ts-expect-error an action without its words for the detectors does not compile
    const missingWords: GovernanceAction<"setMarketFrozen"> = withoutWords;

    const { parse, ...formWithoutParse } = marketFrozenAction.form;
    // @ts-expect-error a form that cannot read its values back into a change does not compile
    const missingParse: GovernanceAction<"setMarketFrozen"> = { ...marketFrozenAction, form: formWithoutParse };

    const { decode, ...callWithoutDecoder } = marketFrozenAction.call;
    // @ts-expect-error a call without its decoder does not compile
    const missingDecoder: GovernanceAction<"setMarketFrozen"> = { ...marketFrozenAction, call: callWithoutDecoder };

    const { recorded, ...withoutRecord } = marketFrozenAction;
    // @ts-expect-error an action whose executed event cannot be read back does not compile
    const missingRecord: GovernanceAction<"setMarketFrozen"> = withoutRecord;

    const { setAdlMode, ...withoutAdlMode } = GOVERNANCE_ACTIONS;
    // @ts-expect-error a registry missing a kind does not compile
    const missingKind: GovernanceActions = withoutAdlMode;

    // @ts-expect-error the pause action in the freeze slot does not compile
    const wrongSlot: GovernanceActions = { ...GOVERNANCE_ACTIONS, setMarketFrozen: GOVERNANCE_ACTIONS.setMarketPaused };

    const { setAdlMode: adlRule, ...rulesWithoutAdlMode } = CHANGE_RULES;
    // @ts-expect-error the engine without one kind's apply and validation does not compile
    const missingRule: ChangeRules = rulesWithoutAdlMode;

    // What was cut out is really missing (the objects above are what the compiler refused).
    expect([words, parse, decode, recorded, setAdlMode, adlRule].every((part) => part !== undefined)).toBe(true);
    expect("words" in missingWords || "parse" in missingParse.form || "decode" in missingDecoder.call || "recorded" in missingRecord || "setAdlMode" in missingKind || "setAdlMode" in missingRule).toBe(false);
    expect(wrongSlot.setMarketFrozen.kind).toBe("setMarketPaused");
  });

  it("files each action under its own kind, on a function its contract has, with menu entries no other action uses", () => {
    for (const [kind, action] of Object.entries(GOVERNANCE_ACTIONS)) {
      expect(action.kind).toBe(kind);
      expect(action.call.abi.some((item) => item.type === "function" && item.name === action.call.functionName)).toBe(true);
    }
    const options = BUILDER_MENU.map((o) => o.value);
    expect(new Set(options).size).toBe(options.length);
  });
});

const market = (id: number, symbol: string) => ({ id, symbol, params: { imrWad: String(WAD / 10n), mmrWad: String(WAD / 20n), liquidationPenaltyWad: String(WAD / 100n), keeperShareWad: String(WAD / 2n), oiCapUsd: String(50_000_000n * WAD), concentrationCapWad: String(WAD / 4n), oracleMaxAgeSec: "3600" } });
const context: BuildProposalContext = {
  markets: [market(0, "ETH-PERP"), market(1, "BTC-PERP"), market(2, "SOL-PERP")],
  collaterals: [
    { id: 0, symbol: "USDC", decimals: 6, weightWad: String(WAD), depositCapNative: String(10n ** 15n), oracleMaxAgeSec: "86400" },
    { id: 1, symbol: "WBTC", decimals: 8, weightWad: String((WAD * 9n) / 10n), depositCapNative: String(10n ** 12n), oracleMaxAgeSec: "3600" },
    { id: 2, symbol: "WETH", decimals: 18, weightWad: String((WAD * 8n) / 10n), depositCapNative: String(10n ** 24n), oracleMaxAgeSec: "3600" },
  ],
  deployment: fakeDeployment,
};

const marketId = fc.constantFrom(...context.markets.map((m) => m.id));
const assetId = fc.constantFrom(...context.collaterals.map((c) => c.id));
const wad = (min: bigint, max: bigint) => fc.bigInt({ min, max });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as `0x${string}`);

/**
 * Any value the contract accepts, per kind — every wei, not round numbers. Keyed by kind, so a
 * kind added to the registry without its arbitrary here does not compile either.
 */
const VALID: { [K in ChangeKind]: fc.Arbitrary<ChangeOf<K>> } = {
  setMarketParams: fc
    .record({ marketId, mmrWad: wad(1n, WAD - 1n), imrGap: wad(1n, WAD), penaltyPerMille: fc.bigInt({ min: 0n, max: 999n }), keeperShareWad: wad(0n, WAD), oiCapUsd: wad(1n, UINT256_MAX), concentrationCapWad: wad(1n, WAD), oracleMaxAgeSec: wad(60n, 7n * DAY) })
    .map(({ marketId, imrGap, penaltyPerMille, ...p }) => ({ kind: "setMarketParams" as const, marketId, params: { ...p, imrWad: p.mmrWad + imrGap > WAD ? WAD : p.mmrWad + imrGap, liquidationPenaltyWad: (p.mmrWad * penaltyPerMille) / 1000n } })),
  setMarketFrozen: fc.record({ kind: fc.constant("setMarketFrozen" as const), marketId, frozen: fc.boolean() }),
  setMarketPaused: fc.record({ kind: fc.constant("setMarketPaused" as const), marketId, paused: fc.boolean() }),
  setAdlMode: fc.record({ kind: fc.constant("setAdlMode" as const), mode: fc.constantFrom(AdlMode.Queue, AdlMode.ProRata) }),
  setCollateralParams: fc.record({ kind: fc.constant("setCollateralParams" as const), assetId, params: fc.record({ weightWad: wad(1n, WAD), depositCapNative: wad(0n, UINT256_MAX), oracleMaxAgeSec: wad(60n, 7n * DAY) }) }),
  setCollateralFrozen: fc.record({ kind: fc.constant("setCollateralFrozen" as const), assetId, frozen: fc.boolean() }),
  setGracePeriod: fc.record({ kind: fc.constant("setGracePeriod" as const), seconds: wad(0n, 7n * DAY) }),
  setDefaultFundCooldown: fc.record({ kind: fc.constant("setDefaultFundCooldown" as const), seconds: wad(0n, 90n * DAY) }),
  moveReserves: fc.record({ kind: fc.constant("moveReserves" as const), from: fc.constantFrom("insurance" as const, "default" as const), amountUsd: wad(1n, UINT256_MAX) }).map((c) => ({ ...c, to: c.from === "insurance" ? ("default" as const) : ("insurance" as const) })),
  withdrawInsurance: fc.record({ kind: fc.constant("withdrawInsurance" as const), to: address, amountUsd: wad(1n, UINT256_MAX) }),
  // TimelockController.updateDelay takes any uint256.
  setTimelockDelay: fc.record({ kind: fc.constant("setTimelockDelay" as const), seconds: wad(0n, UINT256_MAX) }),
};

describe("every action kind", () => {
  it.each(ACTION_LIST.map((a) => [a.kind, a] as const))("test_fuzz_%s_survives_encode_decode_form_parse_encode_to_the_wei", (kind, action) => {
    fc.assert(
      fc.property(VALID[kind] as fc.Arbitrary<ParamChange>, (change) => {
        const call = encodeChange(change, context.deployment);
        expect(call.target).toBe(context.deployment.contracts[action.call.contract]);
        const decoded = decodeCall(call, context.deployment);
        if (decoded.kind !== "change") throw new Error(`not decoded: ${decoded.reason}`);
        expect(decoded.change).toEqual(change);

        const form = action.form.fromChange(decoded.change, context);
        const entry = BUILDER_MENU.find((o) => o.value === form.option)!;
        // Everything the form holds can be seen and typed: a field, or what its menu entry presets.
        const shown = new Set([...action.form.fields(form.values, context).map((f) => f.key), ...Object.keys(entry.preset ?? {})]);
        expect(Object.keys(form.values).filter((k) => !shown.has(k))).toEqual([]);

        const built = buildProposal([{ option: form.option, values: form.values }], context);
        expect(built.errors).toEqual([]);
        expect(built.changes).toEqual([change]);
        expect(encodeChange(built.changes[0]!, context.deployment)).toEqual(call);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
