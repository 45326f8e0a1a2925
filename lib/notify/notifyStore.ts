/**
 * The notifications' tables (migration 200-notify-webhooks) and every query on them: subscriptions,
 * events enqueued once by their idempotency key, deliveries claimed, recorded and retried.
 *
 * Several servers may share one Postgres: `claimDueDeliveries` takes due rows with
 * `for update skip locked` and leases them (status 'sending' until `lease_until`), so two servers
 * never hold the same delivery at once; a server that dies mid-send leaves a lease that expires,
 * and the delivery is sent again — at least once, never lost.
 */

import type { Queryable } from "../db/database.ts";
import type { NotifyEvent, NotifyEventKind } from "./notifyEvent.ts";
import type { WebhookFormat } from "./webhookBody.ts";

export interface Subscription {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  events: NotifyEventKind[];
  createdAt: Date;
}

export type DeliveryStatus = "pending" | "sending" | "delivered" | "failed";

export interface DeliveryRecord {
  id: string;
  subscriptionId: string;
  subscriptionName: string;
  eventKey: string;
  eventTitle: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
  updatedAt: Date;
}

/** A delivery claimed for sending, with what sending needs. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  event: NotifyEvent;
  url: string;
  format: WebhookFormat;
  secret: string;
}

export async function insertSubscription(db: Queryable, { name, url, format, events, secret }: { name: string; url: string; format: WebhookFormat; events: readonly NotifyEventKind[]; secret: string }): Promise<Subscription> {
  const [row] = await db.query<SubscriptionRow>("insert into notify_subscriptions (name, url, format, events, secret) values ($1, $2, $3, $4, $5) returning id, name, url, format, events, created_at", [name, url, format, events, secret]);
  return subscription(row!);
}

export async function listSubscriptions(db: Queryable): Promise<Subscription[]> {
  return (await db.query<SubscriptionRow>("select id, name, url, format, events, created_at from notify_subscriptions order by id")).map(subscription);
}

/** Removes a subscription and its deliveries; false when there was none with that id. */
export async function deleteSubscription(db: Queryable, id: string): Promise<boolean> {
  return (await db.query("delete from notify_subscriptions where id = $1 returning id", [id])).length > 0;
}

export async function hasSubscriptions(db: Queryable): Promise<boolean> {
  return (await db.query("select 1 from notify_subscriptions limit 1")).length > 0;
}

/**
 * Records each event not seen before and, for those only, one delivery per subscription that
 * asked for its kind and existed when the block was read (`subscribedUpTo`, the highest
 * subscription id then, from lastSubscriptionId): a subscription made while a block's step was
 * running does not hear of what that block already showed. An event seen before (same key)
 * changes nothing: it is never enqueued twice. Returns the keys that were new.
 */
export async function enqueueEvents(db: Queryable, events: readonly NotifyEvent[], { subscribedUpTo }: { subscribedUpTo?: string } = {}): Promise<string[]> {
  const fresh: string[] = [];
  for (const event of events) {
    const inserted = await db.query<{ key: string }>(
      `with fresh as (insert into notify_events (key, kind, event) values ($1, $2, $3) on conflict (key) do nothing returning key, kind)
       , deliveries as (
         insert into notify_deliveries (subscription_id, event_key)
         select s.id, fresh.key from fresh join notify_subscriptions s on fresh.kind = any (s.events) and s.id <= coalesce($4::bigint, s.id)
         on conflict do nothing)
       select key from fresh`,
      [event.key, event.kind, JSON.stringify(event), subscribedUpTo ?? null],
    );
    if (inserted.length) fresh.push(event.key);
  }
  return fresh;
}

/**
 * The block each alert's current episode began at: an alert seen for the first time (or again
 * after it cleared) begins one at `blockNumber`; one no longer in `alertKeys` is marked cleared.
 * The first server to record an episode wins, so servers sharing a database agree on its block.
 */
export async function alertEpisodes(db: Queryable, alertKeys: readonly string[], blockNumber: bigint): Promise<Map<string, bigint>> {
  await db.query("update notify_alert_episodes set cleared = true where not cleared and not (alert_key = any ($1::text[]))", [alertKeys]);
  if (!alertKeys.length) return new Map();
  const rows = await db.query<{ alert_key: string; raised_block: string }>(
    `insert into notify_alert_episodes (alert_key, raised_block) select unnest($1::text[]), $2
     on conflict (alert_key) do update set raised_block = excluded.raised_block, cleared = false where notify_alert_episodes.cleared
     returning alert_key, raised_block`,
    [alertKeys, blockNumber.toString()],
  );
  const known = rows.length === alertKeys.length ? rows : await db.query<{ alert_key: string; raised_block: string }>("select alert_key, raised_block from notify_alert_episodes where alert_key = any ($1::text[])", [alertKeys]);
  return new Map(known.map((r) => [r.alert_key, BigInt(r.raised_block)]));
}

