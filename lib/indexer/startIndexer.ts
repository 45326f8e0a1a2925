/**
 * startIndexer({ rpcUrl, deploymentPath }) — runs the indexer (indexer/, `ponder start`) as a child
 * process on 127.0.0.1 and stops it by its PID. Used by `npm run demo` and the index tests.
 *
 * The database is Postgres when `databaseUrl` is given (production), else Ponder's embedded PGlite
 * in `directory`: nothing to install. One PGlite directory belongs to one chain: a fresh local
 * chain needs a fresh directory (`fresh: true` empties it), while restarting on the same chain
 * and directory resumes where the indexer stopped (Ponder's crash recovery).
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { getPriority, setPriority } from "node:os";
import { join, resolve } from "node:path";
import { BackstopError } from "../errors/backstopError.ts";
import { otherPostgresMajor } from "../db/pgliteDirectory.ts";
import { freePort } from "../local/anvil.ts";

/**
 * The priority (Unix nice) the demo and the bench run the indexer at: below the dashboard's, so
 * on a shared machine its pages, blocks and previews come first and the index catches up in the
 * CPU they leave (at 1,000,000 accounts each block brings the indexer ~10,000 events).
 */
export const INDEXER_PRIORITY = 10;

/**
 * How far V8 lets the indexer's heap grow past what its last full collection kept before it
 * collects again, percent (node --heap-growing-percent). V8's own factor is up to 4× on a heap
 * limit of 2 GiB or more (its HeapController): Ponder following a 1,000,000-account venue, whose
 * heap limit is raised for its backfill (`maxHeapMiB`), held 1.5 to 3.4 GiB resident from one run
 * to the next with ~0.5 GiB live (resident once idle past its backfill) — most of it garbage not
 * yet collected, beside a server that needs the memory. More collections, then, of a smaller
 * heap, in the indexer's own process (at INDEXER_PRIORITY): no page or block of the dashboard
 * waits on them. Measured there with 50, two runs: 865 and 894 MiB at that moment (indexer +
 * server 5,462 and 5,389 MiB, from 7,897), its backfill's peak 4,108 and 4,336 MiB (from 6,188),
 * the backfill 597 and 533 s (527 before).
 */
const INDEXER_HEAP_GROWING_PERCENT = 50;

/** How long Ponder may take to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

export interface StartIndexerParameters {
  rpcUrl: string;
  /** The deployment file the indexer follows. */
  deploymentPath: string;
  /** Default 31337. */
  chainId?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** PGlite's directory (ignored with `databaseUrl`). Default indexer/.ponder/pglite. */
  directory?: string;
  /** Empty `directory` first: the chain is new. */
  fresh?: boolean;
  /** Postgres connection string; default $DATABASE_URL, else PGlite. */
  databaseUrl?: string;
  /** Postgres schema of this instance's tables. Default "backstop". */
  schema?: string;
  /** Scheduling priority (Unix nice, −20…19), never above this process's own (INDEXER_PRIORITY in the demo and the bench). Default: inherited. */
  priority?: number;
  /**
   * V8's heap limit of the indexer's process, MiB (node --max-old-space-size); default node's
   * (~4 GiB here). Ponder holds all the logs of a stretch of its backfill in memory: a
   * 1,000,000-account venue's injected blocks fall in one stretch (~3.4 million logs).
   */
  maxHeapMiB?: number;
  /**
   * The most Ponder's indexing cache holds, MiB (PONDER_CACHE_BYTES); default Ponder's, a fifth
   * of the heap limit. A heap raised for a backfill's logs (`maxHeapMiB`) raises the cache with it,
   * and the cache keeps the rows that blocks' events touched until it is full (it evicts only then).
   */
  cacheMiB?: number;
  /** Ponder's own warnings and errors, one line each. */
  log?: (line: string) => void;
}

export interface IndexerInstance {
  /** HTTP origin: /backstop/state, /backstop/history, /ready, /status. */
  url: string;
  pid: number;
  /** Resolves once the backfill is done and the index follows the chain live; rejects if the process exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Ends the process (SIGTERM: Ponder unlocks its database and stops; SIGKILL if it has not within STOP_GRACE_MS) and waits for it. */
  stop(): Promise<void>;
}

export class IndexerError extends BackstopError {
  override name = "IndexerError";
}

/** Ponder's own bin script, run by this node: the child's PID is the indexer's (npx would add two processes). */
function ponderBinary(): string {
  // Ponder exports ESM only, so require.resolve("ponder") fails: look where require would.
  const dirs = createRequire(import.meta.url).resolve.paths("ponder") ?? [];
  const bin = dirs.map((dir) => join(dir, "ponder/dist/esm/bin/ponder.js")).find((path) => existsSync(path));
  if (!bin) throw new IndexerError("ponder is not installed: run npm install");
  return bin;
}

