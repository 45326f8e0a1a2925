/**
 * The bodies of POST /api/preview and POST /api/stress as zod schemas: the builder's parameter
 * changes and the stress lab's scenario, in the engine's JSON (engine/serialize: a bigint is
 * `{"$bigint":"digits"}`), each field's message naming what it must be. The limits are the stress
 * lab's own (at most 200 steps, no fall beyond 99 %), so the server refuses nothing the page sends.
 * What depends on the venue (one entry per market) is checked by the routes against the snapshot
 * (venueMismatch).
 */

import { z } from "zod";
import { AdlMode, type ParamChange } from "../../engine/index.ts";
import { addressParam } from "./schemas.ts";

/**
 * A strict object's own message: `must` when the value is not such an object, and the fields it
 * does not take, by name, when it has others.
 */
const refusing = (must: string, what: string) => ({ error: (issue: { code?: string; keys?: string[] }) => (issue.code === "unrecognized_keys" ? `has fields ${what} does not: ${issue.keys!.join(", ")}` : must) });

/** A bigint in the engine's JSON, at least 0, at most a uint256. */
const uint = z
  .strictObject({ $bigint: z.string({ error: "must be decimal digits in a string" }).regex(/^\d{1,78}$/, { error: "must be decimal digits" }) }, { error: 'must be an integer in the engine\'s JSON: {"$bigint":"<decimal digits>"}' })
  .transform((v) => BigInt(v.$bigint))
  .refine((v) => v < 2n ** 256n, { error: "is larger than a uint256" });

const id = (what: string) => z.number({ error: `must be a ${what} id (a number)` }).int({ error: `must be a whole ${what} id` }).min(0, { error: `must be a ${what} id, 0 or more` }).max(255, { error: `is not a ${what} id (at most 255)` });
const flag = z.boolean({ error: "must be true or false" });
const reserve = z.enum(["insurance", "default"], { error: 'must be "insurance" or "default"' });

const marketParams = z.strictObject({ imrWad: uint, mmrWad: uint, liquidationPenaltyWad: uint, keeperShareWad: uint, oiCapUsd: uint, concentrationCapWad: uint, oracleMaxAgeSec: uint }, refusing("must be the market's seven parameters", "a market's parameters"));
const collateralParams = z.strictObject({ weightWad: uint, depositCapNative: uint, oracleMaxAgeSec: uint }, refusing("must be the collateral's three parameters", "a collateral's parameters"));

/** One kind of change: its fields, and no other. */
const changeOf = <K extends ParamChange["kind"], S extends z.core.$ZodLooseShape>(kind: K, shape: S) => z.strictObject({ kind: z.literal(kind), ...shape }, refusing(`must be a ${kind} change`, `a ${kind} change`));

const CHANGE_KINDS = ["setMarketParams", "setMarketFrozen", "setMarketPaused", "setCollateralParams", "setCollateralFrozen", "setAdlMode", "setGracePeriod", "setDefaultFundCooldown", "moveReserves", "withdrawInsurance", "setTimelockDelay"] as const satisfies readonly ParamChange["kind"][];

/** One governance action as the engine applies it (engine/preview/applyChanges ParamChange). */
export const paramChange = z.discriminatedUnion(
  "kind",
  [
    changeOf("setMarketParams", { marketId: id("market"), params: marketParams }),
    changeOf("setMarketFrozen", { marketId: id("market"), frozen: flag }),
    changeOf("setMarketPaused", { marketId: id("market"), paused: flag }),
    changeOf("setCollateralParams", { assetId: id("collateral"), params: collateralParams }),
    changeOf("setCollateralFrozen", { assetId: id("collateral"), frozen: flag }),
    changeOf("setAdlMode", { mode: z.union([z.literal(AdlMode.Queue), z.literal(AdlMode.ProRata)], { error: `must be ${AdlMode.Queue} (queue) or ${AdlMode.ProRata} (pro rata)` }) }),
    changeOf("setGracePeriod", { seconds: uint }),
    changeOf("setDefaultFundCooldown", { seconds: uint }),
    changeOf("moveReserves", { from: reserve, to: reserve, amountUsd: uint }),
    changeOf("withdrawInsurance", { to: addressParam, amountUsd: uint }),
    changeOf("setTimelockDelay", { seconds: uint }),
  ],
  { error: `must be a change with a "kind" of ${CHANGE_KINDS.join(", ")}` },
);

const changes = z.array(paramChange, { error: "must be a list of changes" }).max(64, { error: "has more than 64 changes" });

const finite = (what: string) => z.number({ error: `must be ${what} (a number)` }).refine(Number.isFinite, { error: `must be ${what} (a finite number)` });

