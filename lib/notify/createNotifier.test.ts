import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database.ts";
import { createNotifier, type Notifier } from "./createNotifier.ts";
import type { NotifyEvent } from "./notifyEvent.ts";
import { enqueueEvents, insertSubscription, listDeliveries, retryDelivery } from "./notifyStore.ts";
import type { RetryPolicy } from "./retryDelay.ts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, newWebhookSecret, verifyWebhookSignature } from "./webhookSignature.ts";

/** What a receiver does with the n-th request it gets (0-based): answer with a status, or hang past the sender's timeout and then answer 200. */
type Behaviour = (n: number) => { status: number } | { hangMs: number };

interface Received {
  key: string;
  body: string;
  signed: boolean;
  answered: "ok" | "error" | "hung";
}

/** A real webhook receiver on 127.0.0.1 that verifies each request's signature and logs it. */
async function startReceiver(secret: string, behaviour: Behaviour) {
  const received: Received[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const signed = verifyWebhookSignature(secret, request.headers[SIGNATURE_HEADER.toLowerCase()] as string, body).ok;
    const key = request.headers[IDEMPOTENCY_HEADER.toLowerCase()] as string;
    const act = behaviour(received.length);
    const entry: Received = { key, body, signed, answered: "hung" };
    received.push(entry);
    if ("hangMs" in act) {
      setTimeout(() => response.writeHead(200).end("late"), act.hangMs);
      return;
    }
    entry.answered = act.status < 300 ? "ok" : "error";
    response.writeHead(act.status, { "content-type": "text/plain" }).end(act.status < 300 ? "ok" : "receiver overloaded, try later");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Events as the notify step would derive them from a chain; the delivery path under test does not look inside. */
function proposalEvents(count: number): NotifyEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `31337:proposal:${1000 + i}:created`,
    kind: "proposal.created",
    chainId: 31337,
    blockNumber: String(50 + i),
    title: `New proposal: Test proposal ${i} <b>&</b>`,
    text: `Proposal ${1000 + i} was created.`,
    path: `/governance/${1000 + i}`,
    subject: { proposalId: String(1000 + i), state: "created" },
  }));
}

const policy: RetryPolicy = { baseMs: 40, capMs: 300, maxAttempts: 12, timeoutMs: 250 };

