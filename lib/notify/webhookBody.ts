/**
 * webhookBody(event, format, publicUrl) — the JSON a subscription receives for an event, in its
 * format:
 * - "slack": an incoming-webhook message, `{ text, blocks }` (mrkdwn: &, < and > escaped, the
 *   link as <url|label>); the idempotency key in a context block.
 * - "discord": an execute-webhook message, `{ content, embeds, allowed_mentions }`; mentions are
 *   disabled, so a proposal titled "@everyone" pings nobody; the key in the embed's footer.
 * - "json": Backstop's own, `{ id, type, chainId, blockNumber, title, text, url, subject }`, `id`
 *   being the idempotency key.
 * Every format also carries the key in the Idempotency-Key header (webhookSignature.ts).
 */

import type { NotifyEvent } from "./notifyEvent.ts";

export const WEBHOOK_FORMATS = ["slack", "discord", "json"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Discord refuses a message whose content exceeds 2,000 characters, an embed description 4,096. */
const DISCORD_CONTENT_MAX = 2_000;
const DISCORD_DESCRIPTION_MAX = 4_096;

export function webhookBody(event: NotifyEvent, format: WebhookFormat, publicUrl: string): string {
  const url = new URL(event.path, publicUrl).toString();
  switch (format) {
    case "slack": {
      const text = `*${slackEscape(event.title)}*\n${slackEscape(event.text)}\n<${url}|Open in Backstop>`;
      return JSON.stringify({
        text,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text } },
          { type: "context", elements: [{ type: "plain_text", text: `Event ${event.key}` }] },
        ],
      });
    }
    case "discord":
      return JSON.stringify({
        content: clip(`**${event.title}**`, DISCORD_CONTENT_MAX),
        embeds: [{ title: clip(event.title, 256), description: clip(event.text, DISCORD_DESCRIPTION_MAX), url, footer: { text: `Event ${event.key}` } }],
        allowed_mentions: { parse: [] },
      });
    case "json":
      return JSON.stringify({ id: event.key, type: event.kind, chainId: event.chainId, blockNumber: event.blockNumber, title: event.title, text: event.text, url, subject: event.subject });
  }
}

/** Slack's mrkdwn control characters as the entities Slack documents ("Escaping text"). */
function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
