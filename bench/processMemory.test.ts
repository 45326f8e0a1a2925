import { describe, expect, it } from "vitest";
import { cpuSecondsOf, cpuSecondsOfStat, descendantsOf, parentPidOfStat, statusFieldKiB, treeRssKiB } from "./processMemory.ts";

describe("parentPidOfStat", () => {
  it.each([
    ["a plain command name", "4242 (node) S 4100 4242 4100 0 -1 4194560", 4100],
    ["a command name with spaces and parentheses", "77 (tsx (watch) x) R 12 77 12 0 -1", 12],
    ["the init process's parent, 0", "1 (init) S 0 1 1 0 -1", 0],
  ])("reads the parent of %s", (_, stat, ppid) => {
    expect(parentPidOfStat(stat)).toBe(ppid);
  });
});

describe("cpuSecondsOfStat (made-up stat lines)", () => {
  it("adds the user and system ticks, after a command name with spaces and parentheses", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    expect(cpuSecondsOfStat("77 (tsx (watch) x) R 12 77 12 0 -1 4194560 10 0 0 0 4250 730 0 0 20 0")).toBe(49.8);
  });
});

describe("cpuSecondsOf", () => {
  it("grows while this process works, and is undefined for a process that is not there", () => {
    const before = cpuSecondsOf(process.pid)!;
    for (const started = performance.now(); performance.now() - started < 300; );
    expect(cpuSecondsOf(process.pid)!).toBeGreaterThan(before);
    expect(cpuSecondsOf(2 ** 30)).toBeUndefined();
  });
});

describe("statusFieldKiB", () => {
  const status = "Name:\tnode\nVmPeak:\t 9000 kB\nVmHWM:\t  812345 kB\nVmRSS:\t  700001 kB\nThreads:\t11\n";
  it("reads the high-water mark, not the peak of virtual memory", () => expect(statusFieldKiB(status, "VmHWM")).toBe(812345));
  it("reads the current resident set", () => expect(statusFieldKiB(status, "VmRSS")).toBe(700001));
  it("is 0 for a zombie, which has no memory fields", () => expect(statusFieldKiB("Name:\tnode\nState:\tZ (zombie)\n", "VmRSS")).toBe(0));
});

describe("descendantsOf", () => {
  const parents = new Map([
    [10, 1],
    [11, 10],
    [12, 10],
    [13, 12],
    [20, 1],
    [21, 20],
  ]);
  it("finds children and grandchildren, the root first", () => expect(descendantsOf(10, parents)).toEqual([10, 11, 12, 13]));
  it("leaves out a sibling tree", () => expect(descendantsOf(20, parents)).toEqual([20, 21]));
  it("is the root alone for a process without children", () => expect(descendantsOf(13, parents)).toEqual([13]));
});

describe("treeRssKiB", () => {
  const status = (rss: number, hwm: number) => `Name:\tnode\nVmHWM:\t${hwm} kB\nVmRSS:\t${rss} kB\n`;
  it("adds the processes' resident sets now, not their high-water marks", () => expect(treeRssKiB([status(300, 900), status(45, 50)])).toBe(345));
  it("counts a process that ended between the listing and the reading as 0", () => expect(treeRssKiB([status(300, 900), undefined])).toBe(300));
});
