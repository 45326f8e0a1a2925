import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from "./webhookSignature.ts";

const secret = "whsec_test";
const body = '{"id":"31337:proposal:7:created"}';

describe("webhook signatures", () => {
  it("signs HMAC-SHA256 over '<t>.<body>', as documented, so a receiver in any language can check it", () => {
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(signWebhook(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it.each([
    ["its own signature, now", signWebhook(secret, body, 1_000), body, 1_000, true],
    ["its own signature, 300 s later (the tolerance)", signWebhook(secret, body, 1_000), body, 1_300, true],
    ["a replay 301 s later", signWebhook(secret, body, 1_000), body, 1_301, false],
    ["a body changed by one character", signWebhook(secret, body, 1_000), body.replace("7", "8"), 1_000, false],
    ["another secret's signature", signWebhook("whsec_other", body, 1_000), body, 1_000, false],
    ["a timestamp moved without re-signing", signWebhook(secret, body, 1_000).replace("t=1000", "t=1001"), body, 1_001, false],
    ["no header", undefined, body, 1_000, false],
    ["a header without v1", "t=1000", body, 1_000, false],
  ])("verifies %s: %s", (_, header, received, nowSec, ok) => {
    expect(verifyWebhookSignature(secret, header, received, { nowSec }).ok).toBe(ok);
  });

  it("makes a different 256-bit secret each time", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
