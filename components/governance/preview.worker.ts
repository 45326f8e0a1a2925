/// <reference lib="webworker" />
/**
 * The proposal builder's live preview, off the main thread: the snapshot is sent once, then
 * every edit sends its changes and gets the preview back (the latest request wins).
 */

import { fromJson, previewChanges, toJson, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";

declare const self: DedicatedWorkerGlobalScope;

let snapshot: ProtocolSnapshot | undefined;
/** A preview asked for before the snapshot arrived: answered as soon as it does. */
let waiting: { id: number; changesJson: string } | undefined;

self.onmessage = (event: MessageEvent<{ type: "snapshot"; json: string } | { type: "preview"; id: number; changesJson: string }>) => {
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

function preview(message: { id: number; changesJson: string }) {
  if (!snapshot) return;
  try {
    const started = performance.now();
    const { after: _after, ...preview } = previewChanges(snapshot, fromJson<ParamChange[]>(message.changesJson));
    void _after;
    self.postMessage({ type: "preview", id: message.id, json: toJson(preview), ms: performance.now() - started });
  } catch (error) {
    self.postMessage({ type: "error", id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
}
