import { describe, expect, it } from "vitest";
import { historicalScenarios, pathFromMoves, scenarioMoves } from "./scenarios.ts";

const markets = ["ETH-PERP", "BTC-PERP", "DOGE-PERP"].map((symbol) => ({ symbol }));

describe("historicalScenarios (drawdowns.json)", () => {
  // The engine imports nothing but decimal.js, so the shipped file is checked here rather than by a schema at load.
  it("every scenario has an id, an ISO start date, a positive duration, drawdowns in (−100 %, 0 %], notes and sources", () => {
    expect(historicalScenarios.length).toBeGreaterThan(0);
    expect(new Set(historicalScenarios.map((s) => s.id)).size).toBe(historicalScenarios.length);
    for (const s of historicalScenarios) {
      expect(s.id, s.id).toMatch(/^\d{4}-\d{2}(-\d{2})?-[a-z0-9-]+$/);
      expect(Number.isNaN(Date.parse(s.start)), s.id).toBe(false);
      expect(s.durationHours, s.id).toBeGreaterThan(0);
      expect(Object.keys(s.moves).length, s.id).toBeGreaterThan(0);
      for (const pct of Object.values(s.moves)) expect(pct > -100 && pct <= 0, `${s.id}: ${pct}`).toBe(true);
      expect(s.notes.length, s.id).toBeGreaterThan(0);
      expect(s.sources.length, s.id).toBeGreaterThan(0);
    }
  });
});

describe("scenarioMoves", () => {
  it("maps markets to assets by symbol, falls back to ALT, else no move; percent to fraction", () => {
    expect(scenarioMoves({ moves: { ETH: -50, ALT: -70 } }, markets)).toEqual([-0.5, -0.7, -0.7]);
    expect(scenarioMoves({ moves: { ETH: -50 } }, markets)).toEqual([-0.5, 0, 0]);
  });
});

describe("pathFromMoves", () => {
  it("compounds to exactly the move at the end: 24 steps of a −50 % path end at half the price", () => {
    const path = pathFromMoves([-0.5, 0.1], 24);
    expect(path).toHaveLength(24);
    const end = [0, 1].map((i) => path.reduce((price, step) => price * (1 + step[i]!), 1));
    expect(end[0]).toBeCloseTo(0.5, 12);
    expect(end[1]).toBeCloseTo(1.1, 12);
  });

  it("a move to zero or below takes the price to zero in the first step", () => {
    expect(pathFromMoves([-1], 3)).toEqual([[-1], [-1], [-1]]);
  });

  it.each([0, -1, 2.5, Number.NaN])("refuses %s steps with a sentence", (steps) => {
    expect(() => pathFromMoves([-0.1], steps)).toThrow(/a path needs a whole number of steps ≥ 1/);
  });
});
