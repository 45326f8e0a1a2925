/**
 * A thread of the engine pool (lib/server/enginePool.ts): runs a task — a builder preview or a
 * stress run — on the snapshot of the task's block. The snapshot comes with every task in shared
 * memory (lib/server/poolSnapshot) and is deserialised once per block: the thread keeps the last
 * block's and reads the buffer again only when a task of another block comes, and then only the
 * accounts that changed.
 */

import type { MessagePort } from "node:worker_threads";
import { columnarOf, toJson, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { runCascadeVariants, runPreview, type CascadeRun, type PreviewWindow } from "../engineRuns/engineRuns.ts";
import { snapshotFromPool, type PoolSnapshot, type ReadPoolSnapshot } from "./poolSnapshot.ts";

/**
 * A task's state in shared memory: [0] is set to 1 by the thread when it takes the task up,
 * [1] by the request thread when the task's request went away while it ran — a cascade then
 * stops at its next step (a preview, short, runs to its end and is thrown away).
 */
export type TaskState = Int32Array<SharedArrayBuffer>;

export type EngineTask =
  | { kind: "preview"; snapshot: PoolSnapshot; state: TaskState; changes: ParamChange[]; window?: PreviewWindow }
  /** Reads the block's snapshot and keeps it, ready for the previews and runs of that block (enginePool's warmEnginePool). */
  | { kind: "hold"; snapshot: PoolSnapshot; state: TaskState }
  /** Progress goes out on `port` as `{ done, total }` after each step, then `{ end: true }` before the task returns. */
  | { kind: "cascade"; snapshot: PoolSnapshot; state: TaskState; run: CascadeRun; port: MessagePort };

/** A cascade stopped because its request went away; the thread and the snapshot it holds stay. */
export class RunCancelledError extends Error {
  override name = "RunCancelledError";
}

/** What a task returns: the result in the engine's JSON (engine/serialize), how long it took, and what of the snapshot had to be read first. */
export interface EngineTaskResult {
  json: string;
  ms: number;
  /** Whether the block's snapshot was read for this task (the thread held another block's, or none). */
  loadedSnapshot: boolean;
  /** Accounts deserialised for it: 0 when the snapshot was held; those that changed since the block the thread held. */
  accountsRead: number;
}

/** The block this thread holds, and the buffer it read it from (for the next block's read). */
let held: ReadPoolSnapshot | undefined;

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

/**
 * The snapshot of `shared`'s block: the one held, or read — of a new block, only the accounts
 * that differ from the held block's (snapshotFromPool); the held block's buffer goes with it.
 */
function snapshotOf(shared: PoolSnapshot): { snapshot: ProtocolSnapshot; accountsRead: number | undefined } {
  if (held?.shared.key === shared.key) return { snapshot: held.snapshot, accountsRead: undefined };
  const { snapshot, accountsRead } = snapshotFromPool(shared, held);
  // The columns every preview and run reads (engine columnarOf), now rather than at the first
  // preview, and followed from the held block's: the rows that changed rewritten, not a million
  // rows built (~1–2 s at 1,000,000 accounts, which the first preview of each block paid).
  columnarOf(snapshot, held?.snapshot);
  held = { shared, snapshot: deepFreeze(snapshot) };
  return { snapshot, accountsRead };
}

export default function runEngineTask(task: EngineTask): EngineTaskResult {
  Atomics.store(task.state, 0, 1);
  const { snapshot, accountsRead } = snapshotOf(task.snapshot);
  const read = { loadedSnapshot: accountsRead !== undefined, accountsRead: accountsRead ?? 0 };
  const started = performance.now();
  if (task.kind === "hold") return { json: "null", ms: 0, ...read };
  if (task.kind === "preview") {
    const json = toJson(runPreview(snapshot, task.changes, task.window));
    return { json, ms: performance.now() - started, ...read };
  }
  try {
    const results = runCascadeVariants(snapshot, task.run, (done, total) => {
      if (Atomics.load(task.state, 1)) throw new RunCancelledError("the run was aborted: its request went away");
      task.port.postMessage({ done, total });
    });
    return { json: toJson(results), ms: performance.now() - started, ...read };
  } finally {
    task.port.postMessage({ end: true });
    task.port.close();
  }
}
