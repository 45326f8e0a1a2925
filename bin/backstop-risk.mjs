#!/usr/bin/env node
// `npx backstop-risk …`: the risk CLI (cli/risk.ts) with nothing but its own output on stdout,
// so `npx backstop-risk snapshot --json > risk.json` writes JSON (npm run prints a banner first).
import { register } from "tsx/esm/api";

register();
await import("../cli/risk.ts");
