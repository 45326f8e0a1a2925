import { afterAll, describe, expect, it } from "vitest";
import { applyChanges, pathFromMoves, previewBand, previewChanges, simulateCascade, toJson, type ParamChange } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { cascadeOnPool, cascadeOnServer, closeEnginePool, enginePoolThreads, previewOnPool, previewOnServer, warmEnginePool } from "./enginePool.ts";

// One thread, whatever the machine: which thread holds which block is then known.
process.env.BACKSTOP_ENGINE_THREADS = "1";
afterAll(closeEnginePool);

const venue = syntheticSnapshot(400, { seed: 7, nearMaintenance: 0.2 });
const market = venue.markets[0]!;
/** ETH-PERP's maintenance margin raised by half, its initial margin with it: some accounts near maintenance fall below. */
const raise: ParamChange[] = [{ kind: "setMarketParams", marketId: market.id, params: { ...market.params, mmrWad: (market.params.mmrWad * 3n) / 2n, imrWad: (market.params.imrWad * 3n) / 2n } }];

describe("the engine pool", () => {
  it("answers a preview with the engine's own preview, in the same JSON", async () => {
    const { after, ...direct } = previewChanges(venue, raise);
    void after;
    const { json } = await previewOnPool(venue, raise);
    expect(json).toBe(toJson({ ...direct, band: undefined }));
    expect(direct.newlyLiquidatable.length, "the case is not empty: the raise liquidates someone").toBeGreaterThan(0);
  });

  it("answers a preview with its band across an execution window as previewBand computes it", async () => {
    const window = { process: { volPerSqrtSec: venue.markets.map(() => 0.0004), correlation: venue.markets.map((_, i) => venue.markets.map((_, j) => (i === j ? 1 : 0.5))) }, horizonSec: 3 * 86_400 };
    const { after, ...direct } = previewChanges(venue, raise);
    const band = previewBand(venue, after, { ...window, seed: 1 });
    const served = await previewOnServer(venue, raise, window);
    expect(toJson({ ...served, ms: undefined })).toBe(toJson({ ...direct, band }));
  });

  it("answers a cascade with simulateCascade's results per parameter set, reporting every step in order", async () => {
    const path = pathFromMoves(venue.markets.map(() => -0.3), 12);
    const impact = venue.markets.map(() => ({ model: "sqrt" as const, depthUsd: 5_000_000 }));
    const keeper = { gasCostUsd: 5, capacityPerStep: Infinity, latencySteps: 1 };
    const variants = [
      { label: "Current parameters", changes: [] },
      { label: "Proposed parameters", changes: raise },
    ];
    const progress: string[] = [];
    const served = await cascadeOnServer(venue, { variants, path, impact, keeper }, (done, total) => progress.push(`${done}/${total}`));
    const direct = variants.map((v) => {
      const { snapshot, issues } = applyChanges(venue, v.changes);
      const { steps, totals, amplification } = simulateCascade({ snapshot, path, impact, keeper });
      return { label: v.label, issues, steps, totals, amplification };
    });
    expect(served).toEqual(direct);
    expect(direct[0]!.totals.liquidations, "the crash liquidates someone").toBeGreaterThan(0);
    expect(progress).toEqual(Array.from({ length: 24 }, (_, i) => `${i + 1}/24`));
  });

  it("gives the same answers again and again on the snapshot it keeps: no task changes it for the next", async () => {
    const path = pathFromMoves(venue.markets.map(() => -0.3), 6);
    const impact = venue.markets.map(() => ({ model: "linear" as const, depthUsd: 2_000_000 }));
    const keeper = { gasCostUsd: 1, capacityPerStep: 20, latencySteps: 0 };
    const run = { variants: [{ label: "Proposed", changes: raise }, { label: "Current", changes: [] }], path, impact, keeper };
    const { after, ...preview } = previewChanges(venue, raise);
    void after;
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(toJson(await cascadeOnServer(venue, run)), (await previewOnPool(venue, raise)).json);
    const cascade = run.variants.map((v) => {
      const { snapshot, issues } = applyChanges(venue, v.changes);
      const { steps, totals, amplification } = simulateCascade({ snapshot, path, impact, keeper });
      return { label: v.label, issues, steps, totals, amplification };
    });
    expect(answers).toEqual([toJson(cascade), toJson({ ...preview, band: undefined }), toJson(cascade), toJson({ ...preview, band: undefined })]);
  });

  it("keeps each block's snapshot: a second task on the same block does not read it again, another block's does", async () => {
    const first = await previewOnPool(venue, raise);
    const again = await previewOnPool(venue, []);
    // The next block: one account's cash moved.
    const next = { ...venue, blockNumber: venue.blockNumber + 1n, blockHash: "0x01" as const, accounts: venue.accounts.map((a, i) => (i === 5 ? { ...a, cashUsd: a.cashUsd - 10n ** 18n } : a)) };
    const other = await previewOnPool(next, raise);
    expect([first.loadedSnapshot, again.loadedSnapshot, other.loadedSnapshot]).toEqual([false, false, true]);
    expect(other.accountsRead, "of the next block, only the account that changed is read").toBe(1);
    const { after, ...direct } = previewChanges(next, raise);
    void after;
    expect(other.json).toBe(toJson({ ...direct, band: undefined }));
  });

  it("a block warmed as it is published is held when its first preview comes", async () => {
    // The thread holds `venue` (a task of its block), then the next block is published.
    await previewOnPool(venue, raise);
    const next = { ...venue, blockNumber: venue.blockNumber + 7n, blockHash: "0x07" as const, accounts: venue.accounts.map((a, i) => (i === 9 ? { ...a, cashUsd: a.cashUsd + 10n ** 18n } : a)) };
    void warmEnginePool(next);
    const first = await previewOnPool(next, raise);
    expect(first.loadedSnapshot, "the warm-up read the block before the preview came").toBe(false);
    const { after, ...direct } = previewChanges(next, raise);
    void after;
    expect(first.json).toBe(toJson({ ...direct, band: undefined }));
  });

  it("blocks published while a warm-up runs: the latest of them is read next", async () => {
    const block = (n: bigint) => ({ ...venue, blockNumber: venue.blockNumber + n, blockHash: `0x${n.toString(16)}` as const, accounts: venue.accounts.map((a, i) => (i === Number(n) ? { ...a, cashUsd: a.cashUsd + n } : a)) });
    void warmEnginePool(block(20n));
    void warmEnginePool(block(21n));
    await warmEnginePool(block(22n));
    const latest = await previewOnPool(block(22n), raise);
    expect(latest.loadedSnapshot, "the thread holds the last block published, read while no task waited").toBe(false);
  });

  it("stops a task whose request is aborted, queued or running, keeping the thread and its snapshot for the next", async () => {
    const path = pathFromMoves(venue.markets.map(() => -0.5), 200);
    const run = { variants: [{ label: "x", changes: [] }], path, impact: venue.markets.map(() => ({ model: "sqrt" as const, depthUsd: 1_000_000 })), keeper: { gasCostUsd: 0, capacityPerStep: Infinity, latencySteps: 0 } };
    const running = new AbortController();
    const steps: number[] = [];
    const cascade = cascadeOnPool(venue, run, (done) => {
      steps.push(done);
      if (done === 2) running.abort();
    }, running.signal);
    const queued = new AbortController();
    const preview = previewOnPool(venue, raise, undefined, queued.signal);
    queued.abort();
    await expect(preview).rejects.toThrow(/abort/i);
    await expect(cascade).rejects.toThrow(/abort/i);
    expect(steps.length, "the run stopped before its end").toBeLessThan(200);
    const { after, ...direct } = previewChanges(venue, raise);
    void after;
    const next = await previewOnPool(venue, raise);
    expect(next.json).toBe(toJson({ ...direct, band: undefined }));
    expect(next.loadedSnapshot, "the same thread answered, the block's snapshot still in hand").toBe(false);
  });
});

describe("enginePoolThreads", () => {
  it.each([
    ["a whole number is taken as it is", "3", 3],
    ["blank is the default: one fewer than the cores, at least one", " ", undefined],
  ])("%s", (_name, raw, expected) => {
    const n = enginePoolThreads({ BACKSTOP_ENGINE_THREADS: raw });
    if (expected === undefined) expect(n).toBeGreaterThanOrEqual(1);
    else expect(n).toBe(expected);
  });
  it.each(["0", "-1", "1.5", "two"])("refuses %j in words", (raw) => {
    expect(() => enginePoolThreads({ BACKSTOP_ENGINE_THREADS: raw })).toThrow(`BACKSTOP_ENGINE_THREADS must be a whole number of threads, at least 1 (it is "${raw}")`);
  });
});
