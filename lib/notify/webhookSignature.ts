/**
 * Webhook signatures, as Stripe and GitHub sign theirs: every delivery carries
 *
 *   Backstop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * The receiver recomputes the HMAC over the timestamp, a dot and the body exactly as received,
 * compares it in constant time, and refuses a timestamp further than its tolerance from its own
 * clock (default 5 minutes), so a captured request cannot be replayed later. Retries are signed
 * afresh (a new t); the idempotency key (Idempotency-Key header, `id` in a JSON body) stays.
 */

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Backstop-Signature";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const EVENT_HEADER = "Backstop-Event";

/** A new subscription's secret, shown to its creator once: 32 random bytes, base64url, prefixed. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** The Backstop-Signature header value for `body` sent at `timestampSec`. */
export function signWebhook(secret: string, body: string, timestampSec: number): string {
  return `t=${timestampSec},v1=${hmac(secret, timestampSec, body)}`;
}

export type VerifyWebhookSignatureReturnType = { ok: true } | { ok: false; reason: string };

/** Checks a Backstop-Signature header against the raw body, as a receiver should. */
export function verifyWebhookSignature(secret: string, header: string | null | undefined, body: string, { nowSec = Math.floor(Date.now() / 1000), toleranceSec = 300 } = {}): VerifyWebhookSignatureReturnType {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const timestampSec = Number(parts.t);
  if (!header || !Number.isInteger(timestampSec) || !parts.v1) return { ok: false, reason: `no ${SIGNATURE_HEADER} header of the form t=…,v1=…` };
  if (Math.abs(nowSec - timestampSec) > toleranceSec) return { ok: false, reason: `signed at ${timestampSec}, more than ${toleranceSec} s from now (${nowSec}): a replay or a wrong clock` };
  const expected = Buffer.from(hmac(secret, timestampSec, body), "hex");
  const given = Buffer.from(parts.v1, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "the signature does not match the body and the secret" };
  return { ok: true };
}

function hmac(secret: string, timestampSec: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex");
}
