import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeChange } from "../codec/governanceCodec.ts";
import { MARKET_PARAMETERS } from "../../engine/index.ts";
import { buildProposal, shownCollateral, shownValue, type BuilderAction, type BuilderCollateral, type BuilderMarket, type BuildProposalContext } from "./buildProposal.ts";
import { fakeDeployment } from "../testing/fakeDeployment.ts";

const WAD = 10n ** 18n;
const deployment = fakeDeployment;
const eth: BuilderMarket = {
  id: 0,
  symbol: "ETH-PERP",
  params: { imrWad: String(WAD / 10n), mmrWad: String(WAD / 20n), liquidationPenaltyWad: String(WAD / 100n), keeperShareWad: String(WAD / 2n), oiCapUsd: String(50_000_000n * WAD), concentrationCapWad: String(WAD / 4n), oracleMaxAgeSec: "3600" },
};
const context: BuildProposalContext = { markets: [eth], collaterals: [{ id: 0, symbol: "USDC", decimals: 6, weightWad: String(WAD), depositCapNative: String(10n ** 15n), oracleMaxAgeSec: "86400" }], deployment };
const currentFields = { imr: "10", mmr: "5", penalty: "1", keeperShare: "50", oiCap: "50000000", concentrationCap: "25", oracleMaxAge: "3600" };
const paramsAction = (fields: Partial<typeof currentFields>): BuilderAction => ({ option: "params", values: { marketId: "0", ...currentFields, ...fields } });
const kinds = ["params", "collateral", "grace", "cooldown", "move-reserves", "raw", "freeze", "pause", "adl-queue"] as const;

/** Anything a person (or a paste) could put in a text field. */
const typed = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc.constantFrom("", " ", "-0", "1e3", "0x10", "12%", "-5%", "7.5 %", "$1.2M", "1,000", "Infinity", "NaN", "١٢", "💥"),
);

