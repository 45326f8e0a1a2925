import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { browserVenueMax, snapshotBody } from "@/lib/server/views";

export const dynamic = "force-dynamic";

/** The whole snapshot at the server's latest block (exact bigints, engine/serialize), for engine runs in the browser. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const read = await getLatestSnapshot();
    const body = snapshotBody(read);
    if (!body) {
      const count = read.views.accountCount.toLocaleString("en-US");
      return apiError(413, `This venue has ${count} accounts, more than a browser is sent (at most ${browserVenueMax().toLocaleString("en-US")}): the builder's live preview and the stress lab run on the server at this size (POST /api/preview, POST /api/stress).`);
    }
    return sharedJsonResponse(request, body);
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/snapshot", ["GET"]);
