import { describe, expect, it } from "vitest";
import { columnarOf, extremeShock, followCover } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { runUntilHelped } from "../testing/runUntilHelped.ts";
import { coverBoundsJob } from "./coverBounds.ts";

describe("Cover's deficit bounds as a job (coverBounds), on the helper thread", () => {
  it("bounds every row as followCover does, and followCover given them finds the same Cover", { timeout: 60_000 }, () => {
    const s = syntheticSnapshot(2_000, { seed: 4 });
    const shock = extremeShock(s.markets).map((m) => m.move);
    const here = followCover(s, shock);
    const {
      jobs: [job],
      helped,
    } = runUntilHelped(() => [coverBoundsJob(columnarOf(s), s, shock)]);
    expect(helped).toBe(1);
    const n = s.accounts.length;
    expect([...job!.low.subarray(0, n)]).toEqual([...here.rows.low]);
    expect([...job!.high.subarray(0, n)]).toEqual([...here.rows.high]);
    expect(here.rows.high.some((high) => high > 0)).toBe(true);
    expect(followCover(s, shock, undefined, { bounded: job! }).cover).toEqual(here.cover);
  });

  it("writes into the arrays it is given when they are shared and long enough, else into new shared ones", () => {
    const s = syntheticSnapshot(100, { seed: 4 });
    const shock = extremeShock(s.markets).map((m) => m.move);
    const shared = { low: new Float64Array(new SharedArrayBuffer(8 * 100)), high: new Float64Array(new SharedArrayBuffer(8 * 100)) };
    expect(coverBoundsJob(columnarOf(s), s, shock, shared).low).toBe(shared.low);
    const short = { low: shared.low.subarray(0, 99), high: shared.high.subarray(0, 99) };
    const plain = { low: new Float64Array(100), high: new Float64Array(100) };
    for (const room of [short, plain]) {
      const job = coverBoundsJob(columnarOf(s), s, shock, room);
      expect([job.low === room.low, job.low.buffer instanceof SharedArrayBuffer, job.low.length >= 100]).toEqual([false, true, true]);
    }
  });
});
