/// <reference lib="webworker" />
/**
 * Runs the engine's cascade off the main thread: the page stays responsive and shows progress.
 * In: { id, snapshotJson, variants: [{ label, changes }], path, impact, keeper }.
 * Out: { id, type: "progress", done, total } … then { id, type: "result", results } or { type: "error" }.
 * The run itself is lib/engineRuns' runCascadeVariants, the one the server's engine pool runs for
 * a venue too big to send here.
 */

import { fromJson, type ProtocolSnapshot } from "../../engine/index.ts";
import { runCascadeVariants, type CascadeRun } from "@/lib/engineRuns/engineRuns";
import { messageOf } from "@/lib/errors/messageOf";

export interface CascadeRequest extends CascadeRun {
  id: number;
  snapshotJson: string;
}

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<CascadeRequest>) => {
  const { id, snapshotJson, ...run } = event.data;
  try {
    const results = runCascadeVariants(fromJson<ProtocolSnapshot>(snapshotJson), run, (done, total) => self.postMessage({ id, type: "progress", done, total }));
    self.postMessage({ id, type: "result", results });
  } catch (error) {
    self.postMessage({ id, type: "error", message: messageOf(error) });
  }
};
