/**
 * Stress scenarios as price paths for simulateCascade:
 * - the historical library (drawdowns.json beside this file: peak-to-trough moves with their
 *   dates and public sources), each spread over its duration;
 * - parametric shocks: any move per market over any number of steps.
 *
 * A move M over n steps is applied geometrically: each step multiplies by (1 + M)^(1/n), so the
 * path ends exactly at 1 + M. Markets map to the library's assets by symbol (ETH-PERP ← ETH); a
 * market the scenario does not name takes its ALT move if it has one, else stays flat.
 * Example: 2020-03-12 over 24 hourly steps: ETH −55 % → each hour × 0.45^(1/24) ≈ −3.27 %.
 */

import library from "./drawdowns.json" with { type: "json" };
import type { Market } from "../types.ts";

export interface HistoricalScenario {
  id: string;
  start: string;
  durationHours: number;
  /** Peak-to-trough move per asset, in percent (−50 = halved). */
  moves: Record<string, number>;
  notes: string;
  sources: string[];
}

export const historicalScenarios = library.scenarios as unknown as HistoricalScenario[];

/** The move (fraction) a scenario gives each market, by symbol. */
export function scenarioMoves(scenario: Pick<HistoricalScenario, "moves">, markets: readonly Pick<Market, "symbol">[]): number[] {
  return markets.map((m) => {
    const asset = m.symbol.replace(/-PERP$/, "");
    const pct = scenario.moves[asset] ?? scenario.moves.ALT ?? 0;
    return pct / 100;
  });
}

/** A path of `steps` steps reaching `moves` (fractions per market) geometrically. */
export function pathFromMoves(moves: readonly number[], steps: number): number[][] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`a path needs a whole number of steps ≥ 1, got ${steps}`);
  const perStep = moves.map((m) => (m <= -1 ? -1 : Math.pow(1 + m, 1 / steps) - 1));
  return Array.from({ length: steps }, () => [...perStep]);
}
