/**
 * For tests of jobs run on the helper thread (lib/server/helperThread): it starts with the first
 * call and takes a moment, so the jobs are made and run again — the caller's own work a 200 ms
 * wait — until the helper has run one of them (at most 30 s).
 */

import { runWithHelper, type HelperJob } from "../server/helperThread.ts";

export function runUntilHelped<T extends HelperJob>(make: () => T[]): { jobs: T[]; helped: number } {
  let jobs: T[] = [];
  let helped = 0;
  for (const deadline = Date.now() + 30_000; helped === 0 && Date.now() < deadline; ) {
    jobs = make();
    helped = runWithHelper(jobs, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200));
  }
  return { jobs, helped };
}
