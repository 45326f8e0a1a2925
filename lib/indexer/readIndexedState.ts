/**
 * readIndexedState(indexerUrl, { offset, limit }) and readIndexedHistory(indexerUrl, { blocks }):
 * the indexer's own routes, which read the database in one transaction each (never a client-side
 * cache, which after a reorg can serve reverted rows).
 */

import { messageOf } from "../errors/messageOf.ts";
import { IndexedStateError, parseIndexedHistory, parseIndexedState, type IndexedHistoryRow, type IndexedState } from "./indexedState.ts";

export interface ReadIndexedStateParameters {
  /** First account (registration index). Default 0. */
  offset?: number;
  /** Accounts in the page (≤ 2,000). Default 500. */
  limit?: number;
}

async function getJson(url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new IndexedStateError(`the indexer at ${url.origin} cannot be reached: ${messageOf(cause)}. Is it running (npm run demo starts it)?`, { cause });
  }
  if (!response.ok) throw new IndexedStateError(`the indexer answered ${response.status} to ${url.pathname}: ${(await response.text()).trim() || response.statusText}`);
  return response.json();
}

export async function readIndexedState(indexerUrl: string, { offset = 0, limit = 500 }: ReadIndexedStateParameters = {}): Promise<IndexedState> {
  const url = new URL("/backstop/state", indexerUrl);
  url.searchParams.set("offset", String(offset));
  url.searchParams.set("limit", String(limit));
  return parseIndexedState(await getJson(url));
}

export async function readIndexedHistory(indexerUrl: string, { blocks }: { blocks: readonly bigint[] }): Promise<IndexedHistoryRow[]> {
  const url = new URL("/backstop/history", indexerUrl);
  url.searchParams.set("blocks", blocks.join(","));
  return parseIndexedHistory(await getJson(url));
}
