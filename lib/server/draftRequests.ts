/**
 * The drafts API's requests, answered against a database and a chain (app/api/drafts routes
 * pass the server's; tests pass PGlite in memory): GET /api/drafts?author=, GET and PUT
 * /api/drafts/ID. Bad input is a 4xx with a sentence (lib/api/apiError); a save's refusals are
 * saveDraft's own words.
 */

import type { PublicClient } from "viem";
import { apiError } from "../api/apiError.ts";
import { parseQuery, quote } from "../api/parseQuery.ts";
import { readBodyText } from "../api/readBodyText.ts";
import { DRAFT_MAX_BODY_BYTES, draftSaveBody, draftsQuery, draftsQueryKeys } from "../api/schemas.ts";
import { draftId, type DraftListWire, type DraftWire } from "../api/wire.ts";
import type { Database } from "../db/database.ts";
import { listDrafts, readDraft } from "../drafts/readDrafts.ts";
import { saveDraft } from "../drafts/saveDraft.ts";

export interface DraftRequestContext {
  db: Database;
  chainId: number;
  client?: Pick<PublicClient, "verifyTypedData">;
}

const noStore = { "cache-control": "no-store" };

/** GET /api/drafts?author=0x… */
export async function answerDraftList(request: Request, { db }: Pick<DraftRequestContext, "db">): Promise<Response> {
  const query = parseQuery(new URL(request.url).searchParams, draftsQuery, draftsQueryKeys);
  if (!query.ok) return apiError(400, query.error);
  return Response.json((await listDrafts(db, query.value.author)) satisfies DraftListWire, { headers: noStore });
}

/** GET /api/drafts/ID */
export async function answerDraft(id: string, { db }: Pick<DraftRequestContext, "db">): Promise<Response> {
  if (!draftId.safeParse(id).success) return apiError(400, `${quote(id)} is not a draft id: 32 lower-case hexadecimal characters`);
  const draft = await readDraft(db, id);
  return draft ? Response.json(draft satisfies DraftWire, { headers: noStore }) : apiError(404, `there is no draft ${id}`);
}

/** PUT /api/drafts/ID: a save signed by the draft's author (lib/drafts/saveDraft). */
export async function answerDraftSave(request: Request, id: string, { db, chainId, client }: DraftRequestContext): Promise<Response> {
  if (!draftId.safeParse(id).success) return apiError(400, `${quote(id)} is not a draft id: 32 lower-case hexadecimal characters`);
  const body = await readBodyText(request, DRAFT_MAX_BODY_BYTES);
  if (!body.ok) return apiError(413, body.error);
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return apiError(400, body.text.trim() === "" ? "the body is empty: send the draft's author, chainId, version, content and signature as JSON" : "the body is not JSON");
  }
  const parsed = draftSaveBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return apiError(400, `${issue.path.length ? issue.path.join(".") : "the body"} ${issue.message}`);
  }
  const saved = await saveDraft(db, { id, save: parsed.data, chainId, client });
  return saved.ok ? Response.json(saved.draft satisfies DraftWire, { headers: noStore }) : apiError(saved.status, saved.error);
}