/** The execution window the builder bands its preview over (engine/preview/previewBand): per-market volatility and correlation, and the horizon. */
const previewWindow = z.strictObject(
  {
    process: z.strictObject(
      {
        volPerSqrtSec: z.array(finite("a volatility per √second").pipe(z.number().min(0, { error: "must be 0 or more" })), { error: "must be a list, one volatility per market" }),
        correlation: z.array(z.array(finite("a correlation").pipe(z.number().min(-1, { error: "must be at least -1" }).max(1, { error: "must be at most 1" })), { error: "must be a row of correlations" }), { error: "must be a matrix, one row per market" }),
      },
      refusing("must be the price process: volPerSqrtSec and correlation", "a price process"),
    ),
    horizonSec: finite("seconds").pipe(z.number().positive({ error: "must be more than 0 seconds" }).max(365 * 86_400, { error: "must be at most a year (31,536,000 seconds)" })),
  },
  refusing("must be the execution window: process and horizonSec", "an execution window"),
);

/** POST /api/preview: the draft's changes, and the window to band over when the page knows it. */
export const previewBody = z.strictObject(
  { changes, window: previewWindow.optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a preview does not: ${issue.keys.join(", ")}` : "must be a JSON object with the changes") },
);
export type PreviewBody = z.infer<typeof previewBody>;

/**
 * POST /api/stress: the stress lab's run — the parameter sets to compare, each market's move over
 * the scenario and the steps it is cut into (engine/scenarios pathFromMoves), market impact per
 * market and the keeper. `capacityPerStep` null is an unlimited keeper.
 */
export const stressBody = z.strictObject(
  {
    variants: z
      .array(z.strictObject({ label: z.string({ error: "must be a label" }).trim().min(1, { error: "must not be empty" }).max(80, { error: "is longer than 80 characters" }), changes }, refusing("must be a parameter set: label and changes", "a parameter set")), { error: "must be a list of parameter sets" })
      .min(1, { error: "is empty: give at least one parameter set" })
      .max(4, { error: "has more than 4 parameter sets" }),
    moves: z.array(finite("a move (a fraction: -0.2 is -20 %)").pipe(z.number().min(-0.99, { error: "must be at least -0.99 (a fall of 99 %)" })), { error: "must be a list, one move per market" }),
    steps: z.number({ error: "must be a number of steps" }).int({ error: "must be a whole number of steps" }).min(1, { error: "must be at least 1" }).max(200, { error: "must be at most 200" }),
    impact: z.array(z.strictObject({ model: z.enum(["sqrt", "linear"], { error: 'must be "sqrt" or "linear"' }), depthUsd: finite("a depth in USD").pipe(z.number().min(1, { error: "must be at least $1" })) }, refusing("must be a market impact: model and depthUsd", "a market impact")), { error: "must be a list, one market impact per market" }),
    keeper: z.strictObject(
      {
        gasCostUsd: finite("a gas cost in USD").pipe(z.number().min(0, { error: "must be 0 or more" })),
        capacityPerStep: z.number({ error: "must be a number of accounts per step, or null for unlimited" }).int({ error: "must be a whole number of accounts" }).min(1, { error: "must be at least 1 (null: unlimited)" }).nullable(),
        latencySteps: z.number({ error: "must be a number of steps" }).int({ error: "must be a whole number of steps" }).min(0, { error: "must be 0 or more" }),
      },
      refusing("must be the keeper: gasCostUsd, capacityPerStep and latencySteps", "the keeper"),
    ),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `has fields a stress run does not: ${issue.keys.join(", ")}` : "must be a JSON object with the stress run") },
);
export type StressBody = z.infer<typeof stressBody>;

/**
 * What in a body does not fit the venue (one entry per market), in a sentence, or undefined:
 * checked against the snapshot the run will use.
 */
export function venueMismatch(body: { window?: PreviewBody["window"]; moves?: number[]; impact?: unknown[] }, markets: number): string | undefined {
  const counted = (field: string, n: number) => (n === markets ? undefined : `${field} has ${n} entries; this venue has ${markets} markets (one each)`);
  if (body.window) {
    const { volPerSqrtSec, correlation } = body.window.process;
    const row = correlation.findIndex((r) => r.length !== markets);
    return counted("preview.window.process.volPerSqrtSec", volPerSqrtSec.length) ?? counted("preview.window.process.correlation", correlation.length) ?? (row >= 0 ? counted(`preview.window.process.correlation[${row}]`, correlation[row]!.length) : undefined);
  }
  return (body.moves && counted("stress.moves", body.moves.length)) ?? (body.impact && counted("stress.impact", body.impact.length)) ?? undefined;
}
