/// <reference lib="webworker" />
/**
 * Runs the engine's cascade off the main thread: the page stays responsive and shows progress.
 * In: { id, snapshotJson, variants: [{ label, changes }], path, impact, keeper }.
 * Out: { id, type: "progress", done, total } … then { id, type: "result", results } or { type: "error" }.
 */

import { applyChanges, fromJson, simulateCascade, type CascadeParameters, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { messageOf } from "@/lib/errors/messageOf";

export interface CascadeRequest {
  id: number;
  snapshotJson: string;
  variants: { label: string; changes: ParamChange[] }[];
  path: number[][];
  impact: CascadeParameters["impact"];
  keeper: NonNullable<CascadeParameters["keeper"]>;
}

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<CascadeRequest>) => {
  const { id, snapshotJson, variants, path, impact, keeper } = event.data;
  try {
    const base = fromJson<ProtocolSnapshot>(snapshotJson);
    const total = variants.length * path.length;
    const results = variants.map((variant, v) => {
      const { snapshot, issues } = applyChanges(base, variant.changes);
      // Not the final state: it would be rebuilt only to be thrown away.
      const { steps, totals, amplification } = simulateCascade({
        snapshot,
        path,
        impact,
        keeper,
        onStep: (step) => self.postMessage({ id, type: "progress", done: v * path.length + step + 1, total }),
      });
      return { label: variant.label, issues, steps, totals, amplification };
    });
    self.postMessage({ id, type: "result", results });
  } catch (error) {
    self.postMessage({ id, type: "error", message: messageOf(error) });
  }
};
