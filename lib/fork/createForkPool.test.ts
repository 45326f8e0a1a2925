import { describe, expect, it } from "vitest";
import { createForkPool } from "./createForkPool.ts";

/** A task the test finishes by hand (no chain: the pool only schedules), recording when it started. */
function deferred(started: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { task: () => (started.push(name), done), finish: () => finish(name), fail: (message: string) => fail(new Error(message)) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("createForkPool", () => {
  it("runs at most `concurrency` tasks at once and starts the waiting ones in the order they were asked", async () => {
    const pool = createForkPool({ concurrency: 2 });
    const started: string[] = [];
    const tasks = ["a", "b", "c", "d"].map((n) => deferred(started, n));
    const results = tasks.map((t, i) => pool.run(`proposal-${i}:block-1`, t.task));
    await settle();
    expect(started).toEqual(["a", "b"]);
    expect(pool.load()).toEqual({ running: 2, waiting: 2 });
    tasks[1]!.finish();
    await settle();
    expect(started).toEqual(["a", "b", "c"]);
    tasks[0]!.fail("the fork did not finish within 60 s and was stopped");
    await settle();
    expect(started).toEqual(["a", "b", "c", "d"]);
    tasks[2]!.finish();
    tasks[3]!.finish();
    expect(await Promise.allSettled(results)).toEqual([
      { status: "rejected", reason: new Error("the fork did not finish within 60 s and was stopped") },
      { status: "fulfilled", value: "b" },
      { status: "fulfilled", value: "c" },
      { status: "fulfilled", value: "d" },
    ]);
    expect(pool.load()).toEqual({ running: 0, waiting: 0 });
  });

  it("a key asked again shares the kept result; a failed one is asked again; only the `keep` most recent are kept", async () => {
    const pool = createForkPool({ concurrency: 1, keep: 2 });
    const started: string[] = [];
    const first = deferred(started, "first");
    const p1 = pool.run("p:1", first.task);
    const p1Again = pool.run("p:1", deferred(started, "never").task);
    first.finish();
    expect(await p1Again).toBe("first");
    expect(await p1).toBe("first");

    const failing = deferred(started, "failing");
    const failed = pool.run("p:2", failing.task);
    failing.fail("anvil exited");
    await expect(failed).rejects.toThrow("anvil exited");
    const retry = deferred(started, "retry");
    const retried = pool.run("p:2", retry.task);
    retry.finish();
    expect(await retried).toBe("retry");

    const third = deferred(started, "third");
    const p3 = pool.run("p:3", third.task);
    third.finish();
    await p3;
    // p:1 was the oldest of three kept: asked again, it runs again.
    const rerun = deferred(started, "rerun");
    const p1Later = pool.run("p:1", rerun.task);
    rerun.finish();
    expect(await p1Later).toBe("rerun");
    expect(started).toEqual(["first", "failing", "retry", "third", "rerun"]);
  });
});
