/**
 * `npm run compile`: compiles contracts/src with solc-js (offline, optimizer on), writes
 * artifacts/<Name>.json (abi, bytecode, link references) and generates, for TypeScript:
 * - lib/contracts/abis.ts      every ABI `as const` (camelCase name + "Abi")
 * - lib/contracts/bytecode.ts  creation bytecode and library link references
 * All three are build output (gitignored). Sources unchanged since the last run → nothing to do.
 * Fails when a deployable contract is over the EIP-170 limit of 24,576 bytes.
 */

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const require = createRequire(import.meta.url);
const solc = require("solc") as { compile(input: string, options?: { import: (path: string) => { contents?: string; error?: string } }): string; version(): string };

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const SRC = join(ROOT, "contracts/src");
const ARTIFACTS = join(ROOT, "artifacts");
const GENERATED = join(ROOT, "lib/contracts");
mkdirSync(GENERATED, { recursive: true });
const SIZE_LIMIT = 24_576;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".sol") ? [path] : [];
  });
}

function findImport(path: string) {
  for (const candidate of [join(ROOT, "node_modules", path), join(ROOT, path)]) {
    if (existsSync(candidate)) return { contents: readFileSync(candidate, "utf8") };
  }
  return { error: `file not found: ${path}` };
}

const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);

function main() {
  const files = sources(SRC).sort();
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(files.map((f) => [relative(ROOT, f), { content: readFileSync(f, "utf8") }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      // viaIR: without it LiquidationLogic hits "stack too deep"; with it a clean compile takes ~15-20 s.
      viaIR: true,
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.bytecode.linkReferences", "evm.deployedBytecode.object"] } },
    },
  };
  const inputJson = JSON.stringify(input);
  // Imports resolve from node_modules at compile time, so their version is part of the cache key.
  const ozVersion = (JSON.parse(readFileSync(join(ROOT, "node_modules/@openzeppelin/contracts/package.json"), "utf8")) as { version: string }).version;
  const hash = createHash("sha256").update(solc.version()).update(ozVersion).update(inputJson).update(readFileSync(new URL(import.meta.url))).digest("hex");
  const stamp = join(ARTIFACTS, ".hash");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash && existsSync(join(GENERATED, "abis.ts"))) {
    console.log("compile: contracts unchanged");
    return;
  }
  const started = performance.now();
  const output = JSON.parse(solc.compile(inputJson, { import: findImport })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string; linkReferences: Record<string, Record<string, { start: number; length: number }[]>> }; deployedBytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  for (const w of (output.errors ?? []).filter((e) => e.severity !== "error")) {
    if (!w.formattedMessage.includes("node_modules")) console.warn(w.formattedMessage);
  }
  if (errors.length) {
    for (const e of errors) console.error(e.formattedMessage);
    throw new Error(`compile: ${errors.length} error(s)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const abis: string[] = [];
  const bytecodes: string[] = [];
  const oversized: string[] = [];
  for (const [file, contracts] of Object.entries(output.contracts)) {
    if (!file.startsWith("contracts/src/")) continue;
    for (const [name, c] of Object.entries(contracts)) {
      const bytecode = c.evm.bytecode.object;
      writeFileSync(join(ARTIFACTS, `${name}.json`), JSON.stringify({ contractName: name, sourceName: file, abi: c.abi, bytecode: `0x${bytecode}`, linkReferences: c.evm.bytecode.linkReferences }, null, 2));
      abis.push(`export const ${camel(name)}Abi = ${JSON.stringify(c.abi)} as const;`);
      if (!bytecode) continue; // interfaces and abstract contracts
      const size = c.evm.deployedBytecode.object.length / 2;
      console.log(`  ${name.padEnd(28)} ${String(size).padStart(6)} bytes`);
      if (size > SIZE_LIMIT) oversized.push(`${name} (${size} bytes)`);
      const links = Object.entries(c.evm.bytecode.linkReferences).flatMap(([, libs]) =>
        Object.entries(libs).map(([lib, refs]) => ({ library: lib, offsets: refs.map((r) => r.start) })),
      );
      bytecodes.push(`export const ${camel(name)}Bytecode = { bytecode: "0x${bytecode}", links: ${JSON.stringify(links)} } as const;`);
    }
  }
  if (oversized.length) throw new Error(`compile: over the ${SIZE_LIMIT}-byte contract size limit: ${oversized.join(", ")}`);
  const header = "// Generated by scripts/compile.ts from contracts/src. Do not edit.\n";
  writeFileSync(join(GENERATED, "abis.ts"), `${header}${abis.sort().join("\n")}\n`);
  writeFileSync(join(GENERATED, "bytecode.ts"), `${header}${bytecodes.sort().join("\n")}\n`);
  writeFileSync(stamp, hash);
  console.log(`compile: ${files.length} sources with solc ${solc.version()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
