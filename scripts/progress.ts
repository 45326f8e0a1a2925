/**
 * How the demo's stages speak: each line prefixed by its stage, so stages running side by side
 * (the chain's seed and the dashboard's build) stay readable, and a stage that takes longer than
 * a couple of seconds says every few seconds that it is still at work and for how long.
 */

import type { Readable } from "node:stream";
import { createInterface } from "node:readline";

export type Log = (line: string) => void;

/** A logger whose lines start with `stage │`. */
export function stageLog(stage: string, write: Log = console.log): Log {
  const prefix = `${stage.padEnd(9)}│ `;
  return (line) => {
    for (const part of line.split("\n")) if (part.trim()) write(prefix + part);
  };
}

/** Sends each line of a child's output stream to `log`. */
export function pipeLines(stream: Readable | null, log: Log) {
  if (stream) createInterface({ input: stream }).on("line", log);
}

/** Runs `work`, saying "still <doing>… N s" every `everyMs` while it runs; returns its result. */
export async function withTicker<T>(log: Log, doing: string, work: Promise<T>, everyMs = 5_000): Promise<T> {
  const started = performance.now();
  const timer = setInterval(() => log(`still ${doing}… ${((performance.now() - started) / 1000).toFixed(0)} s`), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
