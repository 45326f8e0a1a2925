/**
 * A cascade's ledger on a worker thread (Node only): the exact figures of its direct liquidations
 * are worked out beside the scan, on the machine's other core, instead of between its rounds.
 * At a million accounts a cascade liquidates ~450,000 accounts, ~45 bigint operations each: half
 * its time on one thread.
 *
 * The cascade's thread posts each round's rows and prices and goes on; `flush` (before a
 * liquidation that goes the whole way, and at the cascade's end) blocks on a shared signal until the thread has applied
 * them all and posted the totals, then takes them off the port synchronously — simulateCascade
 * stays a plain function. The columns and the cleared rows' cash column are SharedArrayBuffers
 * (allocateFloat64), read and written in place; a column holding values too wide for its floats
 * (kept in a Map, on one thread only) sends the cascade to inlineLedger instead. One thread is
 * started on first use and kept (unref'd: it never keeps the process alive); a cascade begins
 * on it by sending its setup.
 */

import type { MessagePort, Worker } from "node:worker_threads";
import type { LiquidationColumns } from "../../engine/cascade/liquidateSolventRow.ts";
import { addTotals, inlineLedger, type LedgerSetup, type LedgerTotals, type SolventLedger, type SolventLedgerFactory } from "../../engine/cascade/solventLedger.ts";
import { BackstopError } from "../errors/backstopError.ts";

export type LedgerMessage =
  | { type: "begin"; setup: LedgerSetup }
  | { type: "add"; rows: Int32Array; batches: LedgerBatch[] }
  | { type: "flush" };

/** One `add`: how many of the message's rows, its prices (and columns, when they were replaced); or a step's mark. */
export type LedgerBatch = { count: number; marksWad: bigint[]; collateralPricesWad: bigint[]; columns?: LiquidationColumns } | { mark: true };

/** Rows gathered before a post (in one array: each object a message carries costs its cloning): a cascade adds a batch a round. */
const POST_ROWS = 4096;

/** The ledger thread failed or stopped answering. */
export class LedgerThreadError extends BackstopError {
  override name = "LedgerThreadError";
}

interface LedgerThread {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  receive: (port: MessagePort) => { message: { totals?: LedgerTotals; error?: string } } | undefined;
}

let running: LedgerThread | undefined;

function thread(): LedgerThread {
  if (running) return running;
  const threads = process.getBuiltinModule("node:worker_threads");
  const { port1, port2 } = new threads.MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new threads.Worker(new URL("./ledgerWorker.boot.mjs", import.meta.url), { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  const started: LedgerThread = { worker, port: port1, signal, receive: threads.receiveMessageOnPort as LedgerThread["receive"] };
  worker.on("error", () => void (running === started && (running = undefined)));
  worker.on("exit", () => void (running === started && (running = undefined)));
  running = started;
  return started;
}

/** How long a flush waits for the thread before calling it stuck. */
const FLUSH_TIMEOUT_MS = 60_000;

const shareable = (columns: LiquidationColumns) =>
  [columns.cashUsd, ...columns.balancesNative, ...columns.sizeBase, ...columns.openNotionalUsd].every((c) => c.wide.size === 0 && c.hi.buffer instanceof SharedArrayBuffer && c.lo.buffer instanceof SharedArrayBuffer);

/** Strips the columns to their shared arrays (their wide maps are empty: shareable). */
const shared = (columns: LiquidationColumns): LiquidationColumns => {
  const strip = (c: LiquidationColumns["cashUsd"]) => ({ hi: c.hi, lo: c.lo, wide: new Map<number, bigint>() });
  return { cashUsd: strip(columns.cashUsd), balancesNative: columns.balancesNative.map(strip), sizeBase: columns.sizeBase.map(strip), openNotionalUsd: columns.openNotionalUsd.map(strip) };
};

/**
 * A ledger on the worker thread for cascades of at least `minRows` rows whose columns it can
 * share; inlineLedger for the others (a thread's round trips cost more than a small venue's
 * liquidations), and from the first batch whose columns it cannot share on (what the thread
 * applied until then is handed over with the next flush).
 */
export function threadedLedger({ minRows = 20_000 } = {}): SolventLedgerFactory {
  return (setup) => {
    if (setup.clearedCash.hi.length < minRows || !shareable(setup.columns) || !(setup.clearedCash.hi.buffer instanceof SharedArrayBuffer)) return inlineLedger(setup);
    const t = thread();
    t.worker.postMessage({ type: "begin", setup: { ...setup, columns: shared(setup.columns), clearedCash: { hi: setup.clearedCash.hi, lo: setup.clearedCash.lo, wide: new Map() } } } satisfies LedgerMessage);
    let batches: LedgerBatch[] = [];
    let rows = new Int32Array(POST_ROWS * 2);
    let count = 0;
    const post = () => {
      if (batches.length === 0) return;
      t.worker.postMessage({ type: "add", rows: rows.slice(0, count), batches } satisfies LedgerMessage);
      batches = [];
      count = 0;
    };
    const flushThread = (): LedgerTotals => {
      post();
      Atomics.store(t.signal, 0, 0);
      t.worker.postMessage({ type: "flush" } satisfies LedgerMessage);
      if (Atomics.wait(t.signal, 0, 0, FLUSH_TIMEOUT_MS) === "timed-out") throw new LedgerThreadError(`the ledger thread did not answer within ${FLUSH_TIMEOUT_MS / 1000} s`);
      const reply = t.receive(t.port)?.message;
      if (!reply?.totals) throw new LedgerThreadError(`the ledger thread failed: ${reply?.error ?? "no answer"}`);
      for (const [row, cash] of reply.totals.wideCash) setup.clearedCash.wide.set(row, cash);
      return reply.totals;
    };
    let inline: SolventLedger | undefined;
    let handedOver: LedgerTotals | undefined;
    return {
      where: "thread",
      add(added, marksWad, collateralPricesWad, columns) {
        if (!inline && columns && !shareable(columns)) {
          handedOver = flushThread();
          inline = inlineLedger({ ...setup, columns });
        }
        if (inline) return inline.add(added, marksWad, collateralPricesWad, columns);
        if (count + added.length > rows.length) {
          const grown = new Int32Array(2 * (count + added.length));
          grown.set(rows.subarray(0, count));
          rows = grown;
        }
        for (let i = 0; i < added.length; i++) rows[count + i] = added[i]!;
        count += added.length;
        batches.push({ count: added.length, marksWad, collateralPricesWad, columns: columns && shared(columns) });
        if (count >= POST_ROWS) post();
      },
      mark() {
        if (inline) inline.mark();
        else batches.push({ mark: true });
      },
      flush() {
        if (!inline) return flushThread();
        const totals = inline.flush();
        const merged = handedOver ? addTotals(handedOver, totals) : totals;
        handedOver = undefined;
        return merged;
      },
    };
  };
}
