/**
 * An incident replay: a real incident's mechanism staged on the local chain, and what Backstop
 * shows of it. `run` drives the events through a ReplayHarness and returns the figures its test
 * asserts on (what the dashboard shows, and the chain's own account of what happened).
 */

import type { ReplayHarness } from "./harness.ts";

export interface Replay<Result = unknown> {
  name: string;
  date: string;
  /** One sentence: what happened then, and what Backstop must show. */
  summary: string;
  run(h: ReplayHarness, log: (line: string) => void): Promise<Result>;
}
