/**
 * The server's engine pool: worker threads that run the builder's preview and the stress lab's
 * cascade for venues too big to send the browser (GET /api/snapshot refuses above
 * browserVenueMax(), lib/server/views), as POST /api/preview and POST /api/stress.
 *
 * The pool is piscina's: a bounded number of threads (BACKSTOP_ENGINE_THREADS, by default one
 * fewer than the cores, at least one), a bounded queue in front of them (a request beyond it is
 * told the server is busy rather than queued without end), a crashed thread replaced, and idle
 * threads let go after IDLE_MS with the snapshot they held. The threads are niced
 * (NICE_INCREMENT) so a long stress run yields the CPU to the threads answering pages.
 *
 * A task whose request goes away is taken out of the queue if it waits there (piscina's abort),
 * and if it runs, stopped at its next step by a flag in shared memory — not by piscina, which
 * would end the thread, and the next task would pay for a new thread and the block's snapshot
 * read again (0.7 s at 20,000 accounts; seconds at a million). The builder aborts its preview
 * at every keystroke.
 *
 * Each task carries its block's snapshot in shared memory (lib/server/poolSnapshot: made once per
 * block, posted without a copy) and each thread deserialises it once per block
 * (lib/server/enginePool.worker).
 */

import { availableParallelism } from "node:os";
import { join } from "node:path";
import { MessageChannel, type Transferable } from "node:worker_threads";
import { Piscina } from "piscina";
import { fromJson, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import type { BuilderPreview, CascadeRun, PreviewWindow, VariantResult } from "../engineRuns/engineRuns.ts";
import { BackstopError } from "../errors/backstopError.ts";
import type { EngineTask, EngineTaskResult, TaskState } from "./enginePool.worker.ts";
import { poolSnapshotOf } from "./poolSnapshot.ts";

/**
 * An idle thread ends after this long, and the snapshot it held with it. Longer than a slow
 * chain's blocks: a thread is kept busy by each block's read (warmEnginePool), and one let go
 * between two blocks made the next preview wait for a whole read in a new thread — at 1,000,000
 * accounts ~10 s (the bench's blocks under load came every ~100 s, past the minute it was).
 */
const IDLE_MS = 15 * 60_000;
/** Niceness added to the pool's threads (Linux: per thread), so pages are answered first. */
const NICE_INCREMENT = 10;

/** The pool cannot take a task now (its queue is full) or was closed; the message is safe to show. */
export class EnginePoolBusyError extends BackstopError {
  override name = "EnginePoolBusyError";
}

/** How many threads the pool runs: BACKSTOP_ENGINE_THREADS, else one fewer than the cores; at least one. */
export function enginePoolThreads(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BACKSTOP_ENGINE_THREADS;
  if (raw !== undefined && raw.trim() !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new BackstopError(`BACKSTOP_ENGINE_THREADS must be a whole number of threads, at least 1 (it is "${raw}")`);
    return n;
  }
  return Math.max(1, availableParallelism() - 1);
}

/** One pool per process, not per route bundle (Next gives each route its own copy of this module). */
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("backstop.server.enginePool")] ??= {}) as { pool?: Piscina<EngineTask, EngineTaskResult>; warming?: Promise<void>; warmNext?: ProtocolSnapshot };

function pool(): Piscina<EngineTask, EngineTaskResult> {
  const threads = enginePoolThreads();
  // A path from the project directory, as the block worker's (lib/server/blockReader): Next bundles this module into .next/.
  return (shared.pool ??= new Piscina<EngineTask, EngineTaskResult>({
    filename: join(process.cwd(), "lib/server/enginePool.boot.mjs"),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_MS,
    maxQueue: "auto",
    niceIncrement: NICE_INCREMENT,
  }));
}

/**
 * A task's shared state (enginePool.worker TaskState) and the signal piscina gets: aborted only
 * while the task waits in the queue; once a thread took it up, `signal` raises the task's flag.
 */
function cancellation(signal: AbortSignal | undefined): { state: TaskState; queued: AbortSignal } {
  const state = new Int32Array(new SharedArrayBuffer(8));
  const queued = new AbortController();
  const abort = () => {
    if (Atomics.load(state, 0) === 0) queued.abort(signal?.reason);
    else Atomics.store(state, 1, 1);
  };
  if (signal?.aborted) abort();
  else signal?.addEventListener("abort", abort, { once: true });
  return { state, queued: queued.signal };
}

