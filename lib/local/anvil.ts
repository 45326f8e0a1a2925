/**
 * Starts anvil (from the `@foundry-rs/anvil` npm package) as a child process on 127.0.0.1 and
 * stops it by its PID. Used by `npm run chain`, the demo, and every test that needs a chain.
 */

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createServer } from "node:net";
import { BackstopError } from "../errors/backstopError.ts";

export interface StartAnvilParameters {
  /** 0 picks a free port. */
  port?: number;
  /** Extra command-line flags. */
  args?: string[];
}

export interface AnvilInstance {
  rpcUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** The native binary, not the npm wrapper: its PID is anvil's own, so stopping it leaves nothing behind. */
function anvilBinary(): string {
  // Bundled into the dashboard's server (a fork simulation), this module's URL is not a file's:
  // resolve from the project then.
  const here = typeof import.meta.url === "string" && import.meta.url.startsWith("file:") ? import.meta.url : join(process.cwd(), "package.json");
  const require = createRequire(here);
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), "bin", "anvil");
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:`port`. */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolveInUse) => {
    const server = createServer();
    server.once("error", () => resolveInUse(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolveInUse(false)));
  });
}

export async function startAnvil({ port = 0, args = [] }: StartAnvilParameters = {}): Promise<AnvilInstance> {
  const chosen = port === 0 ? await freePort() : port;
  if (port !== 0 && (await portInUse(chosen))) {
    throw new BackstopError(`port ${chosen} on 127.0.0.1 is already in use: is another chain running? Stop it or choose another port.`);
  }
  const child = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(chosen), "--silent", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const rpcUrl = `http://127.0.0.1:${chosen}`;
  // SIGTERM, and SIGKILL for a process that has not exited 2 s later (a hung fork must not outlive its caller).
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await exited;
      clearTimeout(kill);
    }
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new BackstopError(`anvil exited with code ${child.exitCode}: ${stderr.trim()}`);
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new BackstopError(`anvil did not answer on ${rpcUrl} within 15 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { rpcUrl, port: chosen, pid: child.pid!, stop };
}
