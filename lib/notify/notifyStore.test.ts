import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/database.ts";
import { alertEpisodes, enqueueEvents, insertSubscription, lastSubscriptionId, listDeliveries } from "./notifyStore.ts";
import type { NotifyEvent } from "./notifyEvent.ts";

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ dataDir: "memory://" });
});
afterAll(() => db.close());

/** A constructed event (the store does not look inside it). */
const event = (key: string, kind: NotifyEvent["kind"]): NotifyEvent => ({ key, kind, chainId: 31337, blockNumber: "1", title: key, text: "", path: "/", subject: {} });

describe("notifyStore", () => {
  it("an alert keeps the block its episode began at while it lasts; cleared and raised again, it begins a new one", async () => {
    expect(await alertEpisodes(db, ["31337:negative-equity"], 10n)).toEqual(new Map([["31337:negative-equity", 10n]]));
    expect(await alertEpisodes(db, ["31337:negative-equity", "31337:stale-oracle"], 11n)).toEqual(new Map([["31337:negative-equity", 10n], ["31337:stale-oracle", 11n]]));
    expect(await alertEpisodes(db, ["31337:stale-oracle"], 12n)).toEqual(new Map([["31337:stale-oracle", 11n]]));
    expect(await alertEpisodes(db, ["31337:negative-equity", "31337:stale-oracle"], 13n)).toEqual(new Map([["31337:negative-equity", 13n], ["31337:stale-oracle", 11n]]));
  });

  it("an event goes to the subscriptions that asked for its kind and exist when it is first seen, once", async () => {
    const created = await insertSubscription(db, { name: "new proposals", url: "http://127.0.0.1:9/a", format: "slack", events: ["proposal.created"], secret: "s" });
    await insertSubscription(db, { name: "alerts", url: "http://127.0.0.1:9/b", format: "discord", events: ["alert.critical"], secret: "s" });
    await enqueueEvents(db, [event("31337:proposal:1:created", "proposal.created")]);
    const late = await insertSubscription(db, { name: "late", url: "http://127.0.0.1:9/c", format: "json", events: ["proposal.created"], secret: "s" });
    await enqueueEvents(db, [event("31337:proposal:1:created", "proposal.created"), event("31337:proposal:2:created", "proposal.created")]);
    const sent = (await listDeliveries(db)).map((d) => `${d.subscriptionId} ${d.eventKey}`).sort();
    expect(sent).toEqual([`${created.id} 31337:proposal:1:created`, `${created.id} 31337:proposal:2:created`, `${late.id} 31337:proposal:2:created`].sort());
  });

  it("a subscription made after its block was read does not hear of that block's events", async () => {
    const subscribedUpTo = await lastSubscriptionId(db);
    const during = await insertSubscription(db, { name: "during", url: "http://127.0.0.1:9/d", format: "json", events: ["proposal.queued"], secret: "s" });
    await enqueueEvents(db, [event("31337:proposal:3:queued", "proposal.queued")], { subscribedUpTo });
    await enqueueEvents(db, [event("31337:proposal:4:queued", "proposal.queued")], { subscribedUpTo: await lastSubscriptionId(db) });
    expect((await listDeliveries(db)).filter((d) => d.subscriptionId === during.id).map((d) => d.eventKey)).toEqual(["31337:proposal:4:queued"]);
  });
});
