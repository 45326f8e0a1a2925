/**
 * The request thread's side of the block worker (lib/server/blockWorker.ts): `read(block)` asks
 * the worker for that block's snapshot, views and detectors, and resolves when the snapshot and
 * its views are there; the detectors (`monitor`) follow on their own promise. The worker is
 * started on first use, unref'd (it never keeps the process alive), and started again after a
 * crash, which fails only the reads it had in hand.
 */

import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { Block } from "viem";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import type { Monitor } from "../actions/readMonitor.ts";
import { withAdlLightsOnRead, type BlockViews } from "./views.ts";
import { BackstopError } from "../errors/backstopError.ts";
import { deserializeItems, withLazyProperty, type SerializedItems } from "./lazyTransfer.ts";
import { keepAccountBytes } from "./poolSnapshot.ts";
import { deferred } from "./deferred.ts";

export interface BlockWorkerRequest {
  id: number;
  block: Block<bigint, false, "latest">;
}

export type BlockWorkerReply =
  /**
   * The snapshot's accounts come as bytes (lib/server/lazyTransfer), read when a request reads
   * them; the views' ADL lights not at all (30 MB at 100,000 accounts, for the account page's
   * few): the first request that reads them computes them again from the accounts, as the worker did.
   */
  | { type: "snapshot"; id: number; snapshot: Omit<ProtocolSnapshot, "accounts">; accounts: SerializedItems; views: Omit<BlockViews, "adlLights">; timing: BlockTiming }
  | { type: "error"; id: number; message: string }
  | { type: "monitor"; id: number; monitor: Monitor }
  | { type: "monitor-error"; id: number; message: string };

/**
 * Where a block's read spent its time, in ms, stage by stage in the order they ran: the request
 * thread's `head` (the head request that saw the block, from sent to answered), the block
 * worker's `follow` (the chain's logs and reads; of it, `node` the wait for the node's answers
 * when the block was followed from its logs), `views` and `bytes` (the accounts handed over),
 * or a follower's `load` of the publisher's read; then the request thread's `total` (from the
 * head's read to the block's publication) and, once they are in, `detectors` (from the
 * publication to the detectors' arrival).
 * Served as /api/block's Server-Timing.
 */
export type BlockTiming = Record<string, number>;

export interface BlockRead {
  snapshot: ProtocolSnapshot;
  views: BlockViews;
  timing: BlockTiming;
  /** The detectors for this block; they settle after the snapshot (readMonitor's RPC reads). */
  monitor: Promise<Monitor>;
}

/** A read the worker could not do; its message is safe to show (publicErrorMessage). */
export class BlockReadError extends BackstopError {
  override name = "BlockReadError";
}

/**
 * A block's snapshot and views from what crossed as bytes (from the block worker, or from the
 * publisher through the database: lib/server/blockShare): the accounts deserialised when a request
 * reads them, the ADL lights computed when one reads them.
 */
export function readOfBytes(rest: Omit<ProtocolSnapshot, "accounts">, accounts: SerializedItems, views: Omit<BlockViews, "adlLights">): Pick<BlockRead, "snapshot" | "views"> {
  const snapshot = withLazyProperty<ProtocolSnapshot, "accounts">(rest, "accounts", () => deserializeItems(accounts));
  // The engine pool's threads get these bytes as they are (lib/server/poolSnapshot), not the accounts made from them.
  keepAccountBytes(snapshot, accounts);
  return { snapshot, views: withAdlLightsOnRead(views, snapshot) };
}

interface Pending {
  monitor: Promise<Monitor>;
  resolveRead: (read: BlockRead) => void;
  rejectRead: (error: Error) => void;
  resolveMonitor: (monitor: Monitor) => void;
  rejectMonitor: (error: Error) => void;
}

export interface BlockReader {
  read(block: Block<bigint, false, "latest">): Promise<BlockRead>;
}

interface Running {
  worker: Worker;
  /** The reads this worker has in hand, by id. */
  pending: Map<number, Pending>;
}

/** The worker thread, started from the sources (see blockWorker.boot.mjs), its replies routed to `pending`; on a crash it fails its own reads and calls `gone`. */
function startWorker(gone: () => void): Running {
  // A path from the project directory (where the server runs, scripts/serve.ts), not a URL from
  // this module: Next bundles this module into .next/, and its bundler, seeing `new Worker` from
  // an import of node:worker_threads, would bundle the worker's entry too (tsx and esbuild's
  // binary with it) — hence the constructor from getBuiltinModule, which it does not follow.
  const threads = process.getBuiltinModule("node:worker_threads");
  const worker = new threads.Worker(join(process.cwd(), "lib/server/blockWorker.boot.mjs"));
  worker.unref();
  const pending = new Map<number, Pending>();
  worker.on("message", (reply: BlockWorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    switch (reply.type) {
      case "snapshot": {
        p.resolveRead({ ...readOfBytes(reply.snapshot, reply.accounts, reply.views), timing: reply.timing, monitor: p.monitor });
        return;
      }
      case "error":
        pending.delete(reply.id);
        p.rejectRead(new BlockReadError(reply.message));
        p.rejectMonitor(new BlockReadError(reply.message));
        return;
      case "monitor":
        pending.delete(reply.id);
        p.resolveMonitor(reply.monitor);
        return;
      case "monitor-error":
        pending.delete(reply.id);
        p.rejectMonitor(new BlockReadError(reply.message));
    }
  });
  const crashed = (error: Error) => {
    gone();
    const failure = new BlockReadError(`the block worker stopped: ${error.message}`, { cause: error });
    for (const p of pending.values()) {
      p.rejectRead(failure);
      p.rejectMonitor(failure);
    }
    pending.clear();
  };
  worker.on("error", crashed);
  worker.on("exit", (code) => crashed(new Error(`exit code ${code}`)));
  return { worker, pending };
}

export function createBlockReader(): BlockReader {
  let running: Running | undefined;
  let nextId = 0;
  return {
    read(block) {
      const current = (running ??= startWorker(() => {
        if (running === current) running = undefined;
      }));
      const id = nextId++;
      const monitor = deferred<Monitor>();
      monitor.promise.catch(() => {}); // a read that fails fails its monitor too; nobody need be waiting
      const read = deferred<BlockRead>();
      current.pending.set(id, { monitor: monitor.promise, resolveRead: read.resolve, rejectRead: read.reject, resolveMonitor: monitor.resolve, rejectMonitor: monitor.reject });
      current.worker.postMessage({ id, block } satisfies BlockWorkerRequest);
      return read.promise;
    },
  };
}
