import { apiError, methodsNotAllowed } from "@/lib/api/apiError";
import { previewBody } from "@/lib/api/engineRunBodies";
import { EnginePoolBusyError, previewOnPool } from "@/lib/server/enginePool";
import { engineRunRequest } from "@/lib/server/engineRunRequest";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/**
 * POST /api/preview {changes, window?} — the proposal builder's live preview of a draft's changes
 * on the server's latest snapshot, computed on the server's engine pool (lib/server/enginePool):
 * the same JSON the builder's Web Worker gives for a venue small enough to send the browser.
 * The time it took on the pool and the block it is of come as headers. A request that goes away
 * takes its task off the pool.
 */
export async function POST(request: Request) {
  const checked = await engineRunRequest(request, previewBody, "preview");
  if (checked instanceof Response) return checked;
  const { body, read } = checked;
  try {
    const { json, ms } = await previewOnPool(read.snapshot, body.changes, body.window, request.signal);
    return new Response(json, {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-backstop-compute-ms": ms.toFixed(1), "x-backstop-block": read.snapshot.blockNumber.toString() },
    });
  } catch (error) {
    if (error instanceof EnginePoolBusyError) return apiError(503, error.message, { "retry-after": "1" });
    return apiError(500, `the preview failed: ${publicErrorMessage(error)}`);
  }
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/preview", ["POST"]);