describe("buildProposal", () => {
  it("test_fuzz_any_typed_values_never_throw_and_whatever_is_accepted_encodes", () => {
    const action = fc.record({
      kind: fc.constantFrom(...kinds),
      fields: fc.record({ imr: typed, mmr: typed, penalty: typed, keeperShare: typed, oiCap: typed, concentrationCap: typed, oracleMaxAge: typed }),
      extra: fc.record({ weight: typed, depositCap: typed, assetMaxAge: typed, seconds: typed, amount: typed, target: typed, calldata: typed, from: fc.constantFrom("insurance", "default"), to: fc.constantFrom("insurance", "default") }),
    });
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), (drafts) => {
        const actions = drafts.map((d): BuilderAction => ({ option: d.kind, values: { marketId: "0", ...d.fields, ...d.extra, assetId: "0" } }));
        const built = buildProposal(actions, context);
        for (const e of built.errors) expect(e.message.length).toBeGreaterThan(10);
        // Nothing accepted may make the ABI encoder throw at publication.
        for (const change of built.changes) encodeChange(change, deployment);
      }),
      { numRuns: 2000, seed: 21 },
    );
  });

  /** Values no field may take: junk, negative, beyond uint256. */
  const invalid = fc.oneof(
    fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/^\s*\$?[\d,.]+\s*[%kKmMbB]?\s*$/.test(s)),
    fc.integer({ min: 1, max: 10 ** 9 }).map((n) => `-${n}`),
    fc.bigInt({ min: 2n ** 256n, max: 2n ** 300n }).map(String),
    fc.constantFrom("", "1e3", "0x10", "NaN", "Infinity", "1.2.3"),
  );
  it("test_fuzz_an_invalid_value_in_any_market_field_is_refused_naming_that_field", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MARKET_PARAMETERS), invalid, (f, value) => {
        const built = buildProposal([paramsAction({ [f.formField]: value })], context);
        expect(built.changes).toEqual([]);
        const error = built.errors.find((e) => e.field === f.formField);
        expect(error?.message).toMatch(new RegExp(`^ETH-PERP( ${f.name})?: `));
      }),
      { numRuns: 1000, seed: 22 },
    );
  });

  /** Percentages with up to two decimals, as WAD: n hundredths of a percent = n · 10^14. */
  const pct = (min: number, max: number) => fc.integer({ min, max }).map((hundredths) => ({ text: (hundredths / 100).toString(), wad: BigInt(hundredths) * 10n ** 14n }));
  it("test_fuzz_every_market_parameter_set_the_contract_accepts_builds_with_no_message_and_exact_wads", () => {
    const valid = fc
      .record({ mmr: pct(1, 9_998), imrExtra: pct(1, 10_000), penaltyShare: fc.double({ min: 0, max: 0.999, noNaN: true }), keeperShare: pct(0, 10_000), concentrationCap: pct(1, 10_000), oiCap: fc.bigInt({ min: 1n, max: 10n ** 15n }), age: fc.integer({ min: 60, max: 7 * 86_400 }) })
      .map((v) => {
        const imrHundredths = Math.min(10_000, Number(v.mmr.wad / 10n ** 14n) + Number(v.imrExtra.wad / 10n ** 14n));
        const penaltyHundredths = Math.floor(Number(v.mmr.wad / 10n ** 14n) * v.penaltyShare);
        return { ...v, imr: { text: (imrHundredths / 100).toString(), wad: BigInt(imrHundredths) * 10n ** 14n }, penalty: { text: (penaltyHundredths / 100).toString(), wad: BigInt(penaltyHundredths) * 10n ** 14n } };
      })
      .filter((v) => v.imr.wad > v.mmr.wad);
    fc.assert(
      fc.property(valid, (v) => {
        const built = buildProposal([paramsAction({ imr: v.imr.text, mmr: v.mmr.text, penalty: v.penalty.text, keeperShare: v.keeperShare.text, oiCap: v.oiCap.toString(), concentrationCap: v.concentrationCap.text, oracleMaxAge: String(v.age) })], context);
        expect(built.errors).toEqual([]);
        expect(built.changes).toEqual([{ kind: "setMarketParams", marketId: 0, params: { imrWad: v.imr.wad, mmrWad: v.mmr.wad, liquidationPenaltyWad: v.penalty.wad, keeperShareWad: v.keeperShare.wad, oiCapUsd: v.oiCap * WAD, concentrationCapWad: v.concentrationCap.wad, oracleMaxAgeSec: BigInt(v.age) } }]);
      }),
      { numRuns: 500, seed: 23 },
    );
  });

  /** Any value the chain may hold (not only round ones): every wei of a WAD, a cap with cents. */
  const wadUpTo = (max: bigint) => fc.bigInt({ min: 1n, max });
  const heldParams = fc
    .record({ mmrWad: wadUpTo(WAD - 1n), imrGap: wadUpTo(WAD), penaltyShare: fc.bigInt({ min: 0n, max: 999n }), keeperShareWad: fc.bigInt({ min: 0n, max: WAD }), oiCapUsd: wadUpTo(10n ** 33n), concentrationCapWad: wadUpTo(WAD), oracleMaxAgeSec: fc.bigInt({ min: 60n, max: 86_400n }) })
    .map(({ imrGap, penaltyShare, ...p }) => ({ ...p, imrWad: p.mmrWad + imrGap > WAD ? WAD : p.mmrWad + imrGap, liquidationPenaltyWad: (p.mmrWad * penaltyShare) / 1000n }))
    .filter((p) => p.imrWad > p.mmrWad);
  it("test_fuzz_an_untouched_form_proposes_the_chain_values_to_the_wei", () => {
    fc.assert(
      fc.property(heldParams, (params) => {
        const market: BuilderMarket = { ...eth, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) as BuilderMarket["params"] };
        const fields = Object.fromEntries(MARKET_PARAMETERS.map((f) => [f.formField, shownValue(market, f)]));
        const built = buildProposal([{ option: "params", values: { marketId: "0", ...fields } }], { ...context, markets: [market] });
        expect(built.errors).toEqual([]);
        expect(built.changes).toEqual([{ kind: "setMarketParams", marketId: 0, params }]);
      }),
      { numRuns: 500, seed: 24 },
    );
  });

  it("test_fuzz_an_untouched_collateral_form_proposes_the_chain_values_to_the_wei", () => {
    const held = fc.record({ decimals: fc.constantFrom(6, 8, 18), weightWad: wadUpTo(WAD), depositCapNative: fc.bigInt({ min: 0n, max: 10n ** 40n }), oracleMaxAgeSec: fc.bigInt({ min: 60n, max: 86_400n }) });
    fc.assert(
      fc.property(held, ({ decimals, ...params }) => {
        const asset: BuilderCollateral = { id: 0, symbol: "USDC", decimals, weightWad: String(params.weightWad), depositCapNative: String(params.depositCapNative), oracleMaxAgeSec: String(params.oracleMaxAgeSec) };
        const action: BuilderAction = { option: "collateral", values: shownCollateral(asset) };
        const built = buildProposal([action], { ...context, collaterals: [asset] });
        expect(built.errors).toEqual([]);
        expect(built.changes).toEqual([{ kind: "setCollateralParams", assetId: 0, params }]);
      }),
      { numRuns: 500, seed: 25 },
    );
  });

  it.each([
    ["a negative keeper share (the contract's own check lets it through; the encoder would throw)", { keeperShare: "-5" }, "keeperShare", "ETH-PERP Keeper share: must not be negative"],
    ["a negative penalty", { penalty: "-1" }, "penalty", "ETH-PERP Liquidation penalty: must not be negative"],
    ["an open-interest cap past uint256", { oiCap: (2n ** 256n).toString() }, "oiCap", "ETH-PERP Open-interest cap: is larger than the contract can store (2^256 − 1)"],
    ["a fractional oracle age", { oracleMaxAge: "60.5" }, "oracleMaxAge", 'ETH-PERP Oracle max age: "60.5" is not a whole number of seconds'],
  ])("refuses %s, naming the field", (_, fields, field, message) => {
    expect(buildProposal([paramsAction(fields)], context).errors).toEqual([{ action: 0, field, message }]);
  });

  it("refuses a negative collateral weight and a reserve move past uint256 by field", () => {
    const collateral: BuilderAction = { option: "collateral", values: { assetId: "0", weight: "-10", depositCap: "1000", assetMaxAge: "3600" } };
    const move: BuilderAction = { option: "move-reserves", values: { from: "insurance", to: "default", amount: "1".padEnd(80, "0") } };
    expect(buildProposal([collateral, move], context).errors).toEqual([
      { action: 0, field: "weight", message: "USDC collateral weight: must not be negative" },
      { action: 1, field: "amount", message: "Reserve move: is larger than the contract can store (2^256 − 1)" },
    ]);
  });
});
