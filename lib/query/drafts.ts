/**
 * Query options for a wallet's drafts (GET /api/drafts?author=), disabled until a wallet is
 * connected; and the save (PUT /api/drafts/ID) the builder sends once the author has signed.
 */

import { queryOptions } from "@tanstack/react-query";
import { draftListWire, draftWire, type DraftWire } from "../api/wire.ts";
import type { DraftSaveBody } from "../api/schemas.ts";
import { fetchApiJson } from "./fetchApi.ts";

export const draftsQueryOptions = (author: `0x${string}` | undefined) =>
  queryOptions({
    queryKey: ["drafts", { author: author?.toLowerCase() }] as const,
    queryFn: () => fetchApiJson(`/api/drafts?author=${author}`, draftListWire),
    enabled: author !== undefined,
  });

/** Sends a signed save; the server's refusal (another author, a stale version) is an ApiError in its words. */
export function putDraft(id: string, save: DraftSaveBody): Promise<DraftWire> {
  return fetchApiJson(`/api/drafts/${id}`, draftWire, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(save) });
}
