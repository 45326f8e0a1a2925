/**
 * saveDraft(db, { id, save, chainId, client }) — stores a draft save its author signed, or says
 * in words why not. The rules:
 *
 * - The signature must be the author's over draftTypedData(id, content, version, chainId) — an
 *   account's key (ecrecover), or, given a chain client, a contract wallet's ERC-1271
 *   isValidSignature (viem's verifyTypedData action).
 * - Version 1 creates the draft; it must not exist yet.
 * - Version n + 1 changes a draft at version n, and only its author may: another account is
 *   refused by name, and a save made on an older version (a second tab, a stale page) is refused
 *   rather than silently overwriting what was saved since (optimistic concurrency: the row is
 *   locked, its version compared, then written, in one transaction).
 */

import { verifyTypedData, type Address, type Hex, type PublicClient } from "viem";
import type { Queryable } from "../db/database.ts";
import { draftContentWire, DRAFT_MAX_CONTENT_BYTES, type DraftWire } from "../api/wire.ts";
import type { DraftSaveBody } from "../api/schemas.ts";
import { draftContentHash, draftTypedData } from "./draftTypedData.ts";
import { draftFromRow, type DraftRow } from "./readDrafts.ts";

export interface SaveDraftParameters {
  id: string;
  save: DraftSaveBody;
  /** The chain this Backstop serves: a signature for another is refused. */
  chainId: number;
  /** A client of that chain, to accept contract wallets' signatures (ERC-1271); without it only accounts' keys. */
  client?: Pick<PublicClient, "verifyTypedData">;
}

export type SaveDraftReturnType = { ok: true; draft: DraftWire } | { ok: false; status: 400 | 401 | 403 | 409; error: string };

export async function saveDraft(db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> }, { id, save, chainId, client }: SaveDraftParameters): Promise<SaveDraftReturnType> {
  const refuse = (status: 400 | 401 | 403 | 409, error: string) => ({ ok: false as const, status, error });
  if (save.chainId !== chainId) return refuse(400, `The signature is for chain ${save.chainId}, but this Backstop serves chain ${chainId}: switch the wallet to chain ${chainId} and save again.`);
  if (new TextEncoder().encode(save.content).byteLength > DRAFT_MAX_CONTENT_BYTES) return refuse(400, `The draft's content is over ${DRAFT_MAX_CONTENT_BYTES} bytes: remove some actions or shorten the description.`);
  let json: unknown;
  try {
    json = JSON.parse(save.content);
  } catch {
    return refuse(400, "The draft's content is not JSON text.");
  }
  const content = draftContentWire.safeParse(json);
  if (!content.success) {
    const issue = content.error.issues[0]!;
    return refuse(400, `The draft's content is not a builder draft: ${issue.path.join(".") || "(content)"} ${issue.message}.`);
  }
  if (!(await signedBy(save.author, save.signature as Hex, draftTypedData({ id, content: save.content, version: save.version, chainId }), client))) {
    return refuse(401, `The signature is not ${save.author}'s over this draft's content, version ${save.version} and chain ${chainId}: nothing was saved.`);
  }

  return db.transaction(async (tx) => {
    const [current] = await tx.query<{ author: string; version: number }>("select author, version from drafts where id = $1 for update", [id]);
    if (current && current.author !== save.author) return refuse(403, `Only the draft's author, ${current.author}, can change it; this save was signed by ${save.author}. Save a copy as your own draft instead.`);
    const at = current?.version ?? 0;
    if (save.version !== at + 1) {
      return refuse(409, at === 0 ? `There is no draft ${id} to change: save it as a new draft (version 1).` : `The draft changed since this copy was opened: it is at version ${at}, and this save follows version ${save.version - 1}. Reload the draft to see what changed, then save again; nothing was overwritten.`);
    }
    const values = [id, save.author, save.version, content.data.title, save.content, draftContentHash(save.content), save.signature];
    const [row] = current
      ? await tx.query<DraftRow>("update drafts set version = $3, title = $4, content = $5, content_hash = $6, signature = $7, updated_at = now() where id = $1 and author = $2 returning *", values)
      : await tx.query<DraftRow>("insert into drafts (id, author, version, title, content, content_hash, signature) values ($1, $2, $3, $4, $5, $6, $7) returning *", values);
    return { ok: true as const, draft: draftFromRow(row!) };
  });
}

/** Whether `author` signed `typedData`: its key, else (given a client) its ERC-1271 wallet contract. */
async function signedBy(author: Address, signature: Hex, typedData: ReturnType<typeof draftTypedData>, client: SaveDraftParameters["client"]): Promise<boolean> {
  const byKey = await verifyTypedData({ address: author, signature, ...typedData }).catch(() => false);
  if (byKey || !client) return byKey;
  return client.verifyTypedData({ address: author, signature, ...typedData }).catch(() => false);
}
