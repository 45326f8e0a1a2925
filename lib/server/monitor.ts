/**
 * The live detectors of the dashboard, once per snapshot: engine health (keeper lag measured on
 * the chain, dust at the current gas price, oracle ages, unrecognised negative equity, runway and
 * exposure under the stress library) and the alerts built on it, on the recent past and on the
 * governance detectors of every proposal still to be executed. Shared by
 * every page and API route like the snapshot itself; the keeper-lag walk-backs are cached across
 * blocks, so each block costs only what is new.
 */

import { computeAlerts, computeEngineHealth, type Alert, type EngineHealth, type ProtocolSnapshot } from "../../engine/index.ts";
import { createKeeperLagCache, readKeeperLag } from "../actions/readKeeperLag.ts";
import { readRecentHistory } from "../actions/readRecentHistory.ts";
import { readProposalForensics } from "../actions/readProposalForensics.ts";
import { readProposals, readVotes } from "../actions/readProposals.ts";
import { detectGovernanceRisks } from "../governance/detectors.ts";
import { getContext } from "./snapshot.ts";
import { cover } from "./views.ts";

export interface Monitor {
  health: EngineHealth;
  alerts: Alert[];
}

const keeperLagCache = createKeeperLagCache();
const monitors = new WeakMap<ProtocolSnapshot, Promise<Monitor>>();

const LIVE = new Set(["Pending", "Active", "Succeeded", "Queued"]);

export function monitorOf(snapshot: ProtocolSnapshot): Promise<Monitor> {
  let monitor = monitors.get(snapshot);
  if (!monitor) {
    monitor = (async () => {
      const { client, deployment } = await getContext();
      const blockNumber = snapshot.blockNumber;
      const [gasPriceWei, keeperLag, history, governance] = await Promise.all([
        client.getGasPrice(),
        readKeeperLag(client, { deployment, snapshot, cache: keeperLagCache }),
        readRecentHistory(client, { deployment, snapshot }),
        readProposals(client, { deployment, blockNumber }).then((proposals) =>
          Promise.all(
            proposals
              .filter((p) => LIVE.has(p.state))
              .map(async (proposal) => {
                const votes = await readVotes(client, { deployment, proposalId: proposal.id, blockNumber });
                return detectGovernanceRisks(await readProposalForensics(client, { deployment, proposal, votes, snapshot }), deployment);
              }),
          ),
        ),
      ]);
      const health = computeEngineHealth(snapshot, { gasPriceWei, keeperLag });
      return { health, alerts: computeAlerts(snapshot, { health, cover2Usd: cover(snapshot).cover2Usd, history, extra: governance.flat() }) };
    })();
    monitors.set(snapshot, monitor);
    monitor.catch(() => monitors.delete(snapshot));
  }
  return monitor;
}
