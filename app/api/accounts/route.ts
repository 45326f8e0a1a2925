import { NextResponse } from "next/server";
import { getLatestSnapshot } from "@/lib/server/snapshot";
import { accountRows } from "@/lib/server/views";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/** Every account's row for the accounts table, at the server's latest block. */
export async function GET() {
  try {
    const { snapshot, stale } = await getLatestSnapshot();
    return NextResponse.json({ blockNumber: snapshot.blockNumber.toString(), stale: stale ?? null, rows: accountRows(snapshot) }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return NextResponse.json({ error: publicErrorMessage(error) }, { status: 503 });
  }
}
