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
