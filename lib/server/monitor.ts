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
