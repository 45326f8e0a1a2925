/**
 * retryDelayMs(attempt, policy, random) — how long a failed webhook delivery waits before its next
 * attempt: exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff
 * And Jitter"): the ceiling doubles with each attempt from `baseMs` up to `capMs`, and the wait is
 * drawn uniformly from the upper half of it, so retries of many deliveries spread out instead of
 * arriving together, yet never come sooner than half the ceiling.
 *
 * Example, base 5 s, cap 10 min: after attempt 1 a wait in [2.5 s, 5 s), after attempt 2 in
 * [5 s, 10 s), …, after attempt 8 and beyond in [5 min, 10 min] (a draw next to 1 can round up
 * to the cap itself).
 */

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** After this many failed attempts a delivery is marked failed (until retried by hand). */
  maxAttempts: number;
  /** One attempt gives up after this long. */
  timeoutMs: number;
}

/** The wait after failed attempt `attempt` (1 for the first). `random` returns a number in [0, 1). */
export function retryDelayMs(attempt: number, { baseMs, capMs }: Pick<RetryPolicy, "baseMs" | "capMs">, random: () => number = Math.random): number {
  const ceilingMs = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 52));
  return Math.floor(ceilingMs / 2 + random() * (ceilingMs / 2));
}

/** The policy from the environment (BACKSTOP_WEBHOOK_BASE_MS, _CAP_MS, _MAX_ATTEMPTS, _TIMEOUT_MS), with production defaults. */
export function retryPolicyFromEnv(env: Record<string, string | undefined> = process.env): RetryPolicy {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    baseMs: number("BACKSTOP_WEBHOOK_BASE_MS", 5_000),
    capMs: number("BACKSTOP_WEBHOOK_CAP_MS", 600_000),
    maxAttempts: number("BACKSTOP_WEBHOOK_MAX_ATTEMPTS", 8),
    timeoutMs: number("BACKSTOP_WEBHOOK_TIMEOUT_MS", 5_000),
  };
}
