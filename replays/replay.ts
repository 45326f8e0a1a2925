/**
 * An incident replay: a real incident's mechanism staged on the local chain, and what Backstop
 * shows of it. `run` drives the events through a ReplayHarness and returns the figures its test
 * asserts on (what the dashboard shows, and the chain's own account of what happened).
 */

import { createReplayHarness, type ReplayHarness, type ReplayHarnessOptions } from "./harness.ts";

export interface Replay<Result = unknown> {
  name: string;
  date: string;
  /** One sentence: what happened then, and what Backstop must show. */
  summary: string;
  /** How the chain and its keeper are set up for it. */
  harness?: Omit<ReplayHarnessOptions, "port">;
  run(h: ReplayHarness, log: (line: string) => void): Promise<Result>;
}

/** A fresh chain for `replay`, the replay run on it; the caller stops the harness. */
export async function runReplay<R>(replay: Replay<R>, { port = 0, log = () => {} }: { port?: number; log?: (line: string) => void } = {}): Promise<{ h: ReplayHarness; result: R }> {
  const h = await createReplayHarness({ ...replay.harness, port });
  try {
    return { h, result: await replay.run(h, log) };
  } catch (error) {
    await h.stop();
    throw error;
  }
}
