/**
 * What POST /api/preview and POST /api/stress do before they run anything: the body read and
 * checked (a 400 naming what is wrong), the server's latest snapshot (a 503 when the chain cannot
 * be read), and the body's per-market lists held to the venue's markets (a 400).
 */

import type { z } from "zod";
import { apiError } from "../api/apiError.ts";
import { venueMismatch } from "../api/engineRunBodies.ts";
import { parseJsonBody } from "../api/parseJsonBody.ts";
import { publicErrorMessage } from "./publicError.ts";
import { getLatestSnapshot, type LatestSnapshot } from "./snapshot.ts";

export async function engineRunRequest<T extends Parameters<typeof venueMismatch>[0]>(request: Request, schema: z.ZodType<T>, what: string): Promise<{ body: T; read: LatestSnapshot } | Response> {
  const body = await parseJsonBody(request, schema, what);
  if (!body.ok) return apiError(400, body.error);
  let read: LatestSnapshot;
  try {
    read = await getLatestSnapshot();
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
  const mismatch = venueMismatch(body.value, read.snapshot.markets.length);
  return mismatch ? apiError(400, mismatch) : { body: body.value, read };
}
