import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeAccountRisk, computeCover, computeSystemRisk, extremeShock } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { openDatabase, type Database } from "../db/database.ts";
import type { AccountRow } from "../api/wire.ts";
import { accountRows } from "./views.ts";
import { createAccountTableBuilder } from "./accountTable.ts";
import { HISTORY_POINTS, healthQuantiles, historyPointOf, readHistory, recordHistoryPoint } from "./history.ts";

/** The figures of a synthetic venue at some block and time (the venue's, computed by the engine). */
const venue = syntheticSnapshot(200, { seed: 3 });
const risk = computeSystemRisk(venue);
const cover = computeCover(venue, extremeShock(venue.markets).map((m) => m.move));
const table = createAccountTableBuilder()(accountRows(venue, venue.accounts.map((a) => computeAccountRisk(venue, a))));
const base = historyPointOf(venue, risk, cover, table);
const at = (block: number, timestamp: number, liquidatable = base.liquidatable) => ({ ...base, blockNumber: String(block), timestamp, liquidatable });
const hash = (block: number, fork = 0) => `0x${fork.toString(16).padStart(2, "0")}${block.toString(16).padStart(62, "0")}`;

describe("the system's history in the database (PGlite in memory)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url: undefined, dataDir: "memory://" });
  });
  afterAll(() => db.close());

  it("keeps a block's figures as the engine computed them, for the block's own chain only", async () => {
    await recordHistoryPoint(db, 31337, hash(1), at(1, 1_000));
    await recordHistoryPoint(db, 1, hash(1), at(1, 1_000, 99));
    const [point] = await readHistory(db, 31337, "all");
    expect(point).toEqual(at(1, 1_000));
    expect(point!.insuranceFundUsd).toBe(Number(venue.reserves.insuranceFundUsd) / 1e18);
    expect(point!.liquidatable).toBe(risk.liquidatable.length);
    expect(point!.markets.map((m) => m.symbol)).toEqual(venue.markets.map((m) => m.symbol));
  });

  it("replaces a block's row when a reorg brings another block at its height, and ignores a second record of the same block", async () => {
    await recordHistoryPoint(db, 31337, hash(2), at(2, 1_012, 5));
    await recordHistoryPoint(db, 31337, hash(2, 1), at(2, 1_012, 7));
    await recordHistoryPoint(db, 31337, hash(2, 1), at(2, 1_012, 9));
    const rows = await db.query<{ block_hash: string }>("select block_hash from system_history where chain_id = 31337 and block_number = 2");
    expect(rows).toEqual([{ block_hash: hash(2, 1) }]);
    expect((await readHistory(db, 31337, "all")).at(-1)!.liquidatable).toBe(7);
  });

  it("answers a range with at most 240 points, each the last block of its run, oldest first, ending at the newest block", async () => {
    // Two days of blocks, one every 2 minutes (1,440 of them), after the two above.
    const start = 10_000;
    for (let i = 0; i < 1_440; i++) await recordHistoryPoint(db, 31337, hash(100 + i), at(100 + i, start + i * 120, i % 17));
    const newest = start + 1_439 * 120;
    const day = await readHistory(db, 31337, "24h");
    expect(day.length).toBeLessThanOrEqual(HISTORY_POINTS);
    expect(day.length).toBeGreaterThan(HISTORY_POINTS / 2);
    expect(day.at(-1)!.blockNumber).toBe(String(100 + 1_439));
    expect(day.every((p) => p.timestamp >= newest - 86_400)).toBe(true);
    const blocks = day.map((p) => Number(p.blockNumber));
    expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
    expect(new Set(blocks).size).toBe(blocks.length);
    const hour = await readHistory(db, 31337, "1h");
    expect(hour.map((p) => p.blockNumber)).toEqual(Array.from({ length: 31 }, (_, i) => String(100 + 1_409 + i)));
    // All: blocks 1 to 1,539 in runs of 7 back from the newest; the oldest run holds blocks 1 and 2, and is shown by the later.
    const all = await readHistory(db, 31337, "all");
    expect(all[0]!.blockNumber).toBe("2");
    expect(all.length).toBeLessThanOrEqual(HISTORY_POINTS);
  });
});

describe("health quantiles of a block (healthQuantiles, from the accounts table built of fake rows)", () => {
  // The definition: the known healths sorted ascending, the value at ⌊q·n⌋ (the last for a rank past the end), −0 as +0 (equal, in either order).
  const bySorting = (healths: (number | null)[]) => {
    const known = healths.filter((h): h is number => h !== null && !Number.isNaN(h)).sort((a, b) => a - b);
    const at = (q: number) => (known.length ? known[Math.min(known.length - 1, Math.floor(q * known.length))]! + 0 : null);
    return { p10: at(0.1), p50: at(0.5) };
  };
  /** A table of rows with these healths and nothing else to them. */
  const tableOf = (healths: (number | null)[]) => {
    const rows = healths.map((health, i): AccountRow => ({ address: `0x${i.toString(16).padStart(40, "0")}`, equityUsd: 0, notionalUsd: 0, health, leverage: null, distanceToLiquidation: null, markets: health === null ? [] : ["ETH-PERP"], adlLight: null, liquidatable: false }));
    return createAccountTableBuilder()(rows);
  };
  it("are the values a sort puts at the 10th and 50th percentile ranks, with many ties, none or a few known, nulls and NaN skipped", () => {
    const health = fc.oneof(fc.constant(null), fc.constant(NaN), fc.integer({ min: 0, max: 6 }).map((k) => k / 2), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(health, { maxLength: 300 }), (healths) => {
        expect(healthQuantiles(tableOf(healths))).toEqual(bySorting(healths));
      }),
      { numRuns: 300 },
    );
    expect(healthQuantiles(tableOf([-0, 0, 0]))).toEqual({ p10: 0, p50: 0 });
    expect(healthQuantiles(tableOf([null, NaN]))).toEqual({ p10: null, p50: null });
  });
});
