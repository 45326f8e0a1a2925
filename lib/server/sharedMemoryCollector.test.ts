import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { collectWhenIdle, createHeapGrowthCollector, createSharedMemoryCollector, oldGenerationBytes, PACED_PROCESS_FLAGS } from "./sharedMemoryCollector.ts";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("full collections paced by the shared memory the thread drops", () => {
  it("collects once the bytes dropped reach the limit, and counts again from there", async () => {
    let collections = 0;
    const dropped = createSharedMemoryCollector({ limit: 100, collect: () => collections++ });
    expect([dropped(60), dropped(39)]).toEqual([false, false]);
    expect(dropped(1)).toBe(true);
    await turn();
    expect(collections).toBe(1);
    expect(dropped(99)).toBe(false);
    expect(dropped(1)).toBe(true);
  });

  it("frees what holds a dropped shared buffer, with V8's own collector", async () => {
    const freed: string[] = [];
    const registry = new FinalizationRegistry((name: string) => freed.push(name));
    // A table as the request thread holds one: a plain object over shared memory, old enough to be in the old generation.
    (() => registry.register({ column: new Float64Array(new SharedArrayBuffer(1 << 20)) }, "table"))();
    const dropped = createSharedMemoryCollector({ limit: 1 << 20 });
    expect(dropped(1 << 20)).toBe(true);
    for (let i = 0; i < 20 && freed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(freed).toEqual(["table"]);
  });

  it("does nothing where there is no collector", () => {
    expect(createSharedMemoryCollector({ limit: 1, collect: null })(10)).toBe(false);
  });
});

describe("a full collection when the thread goes idle (collectWhenIdle)", () => {
  it("runs after the current turn and frees what nothing holds any more", async () => {
    const freed: string[] = [];
    const registry = new FinalizationRegistry((name: string) => freed.push(name));
    (() => registry.register({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) }, "garbage of a full read"))();
    expect(collectWhenIdle()).toBe(true);
    expect(freed).toEqual([]); // not in this turn
    for (let i = 0; i < 20 && freed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(freed).toEqual(["garbage of a full read"]);
  });
});

describe("full collections between bursts of work, paced by the old generation's growth (createHeapGrowthCollector)", () => {
  it("collects after the turn once the heap grew by the limit since the last collection, and counts from what that left", async () => {
    let heap = 1000;
    let collections = 0;
    const afterBlock = createHeapGrowthCollector({ growth: 100, heapBytes: () => heap, collect: () => ((collections += 1), (heap -= 70)) });
    expect(afterBlock()).toBe(false); // counted from the first block's 1000
    heap = 1050;
    expect(afterBlock()).toBe(false);
    heap = 1100;
    expect(afterBlock()).toBe(true);
    expect(collections).toBe(0); // not in this turn
    await turn();
    expect([collections, heap]).toEqual([1, 1030]);
    // From 1030, what the collection left: 1129 is not yet 100 more.
    heap = 1129;
    expect(afterBlock()).toBe(false);
    heap = 1130;
    expect(afterBlock()).toBe(true);
  });

  it("counts from a smaller heap when V8 collected on its own meanwhile", () => {
    let heap = 1000;
    const afterBlock = createHeapGrowthCollector({ growth: 100, heapBytes: () => heap, collect: () => {} });
    expect(afterBlock()).toBe(false);
    heap = 950; // V8's own collection
    expect(afterBlock()).toBe(false);
    heap = 1049;
    expect(afterBlock()).toBe(false);
    heap = 1050;
    expect(afterBlock()).toBe(true);
  });

  it("does nothing where there is no collector, and measures the heap without its young generation", () => {
    expect(createHeapGrowthCollector({ growth: 0, collect: null })()).toBe(false);
    const old = oldGenerationBytes();
    expect(old).toBeGreaterThan(0);
    expect(old).toBeLessThanOrEqual(getHeapStatistics().used_heap_size);
  });

  /**
   * A process (V8's flags are the process's) that holds ~100 MB of objects, collects them once
   * and idles 14 s — V8's memory reducer starts its collections 8 s after a full one — with or
   * without `flags`; --trace-gc names the reducer's "(reduce)".
   */
  const reducerCollections = async (flags: string[]) => {
    const collector = fileURLToPath(new URL("./sharedMemoryCollector.ts", import.meta.url));
    const script = [
      `import { collectNow } from ${JSON.stringify(collector)};`,
      "globalThis.kept = Array.from({ length: 1_000_000 }, (_, i) => ({ i, s: String(i) }));",
      "collectNow();",
      "setTimeout(() => {}, 14_000);",
    ].join("\n");
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, "--trace-gc", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    return stdout.split("\n").filter((line) => line.includes("(reduce)")).length;
  };

  it("runs its process without V8's memory reducer, which collects an idle heap on its own, into the next burst's time", async () => {
    const [without, paced] = await Promise.all([reducerCollections([]), reducerCollections(PACED_PROCESS_FLAGS)]);
    expect(without).toBeGreaterThan(0);
    expect(paced).toBe(0);
  }, 30_000);
});
