/**
 * Peak resident memory of processes and everything they started, from Linux's /proc (the venue
 * bench's indexer and server): each process's own peak is its VmHWM (the kernel's high-water mark
 * of its RSS, so no peak falls between two samples), and the processes of a tree are found through
 * each one's parent in /proc/<pid>/stat, sampled every `intervalMs` so a child that comes and goes
 * between the start and the end is counted too. A tree's peak is the sum of its processes' peaks:
 * exact for a tree of one process, an upper bound otherwise (two children may peak at different
 * moments). Beside each tree's peak, the highest RSS of all the trees together in one sample: what
 * the machine had to hold for them at one moment (a peak between two samples can be missed there).
 */

import { readdirSync, readFileSync } from "node:fs";

/** The parent's PID in the text of /proc/<pid>/stat: the field after the state, after the command name in parentheses (which may itself hold spaces and parentheses). */
export function parentPidOfStat(stat: string): number {
  const [, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(ppid);
}

/** Clock ticks a second in /proc/<pid>/stat's times (USER_HZ: 100 on Linux's every architecture that matters here). */
const TICKS_A_SECOND = 100;

/** The CPU time a process has used (user + system), seconds, from the text of /proc/<pid>/stat: the 12th and 13th fields after the command name. */
export function cpuSecondsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_A_SECOND;
}

/** The CPU time process `pid` has used, seconds; undefined once it has ended. */
export function cpuSecondsOf(pid: number): number | undefined {
  const stat = readProc(pid, "stat");
  return stat === undefined ? undefined : cpuSecondsOfStat(stat);
}

/** A "Name:   1234 kB" field of /proc/<pid>/status, in KiB; 0 when absent (a zombie has no VmHWM). */
export function statusFieldKiB(status: string, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : 0;
}

/** `root` and every process descending from it (children, their children…), given each process's parent; `root` first. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

/** Reads a /proc file of a process that may have ended meanwhile (then undefined). */
function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** Every live process's parent, from /proc. */
function readParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), "stat");
    if (stat) parents.set(Number(name), parentPidOfStat(stat));
  }
  return parents;
}

export interface PeakRss {
  /** The peak of each tree watched, MiB. */
  peaks: Map<string, number>;
  /** The highest sum of every tree's RSS in one sample (the trees together at one moment), MiB: at most the sum of `peaks`, less when they peak at different times. */
  together: number;
  /** Each tree's RSS in that sample, MiB: which of them held what when they held the most together. */
  togetherByTree: Map<string, number>;
}

export interface PeakRssWatch {
  /** Start watching the tree rooted at `pid` under `name`. */
  add(name: string, pid: number): void;
  /** A last sample, then the peaks. */
  stop(): PeakRss;
}

/** Sum of a tree's processes' RSS in KiB, given each one's /proc status; a process gone meanwhile is undefined and counts 0. */
export function treeRssKiB(statuses: readonly (string | undefined)[]): number {
  return statuses.reduce((sum, status) => sum + (status ? statusFieldKiB(status, "VmRSS") : 0), 0);
}

/** Watches the peak RSS of process trees (see the file's header) until stop(). */
export function watchPeakRss(intervalMs = 500): PeakRssWatch {
  const roots = new Map<string, number>();
  /** Per tree, each process's highest VmHWM seen, KiB. */
  const peaks = new Map<string, Map<number, number>>();
  let togetherKiB = 0;
  let togetherByTree = new Map<string, number>();
  const sample = () => {
    const parents = readParents();
    const now = new Map<string, number>();
    for (const [name, root] of roots) {
      const tree = peaks.get(name)!;
      const statuses = descendantsOf(root, parents).map((pid) => [pid, readProc(pid, "status")] as const);
      for (const [pid, status] of statuses) {
        if (status) tree.set(pid, Math.max(tree.get(pid) ?? 0, statusFieldKiB(status, "VmHWM"), statusFieldKiB(status, "VmRSS")));
      }
      now.set(name, treeRssKiB(statuses.map(([, status]) => status)));
    }
    const nowKiB = [...now.values()].reduce((a, b) => a + b, 0);
    if (nowKiB > togetherKiB) [togetherKiB, togetherByTree] = [nowKiB, now];
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    add(name, pid) {
      roots.set(name, pid);
      peaks.set(name, new Map());
      sample();
    },
    stop() {
      sample();
      clearInterval(timer);
      const mib = (kib: number) => kib / 1024;
      return { peaks: new Map([...peaks].map(([name, tree]) => [name, mib([...tree.values()].reduce((a, b) => a + b, 0))])), together: mib(togetherKiB), togetherByTree: new Map([...togetherByTree].map(([name, kib]) => [name, mib(kib)])) };
    },
  };
}
