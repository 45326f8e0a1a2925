/**
 * The dashboard's detectors (lib/actions/readMonitor), once per snapshot and shared by every
 * page like the snapshot itself; the keeper-lag walk-backs are cached across blocks, so each
 * block costs only what is new.
 */

import type { ProtocolSnapshot } from "../../engine/index.ts";
import { createKeeperLagCache } from "../actions/readKeeperLag.ts";
import { readMonitor, type Monitor } from "../actions/readMonitor.ts";
import { getContext } from "./snapshot.ts";
import { cover } from "./views.ts";

const keeperLagCache = createKeeperLagCache();
const monitors = new WeakMap<ProtocolSnapshot, Promise<Monitor>>();

export function monitorOf(snapshot: ProtocolSnapshot): Promise<Monitor> {
  let monitor = monitors.get(snapshot);
  if (!monitor) {
    monitor = getContext().then(({ client, deployment }) => readMonitor(client, { deployment, snapshot, keeperLagCache, cover2Usd: cover(snapshot).cover2Usd }));
    monitors.set(snapshot, monitor);
    monitor.catch(() => monitors.delete(snapshot));
  }
  return monitor;
}

/**
 * monitorOf for a page render: the monitor, or the reason it is not there — its error, or that
 * it is still reading after `ms` (the read goes on and the next render has it). A page never
 * waits on the detectors longer than that, so a slow or failing node cannot hold the figures
 * the snapshot already has.
 */
export async function monitorWithin(snapshot: ProtocolSnapshot, ms = 4000): Promise<Monitor | { error: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: `still reading the chain's history after ${ms / 1000} s; they appear on the next refresh` }), ms);
  });
  try {
    return await Promise.race([monitorOf(snapshot), late]);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
