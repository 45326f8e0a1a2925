import { methodsNotAllowed } from "@/lib/api/apiError";
import { relayVoteBody } from "@/lib/api/schemas";
import { relayPost } from "@/lib/server/relayRoutes";

export const dynamic = "force-dynamic";

/** POST /api/relay/vote — a ballot signed by the voter, sent by the relay (which pays the gas) if its rules allow. */
export async function POST(request: Request) {
  return relayPost(request, relayVoteBody, (relay, { proposalId, nonce, ...vote }) => relay.relayVote({ ...vote, proposalId: BigInt(proposalId), nonce: BigInt(nonce) }), "Vote from your wallet.");
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/relay/vote", ["POST"]);
