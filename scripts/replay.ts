/**
 * `npm run replay -- <name> [--no-dashboard]`: an incident replayed on a fresh local chain
 * (anvil on 127.0.0.1:8545, the protocol deployed, deployments/31337.json written), the events
 * driven, what Backstop shows printed — then the dashboard served on http://127.0.0.1:3000 on
 * that chain's final state, until Ctrl-C. `npm run replay -- --list` names them.
 */

import type { ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { replays } from "../replays/index.ts";
import { runReplay } from "../replays/replay.ts";
import type { ReplayHarness } from "../replays/harness.ts";
import { serveDashboard } from "./dashboard.ts";
import { messageOf } from "../lib/errors/messageOf.ts";

const children: ChildProcess[] = [];
let harness: ReplayHarness | undefined;

function usage() {
  return `usage: npm run replay -- <name> [--no-dashboard]\n\n${replays.map((r) => `  ${r.name.padEnd(16)} ${r.date}  ${r.summary}`).join("\n")}`;
}

async function stopAll(code: number): Promise<never> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  await harness?.stop();
  process.exit(code);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { "no-dashboard": { type: "boolean" }, list: { type: "boolean" }, port: { type: "string" } }, strict: true });
  } catch (error) {
    console.error(`replay: ${messageOf(error)}\n${usage()}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.list) return console.log(usage());
  const replay = replays.find((r) => r.name === positionals[0]);
  if (!replay || positionals.length !== 1) {
    console.error(`replay: ${positionals[0] === undefined ? "name a replay" : `no replay named "${positionals.join(" ")}"`}\n${usage()}`);
    process.exit(2);
  }
  const port = Number(values.port ?? process.env.PORT ?? 3000);

  console.log(`${replay.name} (${replay.date}): ${replay.summary}\n`);
  const { h } = await runReplay(replay, { port: 8545, log: (line) => console.log(`  · ${line}`) });
  harness = h;
  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));
  const deploymentPath = resolve("deployments/31337.json");
  await mkdir(dirname(deploymentPath), { recursive: true });
  await writeFile(deploymentPath, `${JSON.stringify(h.fixture.deployment, null, 2)}\n`);

  const shows = await h.monitor();
  console.log(`\nWhat Backstop shows at block ${shows.snapshot.blockNumber}:`);
  for (const a of shows.alerts) console.log(`  ${a.severity.toUpperCase().padEnd(8)} ${a.title} — ${a.detail}`);
  if (shows.alerts.length === 0) console.log("  no alert");
  if (values["no-dashboard"]) return stopAll(0);

  const dashboard = await serveDashboard({ rpcUrl: h.rpcUrl, deployment: h.fixture.deployment, deploymentPath, port, log: console.log, onChild: (child) => children.push(child) });
  console.log(`\nThe dashboard shows the replay's chain at ${dashboard.url} (chain ${h.rpcUrl}). Ctrl-C stops everything.`);
  const code = await dashboard.exited;
  console.error(`the dashboard exited (code ${code})`);
  await stopAll(1);
}

main().catch(async (error: unknown) => {
  console.error(`replay: ${messageOf(error)}`);
  await stopAll(1);
});
