/**
 * The server process's webhook notifications (lib/notify): one notifier per process, on
 * globalThis like the snapshot state (Next bundles each route with its own copy of this module).
 *
 * `startNotifications` (scripts/serve.ts, at boot) runs the delivery loop and follows the chain
 * while anyone is subscribed: every FOLLOW_MS it asks for the latest published block
 * (getLatestSnapshot, which reads a new head through the block worker as a page request would)
 * and runs the notify step on it once its detectors are in. The step is off the block's
 * critical path — the block is published first; the step only reads what the block worker
 * computed (proposals, alerts with the watchdog's) and writes new events — and bounded: one at
 * a time, a tick that finds one running is skipped. With no subscription the server follows
 * nothing and the chain sees no extra request.
 */

import type { PublicClient } from "viem";
import { createNotifier, type Notifier } from "../notify/createNotifier.ts";
import { hasSubscriptions } from "../notify/notifyStore.ts";
import { retryPolicyFromEnv } from "../notify/retryDelay.ts";
import { messageOf } from "../errors/messageOf.ts";
import { serverDatabase } from "./database.ts";
import { getContext, getLatestSnapshot } from "./snapshot.ts";

/** How often the follower looks for a new block while someone is subscribed (BACKSTOP_NOTIFY_FOLLOW_MS). */
const FOLLOW_MS = Number(process.env.BACKSTOP_NOTIFY_FOLLOW_MS || 2_000);
/** Blocks over which the mean block time is measured, to tell when voting ends. */
const BLOCK_TIME_LOOKBACK = 100n;

interface NotificationsState {
  notifier?: Promise<Notifier>;
  publicUrl?: string;
  observing?: Promise<void>;
  /** The follower's last error, logged once rather than every tick while it lasts. */
  lastError?: string;
  lastObserved?: `0x${string}`;
  follower?: ReturnType<typeof setInterval>;
}

const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("backstop.server.notifications")] ??= {}) as NotificationsState;

/** The process's notifier (created on first use). Links in messages point at BACKSTOP_PUBLIC_URL, else the address the server listens on. */
export function serverNotifier(): Promise<Notifier> {
  if (!shared.notifier) {
    const notifier = serverDatabase().then((db) => createNotifier({ db, publicUrl: process.env.BACKSTOP_PUBLIC_URL || shared.publicUrl || "http://127.0.0.1:3000", policy: retryPolicyFromEnv() }));
    // A database that did not open is tried again on the next use.
    notifier.catch(() => (shared.notifier = undefined));
    shared.notifier = notifier;
  }
  return shared.notifier;
}

/**
 * The notify step on the latest published block, once per block: its new events enqueued. A
 * step already running is joined, not doubled. The chain unreachable (a stale block) or the
 * detectors failed: nothing is derived this time; the next block's step covers it, since events
 * are the state a block shows, not its changes.
 */
export function notifyLatest(): Promise<void> {
  shared.observing ??= (async () => {
    const read = await getLatestSnapshot();
    if (read.stale || read.snapshot.blockHash === shared.lastObserved) return;
    // Detectors that failed, or were skipped for a newer block: this block has nothing to derive from; a later one will.
    const monitor = await read.monitor.catch(() => undefined);
    if (!monitor) return;
    const { client } = await getContext();
    const { snapshot } = read;
    await (
      await serverNotifier()
    ).observe({
      chainId: snapshot.chainId,
      blockNumber: snapshot.blockNumber,
      timestampSec: snapshot.timestamp,
      blockTimeSec: monitor.proposals.some((p) => p.state === "Active") ? await blockTimeSec(client, snapshot, BigInt(read.deployment.deployBlock)) : 12,
      proposals: monitor.proposals,
      alerts: monitor.alerts,
    });
    shared.lastObserved = snapshot.blockHash;
  })().finally(() => (shared.observing = undefined));
  return shared.observing;
}

/** Starts the delivery loop and the follower (once per process). */
export function startNotifications({ publicUrl }: { publicUrl: string }): void {
  if (shared.follower) return;
  shared.publicUrl = publicUrl;
  void serverNotifier().then(
    (notifier) => notifier.start(),
    (error: unknown) => console.error(`notifications: the database did not open: ${messageOf(error)}`),
  );
  shared.follower = setInterval(() => {
    if (shared.observing) return;
    void serverDatabase()
      .then(hasSubscriptions)
      .then((any) => (any ? notifyLatest() : undefined))
      .then(
        () => (shared.lastError = undefined),
        (error: unknown) => {
          if (messageOf(error) !== shared.lastError) console.error(`notifications: ${(shared.lastError = messageOf(error))}`);
        },
      );
  }, FOLLOW_MS);
  shared.follower.unref();
}

async function blockTimeSec(client: PublicClient, snapshot: { blockNumber: bigint; timestamp: bigint }, deployBlock: bigint): Promise<number> {
  const from = snapshot.blockNumber - BLOCK_TIME_LOOKBACK > deployBlock ? snapshot.blockNumber - BLOCK_TIME_LOOKBACK : deployBlock;
  if (from >= snapshot.blockNumber) return 12;
  const earlier = await client.getBlock({ blockNumber: from });
  return Math.max(1, Number(snapshot.timestamp - earlier.timestamp) / Number(snapshot.blockNumber - from));
}
