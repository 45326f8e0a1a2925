/**
 * Human-facing decimals (decimal.js): WAD integers → strings people read, and back.
 * Display only: nothing here feeds a calculation that must match the contract.
 *
 * formatUsd(1_234_567n * 10n ** 18n)        → "$1.23M"
 * formatPercent(75n * 10n ** 15n)           → "7.5%"
 * parsePercent("7.5%")                      → 75_000_000_000_000_000n (0.075 WAD)
 */

import Decimal from "decimal.js";
import { BackstopError } from "./errors.ts";

const WAD = new Decimal(10).pow(18);

/** A WAD integer as a Decimal (exact). */
export function fromWad(x: bigint): Decimal {
  return new Decimal(x.toString()).div(WAD);
}

/** A token amount in its own decimals as a Decimal (exact). */
export function fromUnits(x: bigint, decimals: number): Decimal {
  return new Decimal(x.toString()).div(new Decimal(10).pow(decimals));
}

/**
 * Money, one way everywhere: USD with k/M/B suffixes past ten thousand (two decimals), cents
 * below; a minus sign, never parentheses. `compact: false` always shows cents.
 */
function formatUsdDecimal(x: Decimal, compact: boolean): string {
  const sign = x.isNegative() ? "−" : "";
  const a = x.abs();
  if (compact) {
    for (const [unit, scale] of [["B", 1e9], ["M", 1e6], ["k", 1e3]] as const) {
      if (a.gte(scale * 10) || (unit !== "k" && a.gte(scale))) return `${sign}$${a.div(scale).toDecimalPlaces(2).toFixed(2)}${unit}`;
    }
  }
  return `${sign}$${Number(a.toDecimalPlaces(2).toFixed(2)).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A WAD amount of USD, in the one money format (see formatUsdDecimal). */
export function formatUsd(usdWad: bigint, { compact = true }: { compact?: boolean } = {}): string {
  return formatUsdDecimal(fromWad(usdWad), compact);
}

/** A float amount of USD (a wire row's, a simulation's), in the same format as formatUsd. */
export function formatUsdFloat(usd: number, { compact = true }: { compact?: boolean } = {}): string {
  return Number.isFinite(usd) ? formatUsdDecimal(new Decimal(usd), compact) : "—";
}

/** A WAD ratio as a percentage, with as many decimals as it needs (up to `maxDecimals`). */
export function formatPercent(ratioWad: bigint, maxDecimals = 2): string {
  const pct = fromWad(ratioWad).mul(100).toDecimalPlaces(maxDecimals);
  return `${pct.toString()}%`;
}

/** A WAD price in USD, with precision that suits its size. */
export function formatPrice(priceWad: bigint): string {
  const x = fromWad(priceWad);
  const places = x.gte(1000) ? 2 : x.gte(1) ? 4 : 6;
  return `$${Number(x.toDecimalPlaces(places).toFixed(places)).toLocaleString("en-US", { maximumFractionDigits: places, minimumFractionDigits: Math.min(2, places) })}`;
}

/** A base-unit size (WAD) with its sign. */
export function formatSize(sizeWad: bigint, places = 4): string {
  return fromWad(sizeWad).toDecimalPlaces(places).toString();
}

/** Seconds as a short duration: "15 min", "1 h", "7 d". */
export function formatDuration(seconds: bigint): string {
  const s = Number(seconds);
  if (s % 86_400 === 0 && s >= 86_400) return `${s / 86_400} d`;
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600} h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60} min`;
  return `${s} s`;
}

/** A time left, largest two units: 90_061n → "1 d 1 h", 3_725n → "1 h 2 min", 42n → "42 s". */
export function formatCountdown(seconds: bigint): string {
  let s = Number(seconds < 0n ? 0n : seconds);
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["min", 60], ["s", 1]] as const) {
    if (s >= size || (unit === "s" && parts.length === 0)) parts.push(`${Math.floor(s / size)} ${unit}`);
    s %= size;
  }
  return parts.slice(0, 2).join(" ");
}

/**
 * A chart's time (UTC) for an axis spanning `spanSeconds`: to the second under ten minutes (a few
 * blocks: whole minutes would repeat along the axis), to the minute up to two days, with the date
 * beyond. 1_764_950_400 + 125 → "16:02:05" over 5 min, "16:02" over 1 h, "12-05 16:02" over 7 d.
 */
export function formatChartTime(seconds: number, spanSeconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  if (spanSeconds > 2 * 86_400) return iso.slice(5, 16).replace("T", " ");
  return iso.slice(11, spanSeconds < 600 ? 19 : 16);
}

export class ParseError extends BackstopError {
  override name = "ParseError";
}

/**
 * A plain decimal numeral times 10^places, exactly (bigint, never a float or a rounded Decimal):
 * "12.5" at 16 places → 125·10^15. Null when the numeral has more places than that (trailing
 * zeros do not count).
 */
function exactUnits(numeral: string, places: number): bigint | null {
  const negative = numeral.startsWith("-");
  const [whole, fraction = ""] = numeral.replace(/^-/, "").split(".");
  const digits = fraction.replace(/0+$/, "");
  if (digits.length > places) return null;
  const units = BigInt(whole!) * 10n ** BigInt(places) + BigInt(digits.padEnd(places, "0") || "0");
  return negative ? -units : units;
}

/** "7.5%" or "0.075" → WAD, to the wei. Refuses anything else with a message a form can show. */
export function parsePercent(input: string): bigint {
  const text = input.trim();
  const match = /^(-?\d+(?:\.\d+)?)\s*(%)?$/.exec(text);
  if (!match) throw new ParseError(`"${input}" is not a percentage: write it like 7.5% or 0.075`);
  const wad = exactUnits(match[1]!, match[2] ? 16 : 18);
  if (wad === null) throw new ParseError(`"${input}" has more precision than 18 decimals`);
  return wad;
}

/** "$1.2M", "250k", "1,000,000" → USD WAD, to the wei. */
export function parseUsd(input: string): bigint {
  const text = input.trim().replace(/^\$/, "").replace(/,/g, "");
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMbB])?$/.exec(text);
  if (!match) throw new ParseError(`"${input}" is not an amount in USD: write it like 1,250,000 or $1.25M`);
  // "1.5k" is 1.5 · 10^(18+3) wei.
  const suffixPlaces = { k: 3, m: 6, b: 9 }[(match[2] ?? "").toLowerCase() as "k" | "m" | "b"] ?? 0;
  const wad = exactUnits(match[1]!, 18 + suffixPlaces);
  if (wad === null) throw new ParseError(`"${input}" has more precision than 18 decimals`);
  return wad;
}
