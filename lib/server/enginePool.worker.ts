/**
 * A thread of the engine pool (lib/server/enginePool.ts): runs a task — a builder preview or a
 * stress run — on the snapshot of the task's block. The snapshot comes with every task in shared
 * memory (lib/server/poolSnapshot) and is deserialised once per block: the thread keeps the last
 * block's and reads the buffer again only when a task of another block comes.
 */

import type { MessagePort } from "node:worker_threads";
import { toJson, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { runCascadeVariants, runPreview, type CascadeRun, type PreviewWindow } from "../engineRuns/engineRuns.ts";
import { snapshotFromPool, type PoolSnapshot } from "./poolSnapshot.ts";

/**
 * A task's state in shared memory: [0] is set to 1 by the thread when it takes the task up,
 * [1] by the request thread when the task's request went away while it ran — a cascade then
 * stops at its next step (a preview, short, runs to its end and is thrown away).
 */
export type TaskState = Int32Array<SharedArrayBuffer>;

export type EngineTask =
  | { kind: "preview"; snapshot: PoolSnapshot; state: TaskState; changes: ParamChange[]; window?: PreviewWindow }
  /** Progress goes out on `port` as `{ done, total }` after each step, then `{ end: true }` before the task returns. */
  | { kind: "cascade"; snapshot: PoolSnapshot; state: TaskState; run: CascadeRun; port: MessagePort };

/** A cascade stopped because its request went away; the thread and the snapshot it holds stay. */
export class RunCancelledError extends Error {
  override name = "RunCancelledError";
}

/** What a task returns: the result in the engine's JSON (engine/serialize), how long it took, and whether the snapshot had to be read first. */
export interface EngineTaskResult {
  json: string;
  ms: number;
  loadedSnapshot: boolean;
}

let held: { key: string; snapshot: ProtocolSnapshot } | undefined;

/**
 * `value` and everything in it frozen. The snapshot serves every task of its block; the engine
 * never changes its input, and if some code did, a frozen snapshot makes that a thrown error in
 * the task that did it (modules are strict) rather than a wrong answer to every task after it.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function snapshotOf(shared: PoolSnapshot): { snapshot: ProtocolSnapshot; loaded: boolean } {
  if (held?.key === shared.key) return { snapshot: held.snapshot, loaded: false };
  held = undefined; // the last block's goes before the next is read: never two venues in memory
  held = { key: shared.key, snapshot: deepFreeze(snapshotFromPool(shared)) };
  return { snapshot: held.snapshot, loaded: true };
}

export default function runEngineTask(task: EngineTask): EngineTaskResult {
  Atomics.store(task.state, 0, 1);
  const { snapshot, loaded } = snapshotOf(task.snapshot);
  const started = performance.now();
  if (task.kind === "preview") {
    const json = toJson(runPreview(snapshot, task.changes, task.window));
    return { json, ms: performance.now() - started, loadedSnapshot: loaded };
  }
  try {
    const results = runCascadeVariants(snapshot, task.run, (done, total) => {
      if (Atomics.load(task.state, 1)) throw new RunCancelledError("the run was aborted: its request went away");
      task.port.postMessage({ done, total });
    });
    return { json: toJson(results), ms: performance.now() - started, loadedSnapshot: loaded };
  } finally {
    task.port.postMessage({ end: true });
    task.port.close();
  }
}
