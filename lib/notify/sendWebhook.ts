/**
 * sendWebhook({ url, body, secret, event, timeoutMs }) — one POST of a delivery: signed
 * (webhookSignature.ts), with its idempotency key, given up after `timeoutMs`, redirects not
 * followed (a receiver that redirects could point the server anywhere). Any 2xx is delivered;
 * everything else comes back as a sentence for the delivery log.
 */

import { EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signWebhook } from "./webhookSignature.ts";
import type { NotifyEvent } from "./notifyEvent.ts";

export interface SendWebhookParameters {
  url: string;
  body: string;
  secret: string;
  event: Pick<NotifyEvent, "key" | "kind">;
  timeoutMs: number;
}

export type SendWebhookReturnType = { ok: true; status: number } | { ok: false; error: string };

/** How much of a refusing receiver's answer the log keeps. */
const ERROR_BODY_CHARS = 200;

export async function sendWebhook({ url, body, secret, event, timeoutMs }: SendWebhookParameters): Promise<SendWebhookReturnType> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Backstop-Webhooks/1",
        [IDEMPOTENCY_HEADER]: event.key,
        [EVENT_HEADER]: event.kind,
        [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, error: describeSendError(error, url, timeoutMs) };
  }
  const answer = await response.text().catch(() => "");
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  if (response.status >= 300 && response.status < 400) return { ok: false, error: `the receiver answered ${response.status} and redirected to ${response.headers.get("location") ?? "nowhere"}; webhooks do not follow redirects: subscribe the final URL` };
  const said = answer.replace(/\s+/g, " ").trim().slice(0, ERROR_BODY_CHARS);
  return { ok: false, error: `the receiver answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${said ? `: “${said}”` : ""}` };
}

/** A failed fetch in words: timeout, refused, unknown host, reset. */
function describeSendError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const host = new URL(url).host;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer from ${host} within ${timeoutMs / 1000} s`;
  switch (e?.cause?.code) {
    case "ECONNREFUSED":
      return `${host} refused the connection: nothing is listening there`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name of ${host} does not resolve`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return `${host} closed the connection before answering`;
    case "UND_ERR_CONNECT_TIMEOUT":
      return `no connection to ${host} within ${timeoutMs / 1000} s`;
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return `no answer from ${host} within ${timeoutMs / 1000} s`;
  }
  return `the request to ${host} failed: ${e?.cause?.message ?? e?.message ?? String(error)}`;
}
