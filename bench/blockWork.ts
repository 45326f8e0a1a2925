/**
 * The venue bench's block worker figures (bench/venue.ts, 2) measured on a thread of their own, as
 * the server's block worker runs (lib/server/blockWorker): the follower of the snapshot
 * (lib/actions/followSnapshot), of the views (lib/server/followBlockViews) and the accounts' bytes
 * handed to the request thread, in a heap that holds one venue. In the bench's main thread, which
 * holds the venue it built (several GB at 1,000,000 accounts) and mines blocks of 10,000 trades,
 * the same work's collections were counted into its times: two blocks of eight at 1.5–1.7 s where
 * the others took 0.83–0.93 s (views 1.15 / 1.34 s against 0.47–0.60).
 *
 * Example: `const work = blockWorkApart({ rpcUrl, deployment, verifyEvery: 17n })`, then after each
 * block mined `await work.next()` → `{ block: 298n, kind: "incremental", total: 928, follow: 285,
 * node: 186, views: 604, bytes: 40, … }`.
 */

import { Worker, type MessagePort } from "node:worker_threads";
import { createPublicClient, http } from "viem";
import type { Account, ProtocolSnapshot } from "../engine/index.ts";
import { followSnapshot } from "../lib/actions/followSnapshot.ts";
import { MAX_RPC_ANSWER_BYTES } from "../lib/chain.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { messageOf } from "../lib/errors/messageOf.ts";
import { followBlockViews, settleWhenIdle } from "../lib/server/followBlockViews.ts";
import { createItemSerializer } from "../lib/server/lazyTransfer.ts";
import { deferred } from "../lib/server/deferred.ts";
import { collectWhenIdle, createHeapGrowthCollector } from "../lib/server/sharedMemoryCollector.ts";

export interface BlockWorkOptions {
  rpcUrl: string;
  deployment: Deployment;
  /** The follower's verification (a full read in the background) begins this many blocks after its first read. */
  verifyEvery: bigint;
}

/** One block's work at the head: its stages' times (ms) and what the follower says of it. */
export interface BlockWork {
  block: bigint;
  /** How the follower read it: the whole state, or the block's logs applied. */
  kind: "full" | "incremental" | undefined;
  /** Why it was read in full (followSnapshot's reason), when it was. */
  why?: string;
  total: number;
  follow: number;
  /** Of the follow, the wait for the node's logs and venue (incremental reads only). */
  node?: number;
  views: number;
  bytes: number;
  /** Whether a verification is running once the block is done, and what the last one found. */
  verifying: boolean;
  drifted: number | undefined;
  /** The block's prices, for the bench's next move of them. */
  markets: VenuePrices["markets"];
  collaterals: VenuePrices["collaterals"];
}

/** A snapshot's prices alone: each market's feed and mark, each collateral's feed and price. */
export interface VenuePrices {
  markets: Pick<ProtocolSnapshot["markets"][number], "feedId" | "markPriceWad">[];
  collaterals: Pick<ProtocolSnapshot["collaterals"][number], "feedId" | "priceWad">[];
}

export function pricesOf(snapshot: ProtocolSnapshot): VenuePrices {
  return {
    markets: snapshot.markets.map(({ feedId, markPriceWad }) => ({ feedId, markPriceWad })),
    collaterals: snapshot.collaterals.map(({ feedId, priceWad }) => ({ feedId, priceWad })),
  };
}

/** The bench's transport to its node: a 1M block takes seconds to mine and its answers are large (MAX_RPC_ANSWER_BYTES). */
export const nodeTransport = (rpcUrl: string) => http(rpcUrl, { timeout: 600_000, maxResponseBodySize: MAX_RPC_ANSWER_BYTES });

type Reply = { kind: "worked"; work: BlockWork } | { kind: "failed"; message: string };

/** The thread's side: one block's work at the head for each message on `port`, its reply posted back. */
export function serveBlockWork({ rpcUrl, deployment, verifyEvery }: BlockWorkOptions, port: MessagePort): void {
  const client = createPublicClient({ transport: nodeTransport(rpcUrl) });
  const follower = followSnapshot(client, { deployment, verifyEvery });
  // One follower of the views for every block, as the worker keeps it (each block's views from the last one's).
  const blockViews = followBlockViews();
  // And the accounts' bytes it hands the request thread: part of publishing a block.
  const serializeAccounts = createItemSerializer<Account>();
  // And its full collections between blocks: run while the next block is mined, not timed.
  const collectAsHeapGrows = createHeapGrowthCollector();
  const workBlock = async (): Promise<BlockWork> => {
    const block = await client.getBlock();
    const started = performance.now();
    const snapshot = await follower.read(block);
    const followed = performance.now();
    blockViews(snapshot);
    const viewed = performance.now();
    serializeAccounts(snapshot.accounts);
    const done = performance.now();
    const how = follower.last;
    return {
      block: block.number,
      kind: how?.kind,
      ...(how?.kind === "full" && { why: how.why }),
      total: done - started,
      follow: followed - started,
      ...(how?.kind === "incremental" && { node: how.nodeMs }),
      views: viewed - followed,
      bytes: done - viewed,
      verifying: follower.verifying !== undefined,
      drifted: follower.verified?.drifted,
      ...pricesOf(snapshot),
    };
  };
  // As the worker does: a verification under way waits while a block is worked (followSnapshot's hold).
  const work = async (): Promise<BlockWork> => {
    const worked = deferred<void>();
    follower.hold(worked.promise);
    try {
      return await workBlock();
    } finally {
      worked.resolve();
    }
  };
  port.on("message", () => {
    work().then(
      (done) => {
        port.postMessage({ kind: "worked", work: done } satisfies Reply);
        // Then, while the next block is mined, as the worker does (lib/server/blockWorker): what the views left for later, and a full collection after a full read, else when the heap has grown.
        settleWhenIdle(blockViews);
        if (done.kind === "full") collectWhenIdle();
        else collectAsHeapGrows();
      },
      (error: unknown) => port.postMessage({ kind: "failed", message: messageOf(error) } satisfies Reply),
    );
  });
}

export interface BlockWorkThread {
  /** The work of the block at the head now; one at a time. */
  next(): Promise<BlockWork>;
  /** Ends the thread. */
  stop(): Promise<void>;
}

/** serveBlockWork on a thread of its own. */
export function blockWorkApart(options: BlockWorkOptions): BlockWorkThread {
  const worker = new Worker(new URL("./blockWork.boot.mjs", import.meta.url), { workerData: options });
  let waiting: { resolve: (work: BlockWork) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    waiting?.reject(error);
    waiting = undefined;
  };
  worker.on("message", (reply: Reply) => {
    if (reply.kind === "worked") waiting?.resolve(reply.work);
    else fail(new Error(`the block worker's thread could not work the block: ${reply.message}`));
    waiting = undefined;
  });
  worker.on("error", (error) => fail(new Error(`the block worker's thread failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => fail(new Error(`the block worker's thread exited (code ${code})`)));
  return {
    next() {
      if (waiting) return Promise.reject(new Error("the block worker's thread is working a block already"));
      return new Promise<BlockWork>((resolve, reject) => {
        waiting = { resolve, reject };
        worker.postMessage("work");
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}
