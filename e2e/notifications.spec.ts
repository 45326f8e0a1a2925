import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { backstopGovernorAbi } from "../lib/contracts/abis.ts";
import { verifyWebhookSignature } from "../lib/notify/webhookSignature.ts";
import { createdProposalId } from "../lib/testing/queueProposal.ts";
import { e2eChain } from "./fixtures/chain.ts";

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real webhook receiver on 127.0.0.1, answering `status()` to every request and keeping what it got. */
async function startReceiver(status: () => number) {
  const hits: Hit[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    hits.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    const code = status();
    response.writeHead(code, { "content-type": "text/plain" }).end(code < 300 ? "ok" : "maintenance");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function subscribe(page: Page, { name, url, format, only }: { name: string; url: string; format: string; only?: string }): Promise<string> {
  const form = page.getByRole("form", { name: "New webhook subscription" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Webhook URL").fill(url);
  await form.getByLabel("Format").selectOption(format);
  if (only) for (const box of await form.getByRole("checkbox").all()) await box.setChecked((await box.getAttribute("value")) === only);
  await form.getByRole("button", { name: "Subscribe" }).click();
  const secret = form.getByLabel("Signing secret");
  await expect(secret).toBeVisible({ timeout: 30_000 });
  return (await secret.textContent())!;
}

test("an operator subscribes two webhooks; a proposal made on chain reaches the receiver signed, the one whose receiver is down shows as failed in words and is retried; the Atom feed lists the proposal", async ({ page, request }) => {
  test.setTimeout(120_000);
  const chain = e2eChain();
  const good = await startReceiver(() => 200);
  let downStatus = 503;
  const down = await startReceiver(() => downStatus);
  try {
    await page.goto("/governance");
    await page.getByRole("main").getByRole("link", { name: "webhook" }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByText("sign in with its token")).toBeVisible();
    await page.getByLabel("Operator token").fill("not the token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Operator sign-in" }).getByRole("alert")).toContainText("Not signed in: that is not this server's operator token");
    await page.getByLabel("Operator token").fill(process.env.E2E_ADMIN_TOKEN!);
    await page.getByRole("button", { name: "Sign in" }).click();

    const secret = await subscribe(page, { name: "ops channel", url: good.url, format: "json" });
    await subscribe(page, { name: "broken channel", url: down.url, format: "slack", only: "proposal.created" });
    await expect(page.getByRole("table", { name: "Subscriptions" }).getByRole("row")).toHaveCount(3);

    // A proposal, made on chain after the subscriptions.
    const description = `# Notify probe ${Date.now()} <b>&</b> 'quoted'`;
    const grace = encodeChange({ kind: "setGracePeriod", seconds: (await chain.snapshot()).global.gracePeriodSec }, chain.deployment);
    const [, , , proposer] = await createWalletClient({ chain: foundry, transport: http(chain.rpcUrl) }).getAddresses();
    const hash = await createWalletClient({ chain: foundry, account: proposer!, transport: http(chain.rpcUrl) }).writeContract({ address: chain.deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "propose", args: [[grace.target], [grace.value], [grace.calldata], description] });
    const id = createdProposalId(await chain.client.waitForTransactionReceipt({ hash }));
    const key = `31337:proposal:${id}:created`;

    // The receiver gets it, signed with the secret the page showed, under the event's idempotency key.
    await expect.poll(() => good.hits.find((h) => h.headers["idempotency-key"] === key), { timeout: 30_000 }).toBeTruthy();
    const hit = good.hits.find((h) => h.headers["idempotency-key"] === key)!;
    expect(verifyWebhookSignature(secret, hit.headers["backstop-signature"] as string, hit.body)).toEqual({ ok: true });
    expect(JSON.parse(hit.body)).toMatchObject({ id: key, type: "proposal.created", url: expect.stringMatching(new RegExp(`/governance/${id}$`)), title: expect.stringContaining("Notify probe") });
    expect(good.hits.filter((h) => h.headers["idempotency-key"] === key)).toHaveLength(1);

    // The receiver that is down: two attempts, then failed, its answer in words on the page.
    await expect.poll(() => down.hits.filter((h) => h.headers["idempotency-key"] === key).length, { timeout: 30_000 }).toBe(2);
    const deliveries = page.getByRole("table", { name: "Deliveries" });
    const failedRow = deliveries.getByRole("row").filter({ hasText: "broken channel" }).filter({ hasText: key });
    await expect(async () => {
      await page.reload();
      await expect(failedRow).toContainText("Failed", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(failedRow).toContainText("the receiver answered 503 Service Unavailable: “maintenance” (gave up after 2 attempts)");
    await expect(deliveries.getByRole("row").nth(1)).toContainText("broken channel"); // failed first
    await page.screenshot({ path: test.info().outputPath("failed-delivery.png"), fullPage: true });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    // Back up: Retry now delivers it.
    downStatus = 200;
    await failedRow.getByRole("button", { name: /^Retry now/ }).click();
    await expect.poll(() => down.hits.filter((h) => h.headers["idempotency-key"] === key).length, { timeout: 15_000 }).toBe(3);
    await expect(async () => {
      await page.reload();
      await expect(failedRow).toContainText("Delivered", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });

    // The Atom feed lists the proposal, escaped, and parses as XML in the browser.
    const feed = await request.get("/governance/feed.xml");
    expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const xml = await feed.text();
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      const atom = "http://www.w3.org/2005/Atom";
      return {
        errors: doc.getElementsByTagName("parsererror").length,
        root: doc.documentElement.namespaceURI,
        entries: [...doc.getElementsByTagNameNS(atom, "entry")].map((e) => ({ title: e.getElementsByTagNameNS(atom, "title")[0]?.textContent, link: e.getElementsByTagNameNS(atom, "link")[0]?.getAttribute("href"), category: e.getElementsByTagNameNS(atom, "category")[0]?.getAttribute("term") })),
      };
    }, xml);
    expect(parsed.errors).toBe(0);
    expect(parsed.root).toBe("http://www.w3.org/2005/Atom");
    expect(parsed.entries).toContainEqual({ title: description.replace(/^#\s*/, ""), link: expect.stringMatching(new RegExp(`/governance/${id}$`)), category: expect.stringMatching(/^(Pending|Active)$/) });

    // Removing the subscriptions stops their deliveries (and the server's following of the chain for them).
    await page.getByRole("button", { name: "Remove ops channel" }).click();
    await page.getByRole("button", { name: "Remove broken channel" }).click();
    await expect(page.getByText("No subscriptions yet.")).toBeVisible();
  } finally {
    await good.close();
    await down.close();
  }
});

test("the notifications API refuses in words: a caller without the operator token, a bad subscription, a URL that is not http(s), an unknown delivery or subscription", async ({ request }) => {
  const bearer = { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN}` };
  const good = { name: "x", url: "https://hooks.example/x", format: "json", events: ["proposal.created"] };
  const cases: [string, () => Promise<{ status(): number; json(): Promise<unknown> }>, number, string][] = [
    ["no token", () => request.post("/api/notifications/subscriptions", { data: good }), 401, "only the operator manages webhook subscriptions: sign in on /notifications with BACKSTOP_ADMIN_TOKEN, or send it as a bearer token"],
    ["a wrong token", () => request.post("/api/notifications/subscriptions", { data: good, headers: { authorization: "Bearer nope" } }), 401, "only the operator manages webhook subscriptions: sign in on /notifications with BACKSTOP_ADMIN_TOKEN, or send it as a bearer token"],
    ["an unknown format", () => request.post("/api/notifications/subscriptions", { data: { ...good, format: "xml" }, headers: bearer }), 400, "subscription.format must be one of slack, discord, json"],
    ["no events", () => request.post("/api/notifications/subscriptions", { data: { ...good, events: [] }, headers: bearer }), 400, "subscription.events is empty: choose at least one event"],
    ["an unknown event", () => request.post("/api/notifications/subscriptions", { data: { ...good, events: ["proposal.vetoed"] }, headers: bearer }), 400, "subscription.events[0] must each be one of proposal.created, proposal.voting-ends-soon, proposal.decided, proposal.queued, proposal.executable, proposal.executed, alert.critical, watchdog.finding"],
    ["an ftp URL", () => request.post("/api/notifications/subscriptions", { data: { ...good, url: "ftp://hooks.example/x" }, headers: bearer }), 400, "the webhook URL is refused: webhooks are sent over http or https, not ftp"],
    ["a field a subscription does not have", () => request.post("/api/notifications/subscriptions", { data: { ...good, owner: "me" }, headers: bearer }), 400, "subscription has fields a subscription does not: owner"],
    ["a body that is not JSON", () => request.post("/api/notifications/subscriptions", { data: "name=x", headers: { ...bearer, "content-type": "text/plain" } }), 400, "the body is not JSON: send subscription as a JSON object"],
    ["retrying a delivery that does not exist", () => request.post("/api/notifications/deliveries/999999/retry", { headers: bearer }), 409, "delivery 999999 is not failed or waiting: it was delivered, is being sent, or does not exist"],
    ["removing a subscription that does not exist", () => request.delete("/api/notifications/subscriptions/999999", { headers: bearer }), 404, "there is no subscription 999999"],
    ["listing by GET", () => request.get("/api/notifications/subscriptions"), 405, "/api/notifications/subscriptions does not take GET; use POST"],
  ];
  for (const [name, send, status, error] of cases) {
    const response = await send();
    expect(response.status(), name).toBe(status);
    expect(await response.json(), name).toEqual({ error });
  }
});
