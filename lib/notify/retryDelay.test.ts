import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelayMs, retryPolicyFromEnv } from "./retryDelay.ts";

const policy = { baseMs: 5_000, capMs: 600_000 };

describe("retryDelayMs", () => {
  it.each([
    ["attempt 1 waits between half the base and the base", 1, 2_500, 4_999],
    ["attempt 2 doubles it", 2, 5_000, 9_999],
    ["attempt 8 reaches the cap", 8, 300_000, 599_999],
    ["attempt 60 stays at the cap", 60, 300_000, 599_999],
  ])("%s", (_, attempt, lowMs, highMs) => {
    expect(retryDelayMs(attempt, policy, () => 0)).toBe(lowMs);
    expect(retryDelayMs(attempt, policy, () => 0.9999999)).toBe(highMs);
  });

  it("test_fuzz: never below half its ceiling, never above the cap, and never shorter than the attempt before's floor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ms = retryDelayMs(attempt, policy, () => r);
        expect(ms).toBeGreaterThanOrEqual(Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)) / 2 - 1);
        expect(ms).toBeLessThanOrEqual(policy.capMs);
        expect(ms).toBeGreaterThanOrEqual(retryDelayMs(Math.max(1, attempt - 1), policy, () => 0));
      }),
    );
  });

  it("reads its policy from the environment, ignoring values that are not positive numbers", () => {
    expect(retryPolicyFromEnv({ BACKSTOP_WEBHOOK_BASE_MS: "100", BACKSTOP_WEBHOOK_MAX_ATTEMPTS: "zero", BACKSTOP_WEBHOOK_TIMEOUT_MS: "-1" })).toEqual({ baseMs: 100, capMs: 600_000, maxAttempts: 8, timeoutMs: 5_000 });
  });
});
