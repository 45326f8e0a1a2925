/**
 * The governable market parameters, once: each one's field, its name as people read it, its unit,
 * its proposal-form field and CLI flag, and how a value is shown, written into a form and read
 * back. The proposal builder, the CLI's preview, the market page and the proposal page all read
 * this table; a parameter added to MarketParams without a row here does not compile.
 *
 * Example: { param: "mmrWad", name: "Maintenance margin", abbreviation: "MMR", unit: "percent" }
 * is shown "Maintenance margin (MMR): 5%", labelled "Maintenance margin (MMR, %)" in the form,
 * written there as "5" and read back as 5·10¹⁶ to the wei.
 */

import { formatDuration, formatPercent, formatUsd, ParseError, parsePercent, parseUsd } from "../format.ts";
import type { MarketParams } from "../types.ts";

export type ParameterUnit = "percent" | "usd" | "seconds";

export interface MarketParameter {
  param: keyof MarketParams;
  name: string;
  abbreviation?: string;
  /** What it bounds, in a sentence fragment, where the name does not say it. */
  definition?: string;
  unit: ParameterUnit;
  /** The proposal builder's field for it. */
  formField: "imr" | "mmr" | "penalty" | "keeperShare" | "oiCap" | "concentrationCap" | "oracleMaxAge";
  /** The CLI's flag for it (`--mmr 8%`); the CLI's options are made from these. */
  flag: "imr" | "mmr" | "penalty" | "keeper-share" | "oi-cap" | "concentration-cap" | "oracle-max-age";
}

// Keyed by field, so a MarketParams field without its row does not compile.
const ROWS: { [K in keyof MarketParams]: Omit<MarketParameter, "param"> } = {
  imrWad: { name: "Initial margin", abbreviation: "IMR", unit: "percent", formField: "imr", flag: "imr" },
  mmrWad: { name: "Maintenance margin", abbreviation: "MMR", unit: "percent", formField: "mmr", flag: "mmr" },
  liquidationPenaltyWad: { name: "Liquidation penalty", unit: "percent", formField: "penalty", flag: "penalty" },
  keeperShareWad: { name: "Keeper share", unit: "percent", formField: "keeperShare", flag: "keeper-share" },
  oiCapUsd: { name: "Open-interest cap", unit: "usd", formField: "oiCap", flag: "oi-cap" },
  concentrationCapWad: { name: "Concentration cap", definition: "Largest position, as a share of the OI cap", unit: "percent", formField: "concentrationCap", flag: "concentration-cap" },
  oracleMaxAgeSec: { name: "Oracle max age", unit: "seconds", formField: "oracleMaxAge", flag: "oracle-max-age" },
};

export const MARKET_PARAMETERS: readonly MarketParameter[] = (Object.keys(ROWS) as (keyof MarketParams)[]).map((param) => ({ param, ...ROWS[param] }));

const UNIT_SYMBOL: Record<ParameterUnit, string> = { percent: "%", usd: "USD", seconds: "s" };
/** Decimal places between the integer on chain and the number a person writes in the form. */
const FORM_PLACES: Record<ParameterUnit, number> = { percent: 16, usd: 18, seconds: 0 };

/** "MMR", or the name where there is no abbreviation ("Keeper share"): a table's column heading. */
export const parameterShortLabel = (p: MarketParameter) => p.abbreviation ?? p.name;

/** "Maintenance margin (MMR)". */
export const parameterLabel = (p: MarketParameter) => (p.abbreviation ? `${p.name} (${p.abbreviation})` : p.name);

/** "Maintenance margin (MMR, %)": the form's label, with the unit the value is written in. */
export const parameterFormLabel = (p: MarketParameter) => `${p.name} (${[p.abbreviation, UNIT_SYMBOL[p.unit]].filter(Boolean).join(", ")})`;

/** A value as pages show it: "5%", "$50.00M", "1 h". */
export function formatParameter(p: MarketParameter, value: bigint): string {
  return p.unit === "percent" ? formatPercent(value) : p.unit === "usd" ? formatUsd(value) : formatDuration(value);
}

/** A value as the form writes it, exactly (no float): 5·10¹⁶ → "5" (percent), 1,000,000.5·10¹⁸ → "1000000.5" (USD). */
export function formParameterValue(p: MarketParameter, value: bigint): string {
  const places = FORM_PLACES[p.unit];
  if (places === 0) return value.toString();
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(places + 1, "0");
  const fraction = digits.slice(-places).replace(/0+$/, "");
  return `${sign}${digits.slice(0, -places)}${fraction ? `.${fraction}` : ""}`;
}

/** What a person wrote for a parameter, as the integer on chain; throws a sentence a form can show. */
export function parseParameter(p: MarketParameter, raw: string): bigint {
  if (p.unit === "percent") return parsePercent(raw.trim().endsWith("%") ? raw : `${raw}%`);
  if (p.unit === "usd") return parseUsd(raw);
  if (!/^\d+$/.test(raw.trim())) throw new ParseError(`"${raw}" is not a whole number of seconds`);
  return BigInt(raw.trim());
}
