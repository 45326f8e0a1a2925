import { describe, expect, it } from "vitest";
import { columnarOf, prepareFigureScreen } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { runUntilHelped } from "../testing/runUntilHelped.ts";
import { placeBuffer, placesIn, riskBounds, screenRows, type RowScreenJob } from "./rowScreen.ts";

const shared = <T>(Kind: new (buffer: SharedArrayBuffer) => T, bytes: number) => new Kind(new SharedArrayBuffer(bytes));

describe("the rows' screen as a job (screenRows), on the helper thread", () => {
  it("writes the same figures, flags, risk bounds and places as on this thread", { timeout: 60_000 }, () => {
    const s = syntheticSnapshot(3_000, { seed: 5 });
    const columnar = columnarOf(s);
    const screen = prepareFigureScreen({ markets: s.markets, collaterals: s.collaterals });
    const n = s.accounts.length;
    const jobOf = (): RowScreenJob => {
      const floats = () => shared(Float64Array, 8 * n);
      const figures = { equityUsd: floats(), notionalUsd: floats(), health: floats(), leverage: floats(), distanceToLiquidation: floats(), liquidatable: shared(Uint8Array, n) };
      return { kind: "screen", columnar, screen, list: null, from: 1_000, to: n, figures, screened: shared(Uint8Array, n), riskBounds: riskBounds(n), places: placeBuffer(placesIn(columnar, null, 1_000, n)) };
    };
    const here = jobOf();
    screenRows(here);
    expect(here.places.count[0]).toBeGreaterThan(2_000);
    expect([...here.screened.subarray(1_000)].filter((flag) => flag === 1).length).toBeGreaterThan(1_900);
    const {
      jobs: [there],
      helped,
    } = runUntilHelped(() => [jobOf()]);
    expect(helped).toBe(1);
    const contents = ({ figures, screened, riskBounds: bounds, places }: RowScreenJob) => ({
      figures: Object.fromEntries(Object.entries(figures).map(([name, column]) => [name, [...column]])),
      riskBounds: Object.fromEntries(Object.entries(bounds).map(([name, column]) => [name, [...column]])),
      screened: [...screened],
      places: Object.fromEntries(Object.entries(places).map(([name, column]) => [name, [...column].slice(0, places.count[0])])),
    });
    expect(contents(there!)).toEqual(contents(here));
  });
});
