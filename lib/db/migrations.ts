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
];
