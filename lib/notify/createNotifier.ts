/**
 * createNotifier({ db, publicUrl, policy }) — Backstop's webhook notifications, in two steps that
 * run apart:
 * - `observe(block)`: the notify step of a block — derive its events (deriveNotifyEvents: proposal
 *   states, critical alerts, watchdog findings) and enqueue the new ones. What was already emitted
 *   is skipped by the events' unique idempotency key, not by a memory of the last block, so a
 *   restart or a second server emits nothing twice.
 * - `deliverDue()`: one round of the delivery loop — claim the due deliveries (notifyStore), POST
 *   each (sendWebhook), record delivered, or schedule the next attempt after retryDelayMs, or
 *   mark it failed after `policy.maxAttempts`. At least once: a delivery is marked delivered only
 *   after its receiver answered 2xx, so a receiver may see an event again (same key) after an
 *   answer that was lost; it never sees an event with two keys.
 * `start()` runs `deliverDue` every `tickMs` on a timer that does not keep the process alive.
 */

import type { Alert } from "../../engine/index.ts";
import type { Database } from "../db/database.ts";
import { messageOf } from "../errors/messageOf.ts";
import { deriveNotifyEvents, type DeriveNotifyEventsParameters } from "./notifyEvent.ts";
import { alertEpisodes, claimDueDeliveries, enqueueEvents, lastSubscriptionId, markAttemptFailed, markDelivered, type ClaimedDelivery } from "./notifyStore.ts";
import { retryDelayMs, type RetryPolicy } from "./retryDelay.ts";
import { sendWebhook } from "./sendWebhook.ts";
import { webhookBody } from "./webhookBody.ts";
import { checkWebhookUrl, privateWebhooksAllowed } from "./webhookUrl.ts";

export interface CreateNotifierParameters {
  db: Database;
  /** The dashboard's address, for the links in messages. */
  publicUrl: string;
  policy: RetryPolicy;
  /** How many deliveries one round sends at most, concurrently. */
  batchSize?: number;
  tickMs?: number;
  allowPrivate?: boolean;
}

/** A block as the notify step sees it: its proposals and its alerts (the watchdog's among them). */
export interface ObservedBlock extends Omit<DeriveNotifyEventsParameters, "alerts"> {
  alerts: readonly Alert[];
}

export interface Notifier {
  /** The notify step of one block: enqueues its new events; resolves with their keys. */
  observe(block: ObservedBlock): Promise<string[]>;
  /** One round of deliveries; resolves with how many were attempted. */
  deliverDue(): Promise<number>;
  /** Runs the delivery loop: a round every `tickMs` after the last one ended. */
  start(): void;
}

export function createNotifier({ db, publicUrl, policy, batchSize = 16, tickMs = 1_000, allowPrivate = privateWebhooksAllowed() }: CreateNotifierParameters): Notifier {
  async function observe(block: ObservedBlock): Promise<string[]> {
    const subscribedUpTo = await lastSubscriptionId(db);
    const critical = block.alerts.filter((a) => a.severity === "critical");
    const episodes = await alertEpisodes(db, critical.map((a) => `${block.chainId}:${a.id}`), block.blockNumber);
    const alerts = critical.map((a) => ({ ...a, raisedBlock: episodes.get(`${block.chainId}:${a.id}`) ?? block.blockNumber }));
    return enqueueEvents(db, deriveNotifyEvents({ ...block, alerts }), { subscribedUpTo });
  }

  async function deliverOne(delivery: ClaimedDelivery) {
    const checked = await checkWebhookUrl(delivery.url, { allowPrivate });
    const result = checked.ok
      ? await sendWebhook({ url: delivery.url, body: webhookBody(delivery.event, delivery.format, publicUrl), secret: delivery.secret, event: delivery.event, timeoutMs: policy.timeoutMs })
      : checked;
    if (result.ok) return markDelivered(db, delivery.id);
    const retryInMs = delivery.attempts >= policy.maxAttempts ? undefined : retryDelayMs(delivery.attempts, policy);
    const error = retryInMs === undefined ? `${result.error} (gave up after ${delivery.attempts} attempt${delivery.attempts === 1 ? "" : "s"})` : result.error;
    await markAttemptFailed(db, delivery.id, { error, retryInMs });
  }

  async function deliverDue(): Promise<number> {
    // A lease outlives the attempt's timeout by a margin, so no other server takes it while it is sent.
    const claimed = await claimDueDeliveries(db, { limit: batchSize, leaseMs: policy.timeoutMs + 30_000 });
    await Promise.all(claimed.map((d) => deliverOne(d).catch((error: unknown) => console.error(`notify: delivery ${d.id}: ${messageOf(error)}`))));
    return claimed.length;
  }

  function schedule() {
    const timer = setTimeout(() => {
      deliverDue()
        .catch((error: unknown) => console.error(`notify: ${messageOf(error)}`))
        .finally(schedule);
    }, tickMs);
    timer.unref();
  }

  let started = false;
  return {
    observe,
    deliverDue,
    start() {
      if (started) return;
      started = true;
      schedule();
    },
  };
}