/** Runs delivery rounds until nothing is pending or sending, or `deadlineMs` passes. */
async function drain(db: Database, notifiers: Notifier[], deadlineMs = 30_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    await Promise.all(notifiers.map((n) => n.deliverDue()));
    const open = (await listDeliveries(db, { limit: 1000 })).filter((d) => d.status === "pending" || d.status === "sending");
    if (!open.length || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("webhook delivery against a local receiver", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp(behaviour: Behaviour, overrides: Partial<RetryPolicy> = {}) {
    const db = await openDatabase({ dataDir: "memory://" });
    const secret = newWebhookSecret();
    const receiver = await startReceiver(secret, behaviour);
    cleanups.push(() => db.close(), () => receiver.close());
    const subscription = await insertSubscription(db, { name: "ops", url: receiver.url, format: "json", events: ["proposal.created"], secret });
    const notifier = (p: Partial<RetryPolicy> = {}) => createNotifier({ db, publicUrl: "http://127.0.0.1:3000", policy: { ...policy, ...overrides, ...p }, allowPrivate: true });
    return { db, receiver, subscription, notifier };
  }

  it("a receiver that fails with 503, then times out, then recovers gets every event, each acknowledged under one idempotency key and every request signed", async () => {
    // Requests 0–5 answered 503, 6–9 hang past the timeout (answered 200 later: a lost acknowledgement), the rest 200.
    const { db, receiver, notifier } = await setUp((n) => (n < 6 ? { status: 503 } : n < 10 ? { hangMs: 600 } : { status: 200 }));
    const events = proposalEvents(8);
    expect(await enqueueEvents(db, events)).toEqual(events.map((e) => e.key));
    expect(await enqueueEvents(db, events)).toEqual([]); // the same events again enqueue nothing

    await drain(db, [notifier()]);

    const deliveries = await listDeliveries(db, { limit: 100 });
    expect(deliveries.map((d) => d.status)).toEqual(events.map(() => "delivered"));
    expect(new Set(receiver.received.filter((r) => r.answered === "ok").map((r) => r.key))).toEqual(new Set(events.map((e) => e.key)));
    // The failures really happened, and each was retried.
    expect(receiver.received.filter((r) => r.answered === "error")).toHaveLength(6);
    expect(receiver.received.filter((r) => r.answered === "hung")).toHaveLength(4);
    expect(receiver.received.every((r) => r.signed)).toBe(true);
    // Duplicates only as the key allows: every copy of an event has its key and the same body, and the key names a known event.
    const bodies = new Map<string, Set<string>>();
    for (const r of receiver.received) bodies.set(r.key, (bodies.get(r.key) ?? new Set()).add(r.body));
    expect([...bodies.keys()].sort()).toEqual(events.map((e) => e.key).sort());
    for (const [key, copies] of bodies) {
      expect(copies.size).toBe(1);
      expect(JSON.parse([...copies][0]!).id).toBe(key);
    }
    // A receiver deduplicating by key processes each event exactly once.
    expect(new Set(receiver.received.filter((r) => r.answered !== "error").map((r) => r.key)).size).toBe(events.length);
  });

  it("after its last attempt a delivery is failed with the receiver's answer in words; retry now sends it again once the receiver is back", async () => {
    let down = true;
    // A timeout long enough that a slow machine's answer is not taken for a lost one: the error under test is the 500.
    const { db, receiver, notifier } = await setUp(() => (down ? { status: 500 } : { status: 204 }), { maxAttempts: 3, timeoutMs: 10_000 });
    await enqueueEvents(db, proposalEvents(1));
    await drain(db, [notifier()]);
    const [failed] = await listDeliveries(db);
    expect(failed).toMatchObject({ status: "failed", attempts: 3 });
    expect(failed!.lastError).toBe("the receiver answered 500 Internal Server Error: “receiver overloaded, try later” (gave up after 3 attempts)");
    expect(receiver.received).toHaveLength(3);

    down = false;
    expect(await retryDelivery(db, failed!.id)).toBe(true);
    await drain(db, [notifier()]);
    expect((await listDeliveries(db))[0]).toMatchObject({ status: "delivered", lastError: null });
    expect(receiver.received.map((r) => r.answered)).toEqual(["error", "error", "error", "ok"]);
  });

  it("a receiver that never answers is logged as a timeout in words, and one that is gone as refusing", async () => {
    const { db, receiver, notifier } = await setUp(() => ({ hangMs: 2_000 }), { maxAttempts: 1 });
    await enqueueEvents(db, proposalEvents(1));
    await drain(db, [notifier()]);
    const host = new URL(receiver.url).host;
    expect((await listDeliveries(db))[0]!.lastError).toBe(`no answer from ${host} within 0.25 s (gave up after 1 attempt)`);

    await receiver.close();
    await retryDelivery(db, (await listDeliveries(db))[0]!.id);
    await drain(db, [notifier()]);
    expect((await listDeliveries(db))[0]!.lastError).toBe(`${host} refused the connection: nothing is listening there (gave up after 2 attempts)`);
  });

  it("two servers delivering from one database send each event once when the receiver acknowledges at once", async () => {
    const { db, receiver, notifier } = await setUp(() => ({ status: 200 }), { timeoutMs: 10_000 });
    const events = proposalEvents(20);
    await enqueueEvents(db, events);
    await drain(db, [notifier(), notifier()]);
    expect(receiver.received.map((r) => r.key).sort()).toEqual(events.map((e) => e.key).sort());
  });
});
