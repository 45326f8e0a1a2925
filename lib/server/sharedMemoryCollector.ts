/**
 * Full collections of the request thread's heap, paced by the shared memory it lets go of; and of
 * the block worker's, paced by its growth.
 *
 * Each block the request thread is handed the block worker's accounts table as SharedArrayBuffers
 * (~70 MB a block at 1,000,000 accounts), and drops the last block's. A shared buffer's memory is
 * freed once every thread's handle on it is collected, but V8 counts it against the heap of the
 * thread that made it (the worker), not of those it was sent to: the request thread's heap stays
 * small, its collector sees no reason to run a full collection, and the dropped tables' handles
 * live on in its old generation, keeping their memory. Measured at 1,000,000 accounts: the
 * server's RSS grew from 3.0 to 5.3 GB over six blocks of trades; with a full collection after
 * each block it stayed at ~4.2 GB.
 *
 * So the thread collects itself once the shared memory it has dropped since its last collection
 * passes a limit: at a million accounts every few blocks (a full collection of this thread's
 * ~0.2 GB heap is tens of milliseconds), at the demo's 5,000 hardly ever. The collector is V8's
 * `gc`, exposed at run time (--expose-gc, set here rather than on every command that starts a
 * server); where it cannot be, nothing is collected and memory is as it was.
 *
 * The block worker's heap is paced too, for time rather than memory: a full collection of it
 * (a million accounts' objects) is a pause of ~0.4 s, which V8 would take in the middle of a
 * block; the worker takes it between blocks (createHeapGrowthCollector).
 */

import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Shared memory dropped between two full collections: about four blocks' tables at 1,000,000 accounts. */
export const SHARED_BYTES_PER_COLLECTION = 256 * 1024 * 1024;

let exposed: (() => void) | null | undefined;

/** V8's full collection, or null where the flag cannot be set. */
function fullCollection(): (() => void) | null {
  if (exposed === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      // A new context gets the `gc` the flag exposes; this one was made before it was set.
      exposed = runInNewContext("gc") as () => void;
    } catch {
      exposed = null;
    }
  }
  return exposed;
}

/**
 * A pacer: `dropped(bytes)` says this thread let go of `bytes` of shared memory, and runs a full
 * collection (after the current turn of the event loop: the request in hand is answered first)
 * each time the bytes dropped since the last one reach `limit`. Returns whether it scheduled one.
 */
export function createSharedMemoryCollector({ limit = SHARED_BYTES_PER_COLLECTION, collect = fullCollection() }: { limit?: number; collect?: (() => void) | null } = {}): (bytes: number) => boolean {
  let dropped = 0;
  return (bytes) => {
    dropped += bytes;
    if (dropped < limit || !collect) return false;
    dropped = 0;
    setImmediate(collect);
    return true;
  };
}

/**
 * A full collection after the current turn of the event loop, where V8's collector is exposed: for
 * a thread about to sit idle after making much garbage (the block worker after a full read of a
 * venue: at 1,000,000 accounts, the collections it left behind otherwise fell on the next block,
 * doubling its time). Returns whether one was scheduled.
 */
export function collectWhenIdle(): boolean {
  const collect = fullCollection();
  if (collect) setImmediate(collect);
  return collect !== null;
}

/**
 * A full collection of this thread's heap now, where V8's collector is exposed: for a thread about
 * to wait on another's work it times (the venue bench's, bench/venue: its own collections
 * otherwise ran on the same cores during that work). Returns whether one ran.
 */
export function collectNow(): boolean {
  const collect = fullCollection();
  collect?.();
  return collect !== null;
}

/**
 * What the block worker's old generation may grow by between two full collections it runs itself,
 * idle once a block is published. At 1,000,000 accounts the worker's views leave ~12 MB there a
 * block, and V8 ran its own full collection every ~3 blocks, in the middle of one: marking a
 * million accounts' objects at once, a 0.4 s pause of that block's publication (its incremental
 * marking gets no steps while a block is computed, as nothing runs between).
 */
export const HEAP_GROWTH_PER_COLLECTION = 24 * 1024 * 1024;

/**
 * Node's flags for a process whose threads pace their own full collections (the server's, with
 * its block worker; the venue bench's, with its block work): V8's memory reducer off. After a full
 * collection that grew a heap it waits 8 s and, the thread looking idle, starts up to three
 * collections of its own, 0.5 s apart, each marking the whole heap step by step, on that thread
 * and V8's — into whatever burst comes by then. In the venue bench at 1,000,000 accounts
 * (--trace-gc) three came 14–17 s after the full read, ~0.5 s of marking each, between two blocks
 * of trades there; blocks that have them to share their cores with are the likeliest cause of the
 * second block of trades at 1,104–1,160 ms in three runs of six (its views twice their ~330 ms,
 * the node's answers as usual). A V8 flag, read when a heap is set up: on node's command line
 * (not NODE_OPTIONS, which refuses it; set at run time it changed nothing), for every thread of
 * the process — the request thread and the engine pool's keep their collections, not the
 * reducer's shrinking of an idle heap. package.json's `start` and `bench` carry it too.
 */
export const PACED_PROCESS_FLAGS = ["--no-memory-reducer"];

/** The bytes in use in V8's old generation: every heap space but the young generation's. */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) if (!space.space_name.startsWith("new")) bytes += space.space_used_size;
  return bytes;
}

/**
 * A pacer for a thread that works in bursts (the block worker, a block at a time): called after
 * each burst, it runs a full collection after the current turn once the old generation has grown
 * by `growth` since the last full collection (its own, or V8's: a heap smaller than when last
 * seen), so that V8 seldom needs one during a burst. Returns whether it scheduled one.
 *
 * Its process runs with PACED_PROCESS_FLAGS: V8's memory reducer starts no collections there
 * between bursts.
 */
export function createHeapGrowthCollector({ growth = HEAP_GROWTH_PER_COLLECTION, collect = fullCollection(), heapBytes = oldGenerationBytes }: { growth?: number; collect?: (() => void) | null; heapBytes?: () => number } = {}): () => boolean {
  let since: number | undefined;
  return () => {
    const bytes = heapBytes();
    if (since === undefined || bytes < since) since = bytes;
    if (bytes - since < growth || !collect) return false;
    setImmediate(() => {
      collect();
      since = heapBytes();
    });
    return true;
  };
}
