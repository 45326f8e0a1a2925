import { describe, expect, it } from "vitest";
import { extremeShock } from "./extremeShock.ts";

const markets = ["ETH-PERP", "BTC-PERP", "DOGE-PERP"].map((symbol, id) => ({ id, symbol }));

describe("extremeShock", () => {
  it("takes each asset's worst move across scenarios, naming the scenario it comes from", () => {
    const scenarios = [
      { id: "a", moves: { ETH: -30, BTC: -45 } },
      { id: "b", moves: { ETH: -55, BTC: -20 } },
    ];
    expect(extremeShock(markets.slice(0, 2), scenarios)).toEqual([
      { marketId: 0, move: -0.55, scenarioId: "b" },
      { marketId: 1, move: -0.45, scenarioId: "a" },
    ]);
  });

  it("an asset no scenario names takes the largest move of any asset (ALT included): nothing is assumed safer than the worst on record", () => {
    const scenarios = [{ id: "alts", moves: { ETH: -30, ALT: -70 } }];
    expect(extremeShock(markets, scenarios)[2]).toEqual({ marketId: 2, move: -0.7, scenarioId: "alts" });
  });

  it("a rise is no shock: with only gains on record the move is 0", () => {
    expect(extremeShock(markets.slice(0, 1), [{ id: "up", moves: { ETH: 20 } }])).toEqual([{ marketId: 0, move: 0, scenarioId: "" }]);
  });

  it("the shipped library gives the header's figures: ETH −55 %, BTC −50 %, SOL −60 %", () => {
    const moves = extremeShock(["ETH-PERP", "BTC-PERP", "SOL-PERP"].map((symbol, id) => ({ id, symbol }))).map((m) => m.move);
    expect(moves).toEqual([-0.55, -0.5, -0.6]);
  });
});
