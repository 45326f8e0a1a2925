/**
 * readDraft(db, id) and listDrafts(db, author) — drafts as the API sends them (lib/api/wire):
 * one draft with its content, or an author's drafts, most recently saved first.
 */

import type { Address } from "viem";
import type { Queryable } from "../db/database.ts";
import type { DraftListWire, DraftWire } from "../api/wire.ts";

/** A row of the drafts table (lib/db/migrations.ts, "300-drafts"). */
export interface DraftRow {
  id: string;
  author: string;
  version: number;
  title: string;
  content: string;
  content_hash: string;
  signature: string;
  created_at: Date;
  updated_at: Date;
}

/** A row as the API sends it: the content parsed (it was checked when it was saved). */
export function draftFromRow(row: DraftRow): DraftWire {
  return { id: row.id, author: row.author as Address, version: row.version, content: JSON.parse(row.content) as DraftWire["content"], updatedAt: new Date(row.updated_at).toISOString() };
}

/** The draft `id`, or undefined when there is none. */
export async function readDraft(db: Queryable, id: string): Promise<DraftWire | undefined> {
  const [row] = await db.query<DraftRow>("select * from drafts where id = $1", [id]);
  return row && draftFromRow(row);
}

/** At most this many of an author's drafts are listed. */
export const DRAFT_LIST_LIMIT = 100;

/** `author`'s drafts (lower-case address), most recently saved first. */
export async function listDrafts(db: Queryable, author: Address): Promise<DraftListWire> {
  const rows = await db.query<Pick<DraftRow, "id" | "title" | "version" | "updated_at">>("select id, title, version, updated_at from drafts where author = $1 order by updated_at desc, id limit $2", [author.toLowerCase(), DRAFT_LIST_LIMIT]);
  return { drafts: rows.map((r) => ({ id: r.id, title: r.title, version: r.version, updatedAt: new Date(r.updated_at).toISOString() })) };
}
