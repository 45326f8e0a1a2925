/**
 * A throwaway Postgres for tests: Debian's server binaries (package `postgresql`, which `.ci/run`
 * installs when the machine lacks them), a cluster in a fresh temporary directory, listening on a
 * free port of 127.0.0.1 only, trusted local connections, stopped by its PID and deleted.
 *
 * Postgres refuses to run as root: as root the cluster belongs to, and runs as, the `postgres`
 * user (runuser), as the package's own service does.
 */

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { BackstopError } from "../errors/backstopError.ts";
import { freePort } from "../local/anvil.ts";

export interface PostgresInstance {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The newest installed Debian Postgres's bin directory. */
function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "postgres"))) : [];
  if (versions.length === 0) throw new BackstopError("No Postgres server here: install Debian's package `postgresql` (apt-get install postgresql); .ci/run does so when it is missing.");
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

export async function startPostgres(): Promise<PostgresInstance> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "backstop-pg-"));
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync("id", ["-u", "postgres"]).toString()) : undefined;
  const gid = asRoot ? Number(execFileSync("id", ["-g", "postgres"]).toString()) : undefined;
  if (asRoot) chownSync(dir, uid!, gid!);
  const run = (command: string, args: string[]) => (asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args]) as [string, string[]];
  const data = join(dir, "data");
  execFileSync(...run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]), { stdio: "ignore" });
  const port = await freePort();
  const server: ChildProcess = spawn(...run(join(bin, "postgres"), ["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-k", dir, "-c", "fsync=off"]), { stdio: "ignore", detached: true });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (server.exitCode !== null || Date.now() > deadline) {
        process.kill(-server.pid!, "SIGKILL");
        throw new BackstopError(`Postgres did not start on 127.0.0.1:${port}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    pid: server.pid!,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        process.kill(-server.pid!, "SIGINT"); // fast shutdown
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (server.exitCode === null) process.kill(-server.pid!, "SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
