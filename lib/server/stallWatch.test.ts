import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { describeStall, watchStalls, type Stall } from "./stallWatch.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keeps this thread on the CPU for `ms`, collecting its garbage (a full collection) `collections` times first. */
function busy(ms: number, collections = 0) {
  const started = performance.now();
  for (let k = 0; k < collections; k++) gc();
  while (performance.now() - started < ms);
}

describe("watchStalls", () => {
  it("reports a stretch with no callback run, the thread's CPU and garbage collection in it", async () => {
    const stalls: Stall[] = [];
    const stop = watchStalls(150, (stall) => stalls.push(stall));
    try {
      await sleep(100); // a quiet stretch first: no stall
      expect(stalls).toEqual([]);
      busy(400, 3);
      await sleep(300);
    } finally {
      stop();
    }
    expect(stalls).toHaveLength(1);
    const [stall] = stalls as [Stall];
    expect(stall.ms).toBeGreaterThanOrEqual(380);
    expect(stall.ms).toBeLessThan(1_000);
    // Linux clock ticks: 10 ms. The thread was on the CPU for most of it (a busy machine may take some).
    expect(stall.cpuMs).toBeDefined();
    expect(stall.cpuMs!).toBeGreaterThan(0);
    expect(stall.cpuMs!).toBeLessThanOrEqual(stall.ms + 30);
    expect(stall.majorGcMs).toBeGreaterThan(0);
    expect(stall.gcMs).toBeGreaterThanOrEqual(stall.majorGcMs);
    // Counted from the timer's last turn: at most a tick (20 ms) more than the stall.
    expect(stall.gcMs).toBeLessThanOrEqual(stall.ms + 20);
  });

  it("reports nothing once stopped", async () => {
    const stalls: Stall[] = [];
    watchStalls(50, (stall) => stalls.push(stall))();
    busy(200);
    await sleep(200);
    expect(stalls).toEqual([]);
  });
});

describe("describeStall", () => {
  it("splits a stall into time on a CPU and time waiting for one", () => {
    expect(describeStall({ startedAt: 0, ms: 812.4, cpuMs: 120, gcMs: 80.2, majorGcMs: 60 })).toBe(
      "request thread: no callback ran for 812 ms: on a CPU 120 ms (garbage collection 80 ms (full 60 ms)), waiting for one 692 ms",
    );
  });

  it("counts no more on a CPU than the stall lasted (the ticks are coarse) and says so where the CPU time is not known", () => {
    expect(describeStall({ startedAt: 0, ms: 205, cpuMs: 210, gcMs: 0, majorGcMs: 0 })).toBe("request thread: no callback ran for 205 ms: on a CPU 205 ms (garbage collection 0 ms (full 0 ms)), waiting for one 0 ms");
    expect(describeStall({ startedAt: 0, ms: 300, cpuMs: undefined, gcMs: 12, majorGcMs: 0 })).toBe("request thread: no callback ran for 300 ms; garbage collection 12 ms (full 0 ms)");
  });
});
