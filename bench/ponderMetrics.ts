/**
 * Ponder's own count of the events it has indexed, from its Prometheus endpoint (/metrics):
 * `ponder_indexing_completed_events`, one counter per indexing function ("Contract:Event" for a
 * contract's logs, "Source:block" for a block-interval source such as SystemHistory).
 */

export interface CompletedEvents {
  /** Contract logs indexed (every "Contract:Event" function). */
  logs: number;
  /** Block-interval events indexed (every "Source:block" function). */
  blocks: number;
}

/** The completed-events counters of a /metrics text, summed into contract logs and block events. */
export function completedEventsOfMetrics(metrics: string): CompletedEvents {
  const counted: CompletedEvents = { logs: 0, blocks: 0 };
  for (const match of metrics.matchAll(/^ponder_indexing_completed_events\{([^}]*)\}\s+(\S+)$/gm)) {
    const event = /(?:^|,)event="([^"]*)"/.exec(match[1]!)?.[1];
    const value = Number(match[2]);
    if (event === undefined || !Number.isFinite(value)) continue;
    if (event.endsWith(":block")) counted.blocks += value;
    else counted.logs += value;
  }
  return counted;
}
