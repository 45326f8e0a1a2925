/**
 * "Extreme but plausible": for each market, the largest drawdown its asset suffered in the
 * historical library (engine/scenarios/drawdowns.json, with sources), the move Cover-N is
 * measured under. A market whose asset the library does not name takes the largest move of any
 * asset in it (ALT moves included), so nothing is assumed safer than the worst on record.
 *
 * Example with the shipped library: ETH −55 % (2020-03-12), BTC −50 % (2020-03-12), SOL −60 %
 * (2022-11 FTX).
 */

import library from "../scenarios/drawdowns.json" with { type: "json" };
import type { Market } from "../types.ts";

interface Scenario {
  id: string;
  moves: Record<string, number>;
}

export interface ExtremeMove {
  marketId: number;
  move: number;
  scenarioId: string;
}

const shipped = library.scenarios as unknown as Scenario[];

export function extremeShock(markets: readonly Pick<Market, "id" | "symbol">[], scenarios: readonly Scenario[] = shipped): ExtremeMove[] {
  let worstAny = { move: 0, scenarioId: "" };
  const worst = new Map<string, { move: number; scenarioId: string }>();
  for (const s of scenarios) {
    for (const [asset, pct] of Object.entries(s.moves)) {
      const move = pct / 100;
      if (move < (worst.get(asset)?.move ?? 0)) worst.set(asset, { move, scenarioId: s.id });
      if (move < worstAny.move) worstAny = { move, scenarioId: s.id };
    }
  }
  return markets.map((m) => {
    const asset = m.symbol.replace(/-PERP$/, "");
    const found = worst.get(asset) ?? worstAny;
    return { marketId: m.id, ...found };
  });
}
