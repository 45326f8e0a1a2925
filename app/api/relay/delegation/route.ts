import { methodsNotAllowed } from "@/lib/api/apiError";
import { relayDelegationBody } from "@/lib/api/schemas";
import { relayPost } from "@/lib/server/relayRoutes";

export const dynamic = "force-dynamic";

/** POST /api/relay/delegation — a delegation signed by the holder, sent by the relay (which pays the gas) if its rules allow. */
export async function POST(request: Request) {
  return relayPost(request, relayDelegationBody, (relay, { nonce, expiry, ...delegation }) => relay.relayDelegation({ ...delegation, nonce: BigInt(nonce), expiry: BigInt(expiry) }), "Delegate from your wallet.");
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/relay/delegation", ["POST"]);
