/**
 * A worker thread a cascade hands work to and then waits on synchronously (threadedLedger,
 * threadedScan): started on first use and kept (unref'd: it never keeps the process alive; a new
 * one is started after it fails), with a port for its answers and a shared signal it raises after
 * posting one — the cascade's thread blocks on the signal with Atomics.wait and takes the answer
 * off the port with receiveMessageOnPort, so simulateCascade stays a plain synchronous function.
 */

import type { MessagePort, Worker } from "node:worker_threads";

export interface KeptThread<Reply> {
  worker: Worker;
  /** Lowers the signal: call before posting the request that will be answered. */
  expect(): void;
  /** Blocks until the thread raises the signal (or `timeoutMs` passes: undefined), then takes its answer. */
  answer(timeoutMs: number): Reply | undefined;
}

/** A getter of the thread running `boot` (its workerData: the answer port and the signal). */
export function keptThread<Reply>(boot: URL): () => KeptThread<Reply> {
  let running: KeptThread<Reply> | undefined;
  return () => {
    if (running) return running;
    const threads = process.getBuiltinModule("node:worker_threads");
    const { port1, port2 } = new threads.MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new threads.Worker(boot, { workerData: { port: port2, signal }, transferList: [port2] });
    worker.unref();
    const receive = threads.receiveMessageOnPort as (port: MessagePort) => { message: Reply } | undefined;
    const started: KeptThread<Reply> = {
      worker,
      expect: () => Atomics.store(signal, 0, 0),
      answer: (timeoutMs) => (Atomics.wait(signal, 0, 0, timeoutMs) === "timed-out" ? undefined : receive(port1)?.message),
    };
    const forget = () => void (running === started && (running = undefined));
    worker.on("error", forget);
    worker.on("exit", forget);
    running = started;
    return started;
  };
}

/** The worker's side: posts `reply` on the port, then raises the signal the cascade's thread waits on. */
export function replyTo(port: MessagePort, signal: Int32Array, reply: unknown): void {
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
