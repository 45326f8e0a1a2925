import { NextResponse } from "next/server";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { accountRowsJson } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** Every account's row for the accounts table, at the server's latest block. */
export async function GET() {
  try {
    const { snapshot, stale } = await getLatestSnapshot();
    // The rows are serialised once per block; only the small envelope is built per request.
    const body = `{"blockNumber":${JSON.stringify(snapshot.blockNumber.toString())},"stale":${JSON.stringify(stale ?? null)},"rows":${accountRowsJson(snapshot)}}`;
    return new Response(body, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
  } catch (error) {
    return NextResponse.json({ error: publicErrorMessage(error) }, { status: 503 });
  }
}
