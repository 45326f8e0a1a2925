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
    // lib/server/history.ts: one row per block the server published, its figures as JSON.
    id: "010-system-history",
    sql: `create table system_history (
      chain_id integer not null,
      block_number bigint not null,
      block_hash text not null,
      block_time timestamptz not null,
      figures jsonb not null,
      primary key (chain_id, block_number)
    );
    create index system_history_time on system_history (chain_id, block_time)`,
  },
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
  {
    // Shared proposal drafts (lib/drafts): the builder's content as the author signed it, one row
    // per draft, its version counting the author's saves (a save names the version it follows).
    id: "300-drafts",
    sql: `create table drafts (
      id text primary key,
      author text not null,
      version integer not null,
      title text not null,
      content text not null,
      content_hash text not null,
      signature text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index drafts_by_author on drafts (author, updated_at desc)`,
  },
];
