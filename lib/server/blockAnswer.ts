/**
 * GET /api/block answered, in one place for both ways a request reaches it: the Next route
 * (app/api/block) and the production server's direct path (lib/server/directRoutes). The block
 * the server's snapshot is at, for every open page's live updates (each asks every few seconds),
 * with where this server got it and where its read spent its time; or the error in words: 400 for
 * any query (the route takes none), 503 when no block can be read.
 */

import { parseQuery } from "../api/parseQuery.ts";
import { emptyQuery } from "../api/schemas.ts";
import { formatServerTiming } from "../api/serverTiming.ts";
import type { BlockWire } from "../api/wire.ts";
import { publicErrorMessage } from "./publicError.ts";
import { blockSourceOf, getLatestSnapshot } from "./snapshot.ts";

export type BlockAnswer = { ok: true; body: Uint8Array; headers: Record<string, string> } | { ok: false; status: 400 | 503; error: string };

export async function answerBlock(search: URLSearchParams): Promise<BlockAnswer> {
  const query = parseQuery(search, emptyQuery, []);
  if (!query.ok) return { ok: false, status: 400, error: query.error };
  try {
    const { snapshot, stale, timing } = await getLatestSnapshot();
    const wire = { blockNumber: snapshot.blockNumber.toString(), blockHash: snapshot.blockHash, timestamp: snapshot.timestamp.toString(), stale: stale ?? null } satisfies BlockWire;
    return {
      ok: true,
      body: new TextEncoder().encode(JSON.stringify(wire)),
      headers: {
        // Whether this server read the block from the chain or loaded the publisher's (servers sharing a Postgres: lib/server/blockShare).
        "x-backstop-block-source": blockSourceOf(snapshot.blockHash),
        // Where the block's read spent its time, stage by stage (lib/server/blockReader's BlockTiming): the devtools' Timing tab shows it.
        "server-timing": formatServerTiming(timing),
      },
    };
  } catch (error) {
    return { ok: false, status: 503, error: publicErrorMessage(error) };
  }
}
