/**
 * The relay routes' answers: a request as logged (relayRequestWire), or the refusal in words
 * with the rule's name beside it — 429 for the rate limit, 409 for a second vote, 422 for the
 * others — or 503 when the chain or the database cannot be reached.
 */

import type { RelayOutcome, RelayRequestRecord, RelayRule } from "../relay/createRelay.ts";
import { apiError } from "../api/apiError.ts";
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

export function relayOutcomeResponse(outcome: RelayOutcome): Response {
  if (!outcome.ok) return apiError(STATUS_OF[outcome.rule], outcome.message, {}, { rule: outcome.rule });
  return Response.json(relayRequestWireOf(outcome.request, outcome.duplicate) satisfies RelayRequestWire, { status: outcome.duplicate ? 200 : 202, headers: { "cache-control": "no-store" } });
}

export function relayFailureResponse(error: unknown): Response {
  return apiError(503, `the relay could not send it: ${publicErrorMessage(error)}`);
}
