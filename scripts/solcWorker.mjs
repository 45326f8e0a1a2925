// One solc-js compiler in a worker thread (scripts/compile.ts runs two, one per core): each message is
// a standard-JSON input, each reply solc's standard-JSON output. Plain JavaScript: workers load it
// without a TypeScript loader.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const solc = createRequire(import.meta.url)("solc");

function findImport(path) {
  for (const candidate of [join(workerData.root, "node_modules", path), join(workerData.root, path)]) {
    if (existsSync(candidate)) return { contents: readFileSync(candidate, "utf8") };
  }
  return { error: `file not found: ${path}` };
}

parentPort.on("message", (input) => parentPort.postMessage(solc.compile(input, { import: findImport })));
