/**
 * The venue bench's watch of blocks under the server's load: when each block appeared at the
 * chain's head and when the server first answered it as its published block (/api/block), each
 * looked at every BLOCK_WATCH_MS on its own (so each time is late by up to that). The two are not
 * looked at together: a node busy mining can answer the head's request seconds late, and the
 * server's answer, in, would wait for it to be looked at again. A head that jumps by several
 * blocks between two looks dates every block it skipped to that look.
 *
 * The watch runs on a thread of its own (watchBlocksApart), which does nothing else: in the
 * bench's main thread, which mines blocks of 5,000 trades and holds a 1,000,000-account venue
 * (its full collections pause the whole thread), those pauses were counted into the times.
 */

import { Worker } from "node:worker_threads";
import { createPublicClient, http } from "viem";
import { parseServerTiming } from "../lib/api/serverTiming.ts";

/** How often the watch looks at the chain's head and at the server's published block. */
const BLOCK_WATCH_MS = 50;

/** What the watch's thread tells as it sees it; `at` is that thread's performance.now(). */
export type WatchNews = { kind: "appeared"; block: bigint; at: number } | { kind: "published"; block: bigint; at: number; stages: Record<string, number> };

export interface BlockWatch {
  appeared: Map<bigint, number>;
  published: Map<bigint, number>;
  /** Each published block's stages as the server timed them (/api/block's Server-Timing). */
  stages: Map<bigint, Record<string, number>>;
  /** Ends the watch; its maps hold all it saw once this resolves. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The block the server at `base` publishes now (/api/block) and the time its read spent in each stage (Server-Timing), or undefined while it has none. */
export async function publishedBlock(base: string): Promise<{ number: bigint; stages: Record<string, number> } | undefined> {
  const response = await fetch(`${base}/api/block`).catch(() => undefined);
  if (response?.status !== 200) return undefined;
  return { number: BigInt(((await response.json()) as { blockNumber: string }).blockNumber), stages: parseServerTiming(response.headers.get("server-timing")) };
}

/** The watch itself, in this thread, telling `tell` what it sees until `watching` says no more. */
export async function watchBlocks({ rpcUrl, base }: { rpcUrl: string; base: string }, tell: (news: WatchNews) => void, watching: () => boolean): Promise<void> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const [appeared, published] = [new Set<bigint>(), new Set<bigint>()];
  let lastHead: bigint | undefined;
  const lookAtHead = async () => {
    const head = await client.getBlockNumber({ cacheTime: 0 }).catch(() => undefined);
    if (head === undefined) return;
    const at = performance.now();
    for (let b = lastHead === undefined ? head : lastHead + 1n; b <= head; b++) {
      if (appeared.has(b)) continue;
      appeared.add(b);
      tell({ kind: "appeared", block: b, at });
    }
    if (lastHead === undefined || head > lastHead) lastHead = head;
  };
  const lookAtServer = async () => {
    const block = await publishedBlock(base);
    if (block === undefined || published.has(block.number)) return;
    published.add(block.number);
    tell({ kind: "published", block: block.number, at: performance.now(), stages: block.stages });
  };
  await Promise.all(
    [lookAtHead, lookAtServer].map(async (look) => {
      while (watching()) await Promise.all([look(), sleep(BLOCK_WATCH_MS)]);
    }),
  );
}

/** watchBlocks on a thread of its own, its news gathered into this thread's maps. */
export function watchBlocksApart(rpcUrl: string, base: string): BlockWatch {
  const worker = new Worker(new URL("./blockWatch.boot.mjs", import.meta.url), { workerData: { rpcUrl, base } });
  const ended = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const watch: BlockWatch = {
    appeared: new Map(),
    published: new Map(),
    stages: new Map(),
    async stop() {
      worker.postMessage("stop");
      await ended;
    },
  };
  worker.on("message", (news: WatchNews) => {
    if (news.kind === "appeared") watch.appeared.set(news.block, news.at);
    else {
      watch.published.set(news.block, news.at);
      watch.stages.set(news.block, news.stages);
    }
  });
  worker.on("error", (error) => console.error(`bench: the block watch failed (${error.message}); the blocks it had seen are kept`));
  return watch;
}
