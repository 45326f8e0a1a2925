import { getLatestSnapshot } from "@/lib/server/snapshot";
import { snapshotJson } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** The whole snapshot at the server's latest block (exact bigints, engine/serialize), for engine runs in the browser. */
export async function GET() {
  try {
    const { snapshot } = await getLatestSnapshot();
    return new Response(snapshotJson(snapshot), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
  } catch (error) {
    return Response.json({ error: publicErrorMessage(error) }, { status: 503 });
  }
}
