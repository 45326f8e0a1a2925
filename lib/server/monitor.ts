/**
 * The dashboard's detectors (lib/actions/readMonitor) come with each block's read, computed by
 * the block worker (lib/server/blockWorker.ts); a block is published as soon as its views are in, its detectors following.
 */

import type { Monitor } from "../actions/readMonitor.ts";
import { messageOf } from "../errors/messageOf.ts";

/** The longest a page's render waits for its block's detectors. */
export const MONITOR_RENDER_WAIT_MS = 4000;

/**
 * A block's monitor for a page render: the monitor, or the reason it is not there — its error,
 * or that it is still reading after `ms` (the read goes on and the next render has it). A page
 * never waits on the detectors longer than that, so a slow or failing node cannot hold the
 * figures the snapshot already has.
 */
export async function monitorWithin(monitor: Promise<Monitor>, ms = MONITOR_RENDER_WAIT_MS): Promise<Monitor | { error: string }> {
  if (!(await monitorSettledWithin(monitor, ms))) return { error: `still reading the chain's history after ${ms / 1000} s; they appear on the next refresh` };
  try {
    return await monitor;
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** Whether a block's monitor settles (read or failed) within `ms`: what a page's render would show it with (monitorWithin), and what the page cache waits for before it renders one (scripts/serve). */
export async function monitorSettledWithin(monitor: Promise<Monitor>, ms = MONITOR_RENDER_WAIT_MS): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([monitor.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
