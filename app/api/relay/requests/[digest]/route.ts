import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { serverRelay } from "@/lib/server/relay";
import { relayRequestWireOf } from "@/lib/server/relayRoutes";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** GET /api/relay/requests/<digest> — a relayed signature's transaction and where it is (sending, pending, mined, reverted). */
export async function GET(_request: Request, { params }: { params: Promise<{ digest: string }> }) {
  const { digest } = await params;
  if (!/^0x[0-9a-fA-F]{64}$/.test(digest)) return apiError(400, "digest: must be the signed message's EIP-712 digest, 0x followed by 64 hexadecimal characters");
  try {
    const relay = await serverRelay();
    if (!relay) return apiError(404, "this Backstop has no relay: its operator has not set BACKSTOP_RELAYER_KEY");
    const request = await relay.readRequest(digest.toLowerCase() as `0x${string}`);
    if (!request) return apiError(404, `the relay has not sent a signature with digest ${digest}`);
    return Response.json(relayRequestWireOf(request, false), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/relay/requests/<digest>", ["GET"]);
