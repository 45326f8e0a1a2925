/**
 * The live detectors of the dashboard, once per snapshot: engine health (keeper lag measured on
 * the chain, dust at the current gas price, oracle ages, unrecognised negative equity, runway and
 * exposure under the stress library) and the alerts built on it and on the recent past. Shared by
 * every page and API route like the snapshot itself; the keeper-lag walk-backs are cached across
 * blocks, so each block costs only what is new.
 */

import { computeAlerts, computeEngineHealth, type Alert, type EngineHealth, type ProtocolSnapshot } from "../../engine/index.ts";
import { createKeeperLagCache, readKeeperLag } from "../actions/readKeeperLag.ts";
import { readRecentHistory } from "../actions/readRecentHistory.ts";
import { getContext } from "./snapshot.ts";
import { cover } from "./views.ts";

export interface Monitor {
  health: EngineHealth;
  alerts: Alert[];
}

const keeperLagCache = createKeeperLagCache();
const monitors = new WeakMap<ProtocolSnapshot, Promise<Monitor>>();

export function monitorOf(snapshot: ProtocolSnapshot, extra: readonly Alert[] = []): Promise<Monitor> {
  let monitor = monitors.get(snapshot);
  if (!monitor) {
    monitor = (async () => {
      const { client, deployment } = await getContext();
      const [gasPriceWei, keeperLag, history] = await Promise.all([
        client.getGasPrice(),
        readKeeperLag(client, { deployment, snapshot, cache: keeperLagCache }),
        readRecentHistory(client, { deployment, snapshot }),
      ]);
      const health = computeEngineHealth(snapshot, { gasPriceWei, keeperLag });
      return { health, alerts: computeAlerts(snapshot, { health, cover2Usd: cover(snapshot).cover2Usd, history, extra }) };
    })();
    monitors.set(snapshot, monitor);
    monitor.catch(() => monitors.delete(snapshot));
  }
  return monitor;
}
