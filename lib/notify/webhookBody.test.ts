import { describe, expect, it } from "vitest";
import type { NotifyEvent } from "./notifyEvent.ts";
import { webhookBody } from "./webhookBody.ts";

/** A fake event (a pure function's unit test) whose title carries every character a format must escape or neutralise. */
const event: NotifyEvent = {
  key: "31337:proposal:7:created",
  kind: "proposal.created",
  chainId: 31337,
  blockNumber: "100",
  title: "New proposal: <!channel> @everyone & co",
  text: "Proposal 7 was created.",
  path: "/governance/7",
  subject: { proposalId: "7", state: "created" },
};

describe("webhookBody", () => {
  it("slack: text with mrkdwn control characters escaped and the link in <url|label>, the key in a context block", () => {
    const body = JSON.parse(webhookBody(event, "slack", "https://backstop.example"));
    expect(body.text).toBe("*New proposal: &lt;!channel&gt; @everyone &amp; co*\nProposal 7 was created.\n<https://backstop.example/governance/7|Open in Backstop>");
    expect(body.blocks[0].text.text).toBe(body.text);
    expect(body.blocks[1].elements[0].text).toBe(`Event ${event.key}`);
  });

  it("discord: content with mentions disabled, the link and key in an embed", () => {
    const body = JSON.parse(webhookBody(event, "discord", "https://backstop.example/"));
    expect(body.content).toBe(`**${event.title}**`);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]).toMatchObject({ url: "https://backstop.example/governance/7", footer: { text: `Event ${event.key}` } });
  });

  it("json: the idempotency key as id, the kind as type, an absolute url", () => {
    expect(JSON.parse(webhookBody(event, "json", "http://127.0.0.1:3000"))).toEqual({ id: event.key, type: event.kind, chainId: 31337, blockNumber: "100", title: event.title, text: event.text, url: "http://127.0.0.1:3000/governance/7", subject: event.subject });
  });
});
