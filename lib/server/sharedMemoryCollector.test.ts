import { describe, expect, it } from "vitest";
import { collectWhenIdle, createSharedMemoryCollector } from "./sharedMemoryCollector.ts";

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
