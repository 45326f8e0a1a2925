/**
 * The schema of Backstop's own database (database.ts), as an ordered list of migrations. Each is
 * applied once, in order, and recorded; a migration once landed is never edited — a change is a
 * new entry at the end. Ids are "NNN-what".
 */

export interface Migration {
  id: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    // Webhook notifications (lib/notify): subscriptions, one row per event (its idempotency key
    // unique, so an event is enqueued once however many blocks or servers derive it), one delivery
    // per subscription and event, and the episodes of alerts (the block each began at).
    id: "200-notify-webhooks",
    sql: `
      create table notify_subscriptions (
        id bigserial primary key,
        name text not null,
        url text not null,
        format text not null check (format in ('slack', 'discord', 'json')),
        events text[] not null,
        secret text not null,
        created_at timestamptz not null default now()
      );
      create table notify_events (
        key text primary key,
        kind text not null,
        event jsonb not null,
        created_at timestamptz not null default now()
      );
      create table notify_deliveries (
        id bigserial primary key,
        subscription_id bigint not null references notify_subscriptions (id) on delete cascade,
        event_key text not null references notify_events (key),
        status text not null default 'pending' check (status in ('pending', 'sending', 'delivered', 'failed')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        lease_until timestamptz,
        last_error text,
        delivered_at timestamptz,
        updated_at timestamptz not null default now(),
        unique (subscription_id, event_key)
      );
      create index notify_deliveries_due on notify_deliveries (next_attempt_at) where status in ('pending', 'sending');
      create table notify_alert_episodes (
        alert_key text primary key,
        raised_block bigint not null,
        cleared boolean not null default false
      );
    `,
  },
];