export async function startIndexer({
  rpcUrl,
  deploymentPath,
  chainId = 31337,
  port = 0,
  directory = resolve("indexer/.ponder/pglite"),
  fresh = false,
  databaseUrl = process.env.DATABASE_URL,
  schema = "backstop",
  priority,
  maxHeapMiB,
  cacheMiB,
  log = () => {},
}: StartIndexerParameters): Promise<IndexerInstance> {
  const chosen = port === 0 ? await freePort() : port;
  // The index is the chain's, read again: one an older embedded Postgres wrote (which this one cannot open) is rebuilt too.
  if (!databaseUrl && (fresh || otherPostgresMajor(directory) !== undefined)) {
    if (!fresh) log(`the index in ${directory} was written by an older embedded Postgres: rebuilding it from the chain`);
    await rm(directory, { recursive: true, force: true });
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "1",
    BACKSTOP_RPC_URL: rpcUrl,
    BACKSTOP_CHAIN_ID: String(chainId),
    BACKSTOP_DEPLOYMENT: resolve(deploymentPath),
    BACKSTOP_INDEX_DIR: resolve(directory),
    // Ponder prefers $PORT to --port: the demo's PORT is the dashboard's.
    PORT: String(chosen),
  };
  if (cacheMiB !== undefined) env.PONDER_CACHE_BYTES = String(cacheMiB * 2 ** 20);
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    [...(maxHeapMiB === undefined ? [] : [`--max-old-space-size=${maxHeapMiB}`]), `--heap-growing-percent=${INDEXER_HEAP_GROWING_PERCENT}`, ponderBinary(), "--root", resolve("indexer"), "--log-format", "json", "--log-level", "warn", "start", "--schema", schema, "--port", String(chosen), "--hostname", "127.0.0.1"],
    { env, cwd: resolve("."), stdio: ["ignore", "pipe", "pipe"] },
  );
  // Never above this process's own priority: a demo started under `nice -n 19` keeps its indexer there.
  if (priority !== undefined && child.pid) setPriority(child.pid, Math.max(priority, getPriority()));
  let tail = "";
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      tail = `${tail}\n${line}`.slice(-4_000);
      log(describeLogLine(line));
    }
  };
  child.stdout.on("data", onOutput);
  child.stderr.on("data", onOutput);
  // If this process ends without stop() (a crash, an uncaught error), the indexer ends with it.
  const orphaned = () => child.kill("SIGTERM");
  process.once("exit", orphaned);
  const exited = new Promise<number | null>((resolveExit) =>
    child.once("exit", (code) => {
      process.off("exit", orphaned);
      resolveExit(code);
    }),
  );
  const url = `http://127.0.0.1:${chosen}`;

  const ready = async (timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void exited.then(() => (gone = true));
    while (!gone) {
      const status = await fetch(`${url}/ready`).then((r) => r.status, () => 0);
      if (status === 200) return;
      if (Date.now() > deadline) throw new IndexerError(`the indexer at ${url} was not ready within ${timeoutMs / 1000} s (still backfilling?)`, { details: tail.trim() });
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new IndexerError(`the indexer exited before it was ready (code ${child.exitCode})`, { details: tail.trim() });
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // Ponder's own shutdown can hang (seen: over 40 s after the demo's Ctrl-C, its process left
      // behind): after STOP_GRACE_MS it is killed.
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    }
  };
  return { url, pid: child.pid!, ready, exited, stop };
}

/**
 * Ponder's JSON log line as one short sentence: its message, its scalar fields (the request, an
 * RPC body, go), and an error's short message without its stack.
 */
function describeLogLine(line: string): string {
  try {
    const { msg, level, error, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const extra = Object.entries(fields)
      .filter(([key, value]) => key !== "service" && key !== "time" && (typeof value === "string" || typeof value === "number") && String(value).length <= 80)
      .map(([key, value]) => `${key}=${String(value)}`);
    const cause = error && typeof error === "object" ? ((error as { shortMessage?: string; message?: string }).shortMessage ?? (error as { message?: string }).message)?.split("\n")[0] : undefined;
    return `${typeof level === "number" && level >= 50 ? "error: " : ""}${String(msg)}${extra.length ? ` (${extra.join(" ")})` : ""}${cause ? `: ${cause}` : ""}`;
  } catch {
    return line;
  }
}
