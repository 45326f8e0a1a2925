/**
 * The request thread's stalls, said on stderr when BACKSTOP_LOG_STALLS names a threshold in ms:
 * every stretch at least that long in which the thread ran none of its callbacks (no request
 * answered), with how much of it the thread itself spent on a CPU — in garbage collection and
 * else — and so how long it only waited for one, the machine busy with other work. Under the
 * bench's load at 1,000,000 accounts the accounts pages' p99 was ~20 times their p50, and nothing
 * told a busy thread (work, or the collector) from a starved one.
 *
 * The thread's own CPU time is Linux's (/proc/thread-self/stat, in clock ticks of 10 ms):
 * elsewhere the line gives the stall and its garbage collection only.
 */

import { readFileSync } from "node:fs";
import { PerformanceObserver, constants, performance, type PerformanceEntry } from "node:perf_hooks";

/** How often the watch's timer asks to run: a stall is a turn of it that came this much later than asked, or more. */
const TICK_MS = 20;
/** Garbage collections remembered (their start and duration), newest last: enough to cover any stall reported. */
const GC_KEPT = 256;

/** This thread's CPU time so far in ms, or undefined where /proc does not say (not Linux). */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "latin1");
    // After the command's ")": state is field 3, utime and stime fields 14 and 15 (clock ticks, 100 a second).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export interface Stall {
  /** The last turn of the watch's timer before it (performance.now()), and how much later than asked the next came, in ms. */
  startedAt: number;
  ms: number;
  /** From that turn to the next: the thread's CPU time (undefined: not known here), and its garbage collections' (full ones apart). */
  cpuMs: number | undefined;
  gcMs: number;
  majorGcMs: number;
}

/** A stall in words, one line. */
export function describeStall({ ms, cpuMs, gcMs, majorGcMs }: Stall): string {
  const gc = `garbage collection ${gcMs.toFixed(0)} ms (full ${majorGcMs.toFixed(0)} ms)`;
  if (cpuMs === undefined) return `request thread: no callback ran for ${ms.toFixed(0)} ms; ${gc}`;
  const onCpu = Math.min(ms, cpuMs);
  return `request thread: no callback ran for ${ms.toFixed(0)} ms: on a CPU ${onCpu.toFixed(0)} ms (${gc}), waiting for one ${(ms - onCpu).toFixed(0)} ms`;
}

/**
 * Watches this thread for stalls of `thresholdMs` or more and hands each to `report` (a moment
 * after it ends, once its garbage collections are known). Returns the stop.
 */
export function watchStalls(thresholdMs: number, report: (stall: Stall) => void): () => void {
  const collections: { start: number; end: number; major: boolean }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      collections.push({ start: entry.startTime, end: entry.startTime + entry.duration, major: entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR });
    }
    if (collections.length > GC_KEPT) collections.splice(0, collections.length - GC_KEPT);
  });
  observer.observe({ entryTypes: ["gc"] });
  let [lastAt, lastCpu] = [performance.now(), threadCpuMs()];
  const timer = setInterval(() => {
    const [now, cpu] = [performance.now(), threadCpuMs()];
    const ms = now - lastAt - TICK_MS;
    if (ms >= thresholdMs) {
      // From the last turn of the timer: the thread's CPU and collections are counted from there (a collection that began the stall is in it).
      const startedAt = lastAt;
      const cpuMs = cpu === undefined || lastCpu === undefined ? undefined : cpu - lastCpu;
      // Its collections are delivered to the observer after the stall: counted a moment later.
      setTimeout(() => {
        let [gcMs, majorGcMs] = [0, 0];
        for (const { start, end, major } of collections) {
          const overlap = Math.max(0, Math.min(end, now) - Math.max(start, startedAt));
          gcMs += overlap;
          if (major) majorGcMs += overlap;
        }
        report({ startedAt, ms, cpuMs, gcMs, majorGcMs });
      }, 100).unref();
    }
    [lastAt, lastCpu] = [now, cpu];
  }, TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}

/** The watch BACKSTOP_LOG_STALLS asks for (a threshold in ms), on stderr; none when it is unset. */
export function watchStallsFromEnvironment(value = process.env.BACKSTOP_LOG_STALLS): void {
  if (value === undefined || value === "") return;
  const thresholdMs = Number(value);
  if (!Number.isFinite(thresholdMs) || thresholdMs <= 0) {
    console.error(`serve: BACKSTOP_LOG_STALLS must be a number of milliseconds above 0, got "${value}"; stalls are not logged`);
    return;
  }
  watchStalls(thresholdMs, (stall) => console.error(describeStall(stall)));
}