async function run(task: EngineTask, options: { signal: AbortSignal; transferList?: Transferable[] }): Promise<EngineTaskResult> {
  try {
    return await pool().run(task, options);
  } catch (error) {
    if (error instanceof Error && /queue is at limit/i.test(error.message)) throw new EnginePoolBusyError("the server's engine is busy with other previews and stress runs: try again in a moment", { cause: error });
    throw error;
  }
}

/**
 * Has a pool thread read `snapshot` and keep it, in the background, so that the first preview or
 * stress run of its block does not wait for that (at 100,000 accounts the first preview took 2.5 s,
 * 0.27 s of it the preview). Called as each block of a venue above the browser limit is published:
 * a thread holding the last block reads only the accounts whose bytes changed, and a thread kept
 * busy this way is not let go when idle. One read at a time, and always of the latest block: the
 * blocks published while one is read are not queued, the last of them is read next (at 1,000,000
 * accounts a read under load can outlast a block; skipping the block published meanwhile left the
 * thread a block behind, and the first preview of the new one read it). A busy pool or a failure
 * costs only the head start. Resolves when no read is left to do (tests).
 */
export function warmEnginePool(snapshot: ProtocolSnapshot): Promise<void> {
  shared.warmNext = snapshot;
  return (shared.warming ??= warmLatest());
}

async function warmLatest(): Promise<void> {
  for (let next = shared.warmNext; next; next = shared.warmNext) {
    shared.warmNext = undefined;
    try {
      const { state, queued } = cancellation(undefined);
      await run({ kind: "hold", snapshot: poolSnapshotOf(next), state }, { signal: queued });
    } catch {
      // Only the head start is lost: the block's first task reads it.
    }
  }
  // Where the loop saw nothing left, with no await between: a block published from here on starts a new read.
  shared.warming = undefined;
}

/** The builder's preview of `changes` on `snapshot` (lib/engineRuns runPreview), on a pool thread: the engine's JSON and the time it took there. */
export function previewOnPool(snapshot: ProtocolSnapshot, changes: ParamChange[], window?: PreviewWindow, signal?: AbortSignal): Promise<EngineTaskResult> {
  const { state, queued } = cancellation(signal);
  return run({ kind: "preview", snapshot: poolSnapshotOf(snapshot), state, changes, window }, { signal: queued });
}

/**
 * The stress lab's cascades (lib/engineRuns runCascadeVariants) on a pool thread, `onProgress`
 * called after every step as the thread reports it, every report delivered before the result.
 */
export async function cascadeOnPool(snapshot: ProtocolSnapshot, cascade: CascadeRun, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<EngineTaskResult> {
  const { port1, port2 } = new MessageChannel();
  const ended = new Promise<void>((resolve) =>
    port1.on("message", (m: { done: number; total: number } | { end: true }) => {
      if ("end" in m) resolve();
      else onProgress(m.done, m.total);
    }),
  );
  const { state, queued } = cancellation(signal);
  try {
    const result = await run({ kind: "cascade", snapshot: poolSnapshotOf(snapshot), state, run: cascade, port: port2 }, { signal: queued, transferList: [port2] });
    await ended;
    return result;
  } finally {
    port1.close();
  }
}

/** A builder preview computed on the server's pool, parsed: for `npm run bench` (a parameter-change preview on the server) and tests. */
export async function previewOnServer(snapshot: ProtocolSnapshot, changes: ParamChange[], window?: PreviewWindow): Promise<BuilderPreview & { ms: number }> {
  const { json, ms } = await previewOnPool(snapshot, changes, window);
  return { ...fromJson<BuilderPreview>(json), ms };
}

/** The stress lab's results computed on the server's pool, parsed (tests). */
export async function cascadeOnServer(snapshot: ProtocolSnapshot, cascade: CascadeRun, onProgress: (done: number, total: number) => void = () => {}): Promise<VariantResult[]> {
  return fromJson<VariantResult[]>((await cascadeOnPool(snapshot, cascade, onProgress)).json);
}

/** Ends the pool's threads (a test's or a bench's end; a server's pool lives as long as it does). */
export async function closeEnginePool(): Promise<void> {
  const p = shared.pool;
  shared.pool = undefined;
  await p?.destroy();
}
