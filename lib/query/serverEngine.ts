/**
 * The browser's side of the server's engine pool, for a venue too big to send the browser (GET
 * /api/snapshot answers 413 above the server's limit): the builder's preview from POST
 * /api/preview and the stress lab's cascade from POST /api/stress, read line by line as it
 * streams (progress after every step, then the results). Both answer what the pages' Web Workers
 * answer on a small venue (lib/engineRuns), in the engine's JSON (engine/serialize).
 */

import { fromJson, toJson, type ParamChange } from "../../engine/index.ts";
import type { StressBody } from "../api/engineRunBodies.ts";
import type { BuilderPreview, PreviewWindow, VariantResult } from "../engineRuns/engineRuns.ts";
import { ApiError, fetchApiResponse } from "./fetchApi.ts";

const json = { "content-type": "application/json" };

/** The builder's preview of `changes` computed on the server, and how long it took there. */
export async function fetchServerPreview(changes: ParamChange[], window: PreviewWindow | undefined, signal?: AbortSignal): Promise<{ preview: BuilderPreview; ms: number }> {
  // Only the two fields of the process the band uses: the page's object may carry more.
  const body = toJson({ changes, window: window && { process: { volPerSqrtSec: window.process.volPerSqrtSec, correlation: window.process.correlation }, horizonSec: window.horizonSec } });
  const response = await fetchApiResponse("/api/preview", { method: "POST", headers: json, body, signal });
  return { preview: fromJson<BuilderPreview>(await response.text()), ms: Number(response.headers.get("x-backstop-compute-ms") ?? NaN) };
}

/**
 * Resolves in a task of its own (a message to itself: no timer clamping). Lines that arrive
 * together are handed on one task each, as the Web Worker's messages are: the page renders every
 * step's progress, not only the last of a batch.
 */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

type StressLine = { type: "start"; total: number } | { type: "progress"; done: number; total: number } | { type: "result"; results: VariantResult[] } | { type: "error"; message: string };

/**
 * The stress lab's run computed on the server: `onProgress(done, total)` for every step as the
 * server reports it, then the results. The server's failure mid-run is thrown in its words; a
 * stream that ends without a result says so.
 */
export async function streamServerCascade(run: StressBody, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<VariantResult[]> {
  const response = await fetchApiResponse("/api/stress", { method: "POST", headers: json, body: toJson(run), signal });
  if (!response.body) throw new ApiError("/api/stress answered without a body", response.status);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, end).trim();
      pending = pending.slice(end + 1);
      if (!line) continue;
      await nextTask();
      const message = fromJson<StressLine>(line);
      if (message.type === "start") onProgress(0, message.total);
      else if (message.type === "progress") onProgress(message.done, message.total);
      else if (message.type === "error") throw new ApiError(message.message, response.status);
      else if (message.type === "result") {
        void reader.cancel();
        return message.results;
      }
    }
  }
  throw new ApiError("the server's stress run ended before its results", response.status);
}
