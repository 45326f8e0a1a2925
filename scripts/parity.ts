/**
 * `npm run parity -- --runs 10000 [--seed 1]`: the engine ⇄ contract differential test at any
 * size (lib/testing/parity.ts). Prints progress, every mismatch, and a summary; exits 1 on any
 * mismatch.
 */

import { parseArgs } from "node:util";
import { runParity } from "../lib/testing/parity.ts";
import { messageOf } from "../lib/errors/messageOf.ts";

const bigintReplacer = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

async function main() {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "500" }, seed: { type: "string", default: "1" } }, strict: true });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(runs) || runs <= 0) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
  const started = performance.now();
  const result = await runParity({
    runs,
    seed,
    onRun: (run) => {
      if ((run + 1) % 100 === 0) console.log(`parity: ${run + 1}/${runs} states`);
    },
  });
  for (const m of result.mismatches) console.log(JSON.stringify(m, bigintReplacer));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`parity: ${result.runs} states, ${result.liquidations} liquidations (${result.bankruptcies} bankrupt, ${result.adlFills} ADL fills), ${result.mismatches.length} mismatches, ${seconds} s`);
  if (result.mismatches.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`parity: ${messageOf(error)}`);
  process.exit(2);
});
