import { methodsNotAllowed } from "@/lib/api/apiError";
import { stressBody } from "@/lib/api/engineRunBodies";
import { pathFromMoves, toJson } from "@/engine/index";
import { EnginePoolBusyError, cascadeOnPool } from "@/lib/server/enginePool";
import { engineRunRequest } from "@/lib/server/engineRunRequest";
import { publicErrorMessage } from "@/lib/server/publicError";

export const dynamic = "force-dynamic";

/**
 * POST /api/stress {variants, moves, steps, impact, keeper} — the stress lab's cascade, once per
 * parameter set, on the server's latest snapshot, computed on the server's engine pool
 * (lib/server/enginePool) and streamed as it runs, one JSON object a line (NDJSON, in the engine's
 * JSON: engine/serialize):
 *
 *   {"type":"start","blockNumber":{"$bigint":"…"},"total":48}
 *   {"type":"progress","done":1,"total":48}   … one after every step of every parameter set
 *   {"type":"result","ms":812.5,"results":[…]}   the same results the stress lab's Web Worker gives
 *
 * or, where the run fails after the stream began, a last {"type":"error","message":"…"}. Bad input
 * is a 400 before any stream. A client that goes away stops the run.
 */
export async function POST(request: Request) {
  const checked = await engineRunRequest(request, stressBody, "stress");
  if (checked instanceof Response) return checked;
  const { body, read } = checked;
  const { variants, moves, steps, impact, keeper } = body;
  const run = { variants, path: pathFromMoves(moves, steps), impact, keeper: { ...keeper, capacityPerStep: keeper.capacityPerStep ?? Infinity } };

  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(`${text}\n`));
        } catch {
          abort.abort(); // the stream was closed under us: nobody reads the rest
        }
      };
      send(toJson({ type: "start", blockNumber: read.snapshot.blockNumber, total: variants.length * steps }));
      cascadeOnPool(read.snapshot, run, (done, total) => send(JSON.stringify({ type: "progress", done, total })), abort.signal).then(
        ({ json, ms }) => {
          // The results are already the engine's JSON: spliced in, not parsed and written again.
          send(`{"type":"result","ms":${ms.toFixed(1)},"results":${json}}`);
          if (!abort.signal.aborted) controller.close();
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          const message = error instanceof EnginePoolBusyError ? error.message : `the simulation failed: ${publicErrorMessage(error)}`;
          send(JSON.stringify({ type: "error", message }));
          controller.close();
        },
      );
    },
    cancel() {
      abort.abort();
    },
  });
  // no-transform: the server's gzip (scripts/serve.ts, the compression package) would hold the lines back until its buffer fills.
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store, no-transform", "x-backstop-block": read.snapshot.blockNumber.toString() } });
}

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("/api/stress", ["POST"]);
