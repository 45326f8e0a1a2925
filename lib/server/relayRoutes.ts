/**
 * The relay routes' answers: a request as logged (relayRequestWire), or the refusal in words
 * with the rule's name beside it — 429 for the rate limit, 409 for a second vote, 422 for the
 * others — 400 for a body that is not a signed message, 404 with the relay off, or 503 when the
 * chain or the database cannot be reached.
 */

import type { z } from "zod";
import type { Relay, RelayOutcome, RelayRequestRecord, RelayRule } from "../relay/createRelay.ts";
import { apiError } from "../api/apiError.ts";
import { parseJsonText } from "../api/parseJsonBody.ts";
import { readBodyText } from "../api/readBodyText.ts";
import { RELAY_MAX_BODY_BYTES } from "../api/schemas.ts";
import { serverRelay } from "./relay.ts";
import type { RelayRequestWire } from "../api/wire.ts";
import { publicErrorMessage } from "./publicError.ts";

const STATUS_OF: Record<RelayRule, number> = {
  "rate limit": 429,
  "one vote per proposal": 409,
  budget: 422,
  "minimum voting power": 422,
  "gas price ceiling": 422,
  signature: 422,
  contract: 422,
};

export function relayRequestWireOf(request: RelayRequestRecord, duplicate: boolean): RelayRequestWire {
  return { ...request, gasUsed: request.gasUsed?.toString() ?? null, spentWei: request.spentWei?.toString() ?? null, duplicate };
}

function relayOutcomeResponse(outcome: RelayOutcome): Response {
  if (!outcome.ok) return apiError(STATUS_OF[outcome.rule], outcome.message, {}, { rule: outcome.rule });
  return Response.json(relayRequestWireOf(outcome.request, outcome.duplicate) satisfies RelayRequestWire, { status: outcome.duplicate ? 200 : 202, headers: { "cache-control": "no-store" } });
}

/** A POST to a relay route: its body checked against `schema`, then handed to the server's relay by `send`. */
export async function relayPost<T>(request: Request, schema: z.ZodType<T>, send: (relay: Relay, body: T) => Promise<RelayOutcome>, otherwise: string): Promise<Response> {
  const read = await readBodyText(request, RELAY_MAX_BODY_BYTES);
  if (!read.ok) return apiError(413, read.error);
  const body = parseJsonText(read.text, schema);
  if (!body.ok) return apiError(400, body.error);
  try {
    const relay = await serverRelay();
    if (!relay) return apiError(404, `this Backstop has no relay: its operator has not set BACKSTOP_RELAYER_KEY. ${otherwise}`);
    return relayOutcomeResponse(await send(relay, body.value));
  } catch (error) {
    return apiError(503, `the relay could not send it: ${publicErrorMessage(error)}`);
  }
}
