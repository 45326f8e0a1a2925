import { toJson } from "@/engine/serialize";
import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { parseQuery } from "@/lib/api/parseQuery";
import { emptyQuery } from "@/lib/api/schemas";
import { getLatestSnapshot } from "@/lib/server/snapshot";

export const dynamic = "force-dynamic";

/** The whole snapshot at the server's latest block (exact bigints, engine/serialize), for engine runs in the browser. */
export async function GET(request: Request) {
  const query = parseQuery(new URL(request.url).searchParams, emptyQuery, []);
  if (!query.ok) return apiError(400, query.error);
  try {
    const { snapshot } = await getLatestSnapshot();
    return new Response(toJson(snapshot), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
  } catch (error) {
    return apiError(503, error instanceof Error ? error.message : String(error));
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("/api/snapshot", ["GET"]);
