import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { BROWSER_VENUE_MAX, snapshotBody } from "@/lib/server/views";

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
      return apiError(413, `This venue has ${count} accounts, more than a browser is sent (at most ${BROWSER_VENUE_MAX.toLocaleString("en-US")}): the builder's live preview and the stress lab, which run in the browser, are not available at this size.`);
    }
    return sharedJsonResponse(request, body);
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/snapshot", ["GET"]);
