import { NextResponse } from "next/server";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** The block the server's snapshot is at, for the browser's live updates. 503 with a reason when the chain cannot be read. */
export async function GET() {
  try {
    const { snapshot, stale } = await getLatestSnapshot();
    return NextResponse.json(
      { blockNumber: snapshot.blockNumber.toString(), blockHash: snapshot.blockHash, timestamp: snapshot.timestamp.toString(), stale: stale ?? null },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return NextResponse.json({ error: publicErrorMessage(error) }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
