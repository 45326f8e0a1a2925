import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseJsonBody } from "@/lib/api/parseJsonBody";
import { readBodyText } from "@/lib/api/readBodyText";
import { RELAY_MAX_BODY_BYTES, relayVoteBody } from "@/lib/api/schemas";
import { serverRelay } from "@/lib/server/relay";
import { relayFailureResponse, relayOutcomeResponse } from "@/lib/server/relayResponse";

export const dynamic = "force-dynamic";

/** POST /api/relay/vote — a ballot signed by the voter, sent by the relay (which pays the gas) if its rules allow. */
export async function POST(request: Request) {
  const read = await readBodyText(request, RELAY_MAX_BODY_BYTES);
  if (!read.ok) return apiError(413, read.error);
  const body = parseJsonBody(read.text, relayVoteBody);
  if (!body.ok) return apiError(400, body.error);
  try {
    const relay = await serverRelay();
    if (!relay) return apiError(404, "this Backstop has no relay: its operator has not set BACKSTOP_RELAYER_KEY. Vote from your wallet.");
    const { proposalId, nonce, ...vote } = body.value;
    return relayOutcomeResponse(await relay.relayVote({ ...vote, proposalId: BigInt(proposalId), nonce: BigInt(nonce) }));
  } catch (error) {
    return relayFailureResponse(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/relay/vote", ["POST"]);
