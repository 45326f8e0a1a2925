/**
 * The load generator of `npm run load`: `connections` clients, each sending its next request as
 * soon as its last answer has fully arrived (a closed loop, as autocannon does), for `duration`
 * seconds, over keep-alive connections (undici: HTTP parsing in llhttp). Latency is from sending
 * a request to the last byte of its answer.
 *
 * Not autocannon: autocannon appends every response body to a JavaScript string
 * (`req.body += data`), decoding it as UTF-8 — for a gzipped body, invalid UTF-8, that costs more
 * CPU than the server spends answering, and on a 2-core machine shared with the server the
 * client became the bottleneck it was meant to measure. Here bodies are counted, never decoded.
 */

import { Worker } from "node:worker_threads";
import { Pool } from "undici";

export interface LoadResult {
  requests: number;
  /** Requests that failed (connection error, timeout) — no answer. */
  errors: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  /**
   * What went wrong, and how often: each error by its code or message ("UND_ERR_SOCKET: other
   * side closed"), each other status as "HTTP 503"; with the seconds from the load's start to its
   * first. So a figure of failures says what they were.
   */
  failures: Record<string, { count: number; firstAtSec: number }>;
  /** Body bytes received. */
  bytes: number;
  seconds: number;
  /** Latency percentiles in ms (p in 0–100). */
  percentile(p: number): number;
}

/** The p-th percentile (0–100) of ascending `sorted` (not empty), by nearest rank. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `url` may be a list of URLs of one origin: each client then asks for them in turn, client i
 * starting at the i-th, so every URL is asked for alike (e.g. pages of one API in several orders).
 */
export interface LoadOptions {
  url: string | readonly string[];
  connections: number;
  durationSec: number;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** What a load measured, as it crosses from a thread: the latencies in ms, ascending. */
export interface LoadMeasured extends Omit<LoadResult, "percentile"> {
  latencies: Float64Array;
}

const resultOf = ({ latencies, ...counts }: LoadMeasured): LoadResult => ({ ...counts, percentile: (p) => (latencies.length ? nearestRank(latencies, p) : 0) });

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return resultOf(await measureLoad(options));
}

/**
 * runLoad on a thread of its own, which does nothing else: its event loop and its heap are the
 * load's alone. A request's latency is timed by the thread that sent it: run beside other work
 * (the venue bench's mining of 5,000 trades a block, and its heap of a 1,000,000-account venue,
 * whose full collections pause the whole thread), every pause of that thread was counted into
 * every request in flight.
 */
export async function runLoadApart(options: LoadOptions): Promise<LoadResult> {
  const worker = new Worker(new URL("./loadClient.boot.mjs", import.meta.url), { workerData: options });
  const exited = new Promise<never>((_, reject) => worker.once("exit", (code) => reject(new Error(`runLoadApart: the load thread exited (code ${code}) before its answer`))));
  const failed = new Promise<never>((_, reject) => worker.once("error", reject));
  // The thread ends either way (terminated below once it answered): only the race reads these.
  exited.catch(() => {});
  failed.catch(() => {});
  try {
    return resultOf(await Promise.race([new Promise<LoadMeasured>((resolve) => worker.once("message", resolve)), exited, failed]));
  } finally {
    await worker.terminate();
  }
}

/** The load, as measured in this thread. */
export async function measureLoad({ url, connections, durationSec, headers = {}, timeoutMs = 10_000 }: LoadOptions): Promise<LoadMeasured> {
  const targets = (typeof url === "string" ? [url] : url).map((u) => new URL(u));
  if (targets.length === 0) throw new Error("runLoad: no URL to load");
  const origin = targets[0]!.origin;
  const foreign = targets.find((t) => t.origin !== origin);
  if (foreign) throw new Error(`runLoad: every URL must share one origin (${origin}), not ${foreign.origin}`);
  const paths = targets.map((t) => t.pathname + t.search);
  const pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  const failures: LoadResult["failures"] = {};
  const started = performance.now();
  const failed = (kind: string) => void ((failures[kind] ??= { count: 0, firstAtSec: (performance.now() - started) / 1000 }).count += 1);
  const end = started + durationSec * 1000;
  const client = async (_: unknown, index: number) => {
    for (let next = index; performance.now() < end; next++) {
      const sent = performance.now();
      try {
        const { statusCode, body } = await pool.request({ path: paths[next % paths.length]!, method: "GET", headers });
        for await (const chunk of body) bytes += (chunk as Buffer).length;
        latencies.push(performance.now() - sent);
        if (statusCode < 200 || statusCode > 299) {
          non2xx++;
          failed(`HTTP ${statusCode}`);
        }
      } catch (error) {
        errors++;
        const { code, message } = error as { code?: string; message?: string };
        failed([code, message].filter(Boolean).join(": ") || String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: latencies.length, errors, non2xx, failures, bytes, seconds, latencies: Float64Array.from(latencies).sort() };
}
