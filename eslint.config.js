// Lint, and the import boundaries of DESIGN.md enforced rather than remembered:
// engine/ → decimal.js and itself only; lib/ actions, api, codec, engineRuns, forms, governance, mappers, notify and server → never React or wagmi;
// only lib/hooks and components/ (and app/) touch React and wagmi; lib/ imports no command, replay, page or
// component; production code never imports the test tooling (lib/testing); browser code never imports
// lib/server, not even a type. lib/lintBoundaries.test.ts proves each rule fails on a bad import.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const reactAndWallet = ["react", "react-dom", "react/*", "wagmi", "wagmi/*", "@wagmi/*", "@tanstack/react-query", "next", "next/*"];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "artifacts/**", "node_modules/**", "test-results/**", "playwright-report/**", "lib/contracts/abis.ts", "lib/contracts/bytecode.ts", "next-env.d.ts", ".scratch/**"],
  },
  {
    files: ["engine/**/*.ts"],
    ignores: ["engine/**/*.test.ts", "engine/testing/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!decimal\\.js$|\\.{1,2}/).*",
              message: "engine/ imports nothing but decimal.js and its own files (no viem, React, Node APIs, @/ paths).",
            },
          ],
        },
      ],
      "import/no-restricted-paths": [
        "error",
        { zones: [{ target: "./engine", from: ["./lib", "./app", "./components", "./scripts", "./keeper", "./contracts", "./e2e", "./bench", "./cli"], message: "engine/ imports only its own files." }] },
      ],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "engine/ does no I/O: data comes in as arguments." },
        { name: "process", message: "engine/ reads no environment." },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "engine/ uses a seeded PRNG only." },
        { object: "Date", property: "now", message: "engine/ has no clock: pass the time in." },
      ],
    },
  },
  {
    // Engine tests, and the fake data they share (engine/testing/), may add their test tools, nothing else.
    files: ["engine/**/*.test.ts", "engine/testing/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(?!decimal\\.js$|vitest$|fast-check$|\\.{1,2}/).*", message: "engine tests import only vitest, fast-check, decimal.js and engine files." }] }],
      "import/no-restricted-paths": ["error", { zones: [{ target: "./engine", from: ["./lib", "./app", "./components", "./scripts", "./keeper", "./contracts", "./e2e"], message: "engine tests import only engine files." }] }],
    },
  },
  {
    files: ["lib/actions/**/*.ts", "lib/api/**/*.ts", "lib/codec/**/*.ts", "lib/drafts/**/*.ts", "lib/engineRuns/**/*.ts", "lib/notify/**/*.ts", "lib/forms/**/*.ts", "lib/governance/**/*.ts", "lib/mappers/**/*.ts", "lib/server/**/*.ts", "keeper/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [], patterns: [{ group: reactAndWallet, message: "lib/actions, api, codec, drafts, engineRuns, forms, governance, mappers, notify and server (and the keeper) stay free of React and wagmi." }] }],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "keeper/**/*.ts", "cli/**/*.ts", "scripts/**/*.{ts,mts}"],
    // Tests, the test tooling itself, and the two commands that are test harnesses (load, parity).
    ignores: ["**/*.test.ts", "lib/testing/**", "scripts/load.mts", "scripts/parity.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./lib", from: ["./scripts", "./replays", "./app", "./components"], message: "lib/ is the library: it imports no command (scripts/), replay, page or component." },
            { target: ["./app", "./components", "./keeper", "./cli", "./scripts", "./lib"], from: "./lib/testing", message: "production code does not import the test tooling (lib/testing)." },
            { target: ["./components", "./lib/hooks", "./lib/query"], from: "./lib/server", message: "browser code does not import server modules, not even a type: response types live in lib/api/wire." },
          ],
        },
      ],
    },
  },
];

export default config;
