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
    // The relay's log (lib/relay): one row per signature sent, keyed on the EIP-712 digest the
    // contract checks, so the same signature is sent once however many requests bring it. A vote
    // still pending or mined holds its (contract, proposal, voter): one vote per proposal per
    // voter, held by the database rather than by a check-then-insert. Amounts in wei.
    id: "100-relay-requests",
    sql: `create table relay_requests (
      id bigserial primary key,
      digest text not null unique,
      kind text not null check (kind in ('vote', 'delegation')),
      contract text not null,
      signer text not null,
      proposal_id numeric(78, 0),
      support smallint,
      reason text,
      params text,
      delegatee text,
      nonce numeric(78, 0) not null,
      expiry numeric(78, 0),
      signature text not null,
      status text not null check (status in ('sending', 'pending', 'mined', 'reverted')),
      tx_hash text,
      reserved_wei numeric(78, 0) not null,
      gas_used numeric(78, 0),
      spent_wei numeric(78, 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index relay_one_vote_per_proposal on relay_requests (contract, proposal_id, signer) where kind = 'vote' and status <> 'reverted';
    create index relay_requests_by_signer on relay_requests (signer, created_at);
    create table relay_refusals (
      id bigserial primary key,
      kind text not null,
      signer text not null,
      rule text not null,
      message text not null,
      created_at timestamptz not null default now()
    );`,
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
