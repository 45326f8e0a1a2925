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
];
