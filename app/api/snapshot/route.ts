import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";
import { sharedJsonResponse } from "@/lib/api/sharedJsonResponse";
import { snapshotBody } from "@/lib/server/views";

export const dynamic = "force-dynamic";

/** The whole snapshot at the server's latest block (exact bigints, engine/serialize), for engine runs in the browser. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    return sharedJsonResponse(request, snapshotBody(await getLatestSnapshot()));
  } catch (error) {
    return apiError(503, publicErrorMessage(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/snapshot", ["GET"]);
