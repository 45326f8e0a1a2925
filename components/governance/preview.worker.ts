/// <reference lib="webworker" />
/**
 * The proposal builder's live preview, off the main thread: the snapshot is sent once, then
 * every edit sends its changes and gets the preview back (the latest request wins), with the band
 * across the execution window when the page knows the window (engine/preview/previewBand).
 */

import { fromJson, previewBand, previewChanges, toJson, type ParamChange, type PreviewBandOptions, type ProtocolSnapshot } from "../../engine/index.ts";
import { messageOf } from "@/lib/errors/messageOf";

declare const self: DedicatedWorkerGlobalScope;

let snapshot: ProtocolSnapshot | undefined;
/** A preview asked for before the snapshot arrived: answered as soon as it does. */
let waiting: PreviewRequest | undefined;

export interface PreviewRequest {
  id: number;
  changesJson: string;
  window?: Pick<PreviewBandOptions, "process" | "horizonSec">;
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
    const { after, ...preview } = previewChanges(snapshot, fromJson<ParamChange[]>(message.changesJson));
    const band = message.window ? previewBand(snapshot, after, { ...message.window, seed: 1 }) : undefined;
    self.postMessage({ type: "preview", id: message.id, json: toJson({ ...preview, band }), ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, message: messageOf(error) });
  }
}
