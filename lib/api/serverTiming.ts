/**
 * The Server-Timing header (W3C Server Timing) as /api/block writes it — each stage of the
 * block's read with its duration in ms, in the order they ran — and as a reader takes it back.
 *
 * Example: { follow: 5, views: 69.54 } ⇄ "follow;dur=5.0, views;dur=69.5".
 */

export function formatServerTiming(stages: Record<string, number>): string {
  return Object.entries(stages)
    .map(([stage, ms]) => `${stage};dur=${ms.toFixed(1)}`)
    .join(", ");
}

/** The stages of a header formatServerTiming wrote, in its order; entries without a duration are left out. */
export function parseServerTiming(header: string | null): Record<string, number> {
  const stages: Record<string, number> = {};
  for (const entry of (header ?? "").split(", ")) {
    const [stage, duration] = entry.split(";dur=");
    if (stage && duration) stages[stage] = Number(duration);
  }
  return stages;
}
