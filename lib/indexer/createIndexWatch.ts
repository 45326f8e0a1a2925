/**
 * The index watched from the dashboard: every `everyBlocks` blocks, checkIndex compares the
 * indexer's state with the chain to the wei, and a difference becomes a critical alert on the
 * overview (with the first differences in words) instead of a silent error. An indexer that
 * cannot be reached, or is still backfilling, is not a finding: it is logged, once while it lasts.
 */

import type { PublicClient } from "viem";
import type { Alert } from "../../engine/alerts/computeAlerts.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { messageOf } from "../errors/messageOf.ts";
import { checkIndex, type CheckIndexReturnType } from "./checkIndex.ts";

export interface IndexWatch {
  /** Starts a check when one is due and none is running; resolves when that check ends. */
  onBlock(client: PublicClient, blockNumber: bigint): Promise<void> | undefined;
  /** The latest finished check's finding (none when equal, or not checked). */
  alerts(): Alert[];
}

/** How many of a check's differences the alert spells out. */
const SHOWN = 3;

export function driftAlert(report: CheckIndexReturnType, indexerUrl: string): Alert {
  const more = report.drifts.length - SHOWN;
  return {
    id: "index-drift",
    severity: "critical",
    title: `The index differs from the chain in ${report.drifts.length.toLocaleString("en-US")} place${report.drifts.length === 1 ? "" : "s"}`,
    detail: `${report.drifts.slice(0, SHOWN).join("; ")}${more > 0 ? `; and ${more.toLocaleString("en-US")} more (npm run risk -- index-check --indexer ${indexerUrl})` : ""}. Figures read from the index may be wrong until it is rebuilt.`,
  };
}

export function createIndexWatch({ deployment, indexerUrl, everyBlocks = 20n }: { deployment: Deployment; indexerUrl: string; everyBlocks?: bigint }): IndexWatch {
  let running = false;
  let lastChecked: bigint | undefined;
  let findings: Alert[] = [];
  let failing = false;
  return {
    onBlock(client, blockNumber) {
      if (running || (lastChecked !== undefined && blockNumber - lastChecked < everyBlocks)) return undefined;
      running = true;
      lastChecked = blockNumber;
      return checkIndex(client, { deployment, indexerUrl })
        .then(
          (report) => {
            findings = report.ok ? [] : [driftAlert(report, indexerUrl)];
            failing = false;
          },
          (error: unknown) => {
            if (!failing) console.error(`index: not checked (${messageOf(error)}); checking again in ${everyBlocks} blocks`);
            failing = true;
          },
        )
        .finally(() => (running = false));
    },
    alerts: () => findings,
  };
}