/** Leases up to `limit` due deliveries (pending and due, or sending with a lapsed lease) for `leaseMs`, counting the attempt. */
export async function claimDueDeliveries(db: Queryable, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
  const rows = await db.query<{ id: string; attempts: number; event: NotifyEvent | string; url: string; format: WebhookFormat; secret: string }>(
    `with claimed as (
       update notify_deliveries d set status = 'sending', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
       where d.id in (
         select id from notify_deliveries
         where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now())
         order by next_attempt_at limit $1
         for update skip locked)
       returning d.id, d.attempts, d.event_key, d.subscription_id)
     select claimed.id, claimed.attempts, e.event, s.url, s.format, s.secret
     from claimed join notify_events e on e.key = claimed.event_key join notify_subscriptions s on s.id = claimed.subscription_id`,
    [limit, leaseMs],
  );
  return rows.map((r) => ({ id: String(r.id), attempts: r.attempts, event: typeof r.event === "string" ? (JSON.parse(r.event) as NotifyEvent) : r.event, url: r.url, format: r.format, secret: r.secret }));
}

export async function markDelivered(db: Queryable, id: string): Promise<void> {
  await db.query("update notify_deliveries set status = 'delivered', delivered_at = now(), last_error = null, lease_until = null, updated_at = now() where id = $1", [id]);
}

/** A failed attempt: retried after `retryInMs`, or marked failed when `retryInMs` is undefined (attempts exhausted). */
export async function markAttemptFailed(db: Queryable, id: string, { error, retryInMs }: { error: string; retryInMs: number | undefined }): Promise<void> {
  await db.query(
    `update notify_deliveries set last_error = $2, lease_until = null, updated_at = now(),
       status = case when $3::double precision is null then 'failed' else 'pending' end,
       next_attempt_at = case when $3::double precision is null then next_attempt_at else now() + make_interval(secs => $3::double precision / 1000) end
     where id = $1`,
    [id, error, retryInMs ?? null],
  );
}

/** "Retry now": a failed or waiting delivery due at once (one more attempt beyond the limit for a failed one). False when it is neither. */
export async function retryDelivery(db: Queryable, id: string): Promise<boolean> {
  return (await db.query("update notify_deliveries set status = 'pending', next_attempt_at = now(), updated_at = now() where id = $1 and status in ('failed', 'pending') returning id", [id])).length > 0;
}

/** The latest deliveries, failed ones first. */
export async function listDeliveries(db: Queryable, { limit = 50 }: { limit?: number } = {}): Promise<DeliveryRecord[]> {
  const rows = await db.query<DeliveryRow>(
    `select d.id, d.subscription_id, s.name, d.event_key, e.event ->> 'title' as title, d.status, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at, d.updated_at
     from notify_deliveries d join notify_subscriptions s on s.id = d.subscription_id join notify_events e on e.key = d.event_key
     order by (d.status = 'failed') desc, d.updated_at desc, d.id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: String(r.id),
    subscriptionId: String(r.subscription_id),
    subscriptionName: r.name,
    eventKey: r.event_key,
    eventTitle: r.title,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    lastError: r.last_error,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
    updatedAt: new Date(r.updated_at),
  }));
}

interface SubscriptionRow {
  id: string | number;
  name: string;
  url: string;
  format: WebhookFormat;
  events: NotifyEventKind[];
  created_at: string | Date;
}

interface DeliveryRow {
  id: string | number;
  subscription_id: string | number;
  name: string;
  event_key: string;
  title: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | Date;
  last_error: string | null;
  delivered_at: string | Date | null;
  updated_at: string | Date;
}

function subscription(row: SubscriptionRow): Subscription {
  return { id: String(row.id), name: row.name, url: row.url, format: row.format, events: row.events, createdAt: new Date(row.created_at) };
}

/** The highest subscription id so far ("0" with none): the subscriptions a block read now is for. */
export async function lastSubscriptionId(db: Queryable): Promise<string> {
  const [row] = await db.query<{ id: string | number }>("select coalesce(max(id), 0) as id from notify_subscriptions");
  return String(row!.id);
}
