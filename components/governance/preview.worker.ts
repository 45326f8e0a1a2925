/// <reference lib="webworker" />
/**
 * The proposal builder's live preview, off the main thread: the snapshot is sent once, then
 * every edit sends its changes and gets the preview back (the latest request wins), with the band
 * across the execution window when the page knows the window (lib/engineRuns: the same run the
 * server's engine pool does for a venue too big to send here).
 */

import { fromJson, toJson, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { runPreview, type PreviewWindow } from "@/lib/engineRuns/engineRuns";
import { messageOf } from "@/lib/errors/messageOf";

declare const self: DedicatedWorkerGlobalScope;

let snapshot: ProtocolSnapshot | undefined;
/** A preview asked for before the snapshot arrived: answered as soon as it does. */
let waiting: PreviewRequest | undefined;

export interface PreviewRequest {
  id: number;
  changesJson: string;
  window?: PreviewWindow;
}

self.onmessage = (event: MessageEvent<{ type: "snapshot"; json: string } | ({ type: "preview" } & PreviewRequest)>) => {
  const message = event.data;
  if (message.type === "snapshot") {
    snapshot = fromJson<ProtocolSnapshot>(message.json);
    if (waiting) preview(waiting);
    waiting = undefined;
    return;
  }
  if (!snapshot) {
    waiting = message;
    return;
  }
  preview(message);
};

function preview(message: PreviewRequest) {
  if (!snapshot) return;
  try {
    const started = performance.now();
    const json = toJson(runPreview(snapshot, fromJson<ParamChange[]>(message.changesJson), message.window));
    self.postMessage({ type: "preview", id: message.id, json, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, message: messageOf(error) });
  }
}
