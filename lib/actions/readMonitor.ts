/**
 * readMonitor(client, { deployment, snapshot }) — everything the dashboard's detectors show for
 * one snapshot: engine health (keeper lag measured on the chain, dust at the current gas price,
 * oracle ages, unrecognised negative equity, runway and exposure under the stress library) and
 * the alerts built on it, on the recent past and on the governance detectors of every proposal
 * not yet executed, and the proposals it read for them (the notifications' notify step derives
 * its proposal events from these). The overview renders it; the incident replays assert on it.
 */

import type { PublicClient } from "viem";
import { computeAlerts, computeCover, computeEngineHealth, extremeShock, type Alert, type EngineHealth, type ProtocolSnapshot } from "../../engine/index.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { detectGovernanceRisks } from "../governance/detectors.ts";
import { createKeeperLagCache, readKeeperLag, type KeeperLagCache } from "./readKeeperLag.ts";
import { readProposalForensics } from "./readProposalForensics.ts";
import { readProposals, readVotes, type ProposalSummary } from "./readProposals.ts";
import { readRecentHistory } from "./readRecentHistory.ts";

export interface Monitor {
  health: EngineHealth;
  alerts: Alert[];
  /** Every proposal at this block, newest first. */
  proposals: ProposalSummary[];
}

const LIVE = new Set(["Pending", "Active", "Succeeded", "Queued"]);

export async function readMonitor(
  client: PublicClient,
  { deployment, snapshot, keeperLagCache = createKeeperLagCache(), engineHealth = computeEngineHealth, cover2Usd, extra = [] }: { deployment: Deployment; snapshot: ProtocolSnapshot; keeperLagCache?: KeeperLagCache; /** computeEngineHealth, or a follower of it over the blocks read one after another (createHealthFollower). */ engineHealth?: typeof computeEngineHealth; /** Cover-2 when known (awaited once the chain's reads are in: the block worker computes it meanwhile); computed here otherwise. */ cover2Usd?: bigint | PromiseLike<bigint>; /** Alerts raised elsewhere (the fork watchdog), merged in. */ extra?: readonly Alert[] },
): Promise<Monitor> {
  const blockNumber = snapshot.blockNumber;
  const proposalsRead = readProposals(client, { deployment, blockNumber });
  const [gasPriceWei, keeperLag, history, governance] = await Promise.all([
    client.getGasPrice(),
    readKeeperLag(client, { deployment, snapshot, cache: keeperLagCache }),
    readRecentHistory(client, { deployment, snapshot }),
    proposalsRead.then((proposals) =>
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
  const health = engineHealth(snapshot, { gasPriceWei, keeperLag });
  const cover2 = (await cover2Usd) ?? computeCover(snapshot, extremeShock(snapshot.markets).map((m) => m.move)).cover2Usd;
  return { health, alerts: computeAlerts(snapshot, { health, cover2Usd: cover2, history, extra: [...extra, ...governance.flat()] }), proposals: await proposalsRead };
}
