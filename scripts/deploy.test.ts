/**
 * `npm run deploy` against a chain that is not the demo's: a plain anvil (no Multicall3, no seed)
 * under another chain id, a fresh deployer key funded from the node's dev account and passed
 * through the environment only. The command runs as a child process, as a user would run it; then
 * the written file is read back and the dashboard's reader, the CLI and the keeper use it unchanged.
 */

import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPublicClient, createWalletClient, http, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { backstopTimelockAbi, clearinghouseAbi, clearinghouseLensAbi } from "../lib/contracts/abis.ts";
import { parseDeployment, type Deployment } from "../lib/contracts/deployment.ts";
import { freePort, startAnvil, type AnvilInstance } from "../lib/local/anvil.ts";
import { MULTICALL3 as MULTICALL3_ADDRESS } from "../lib/chain.ts";
import { redactRpcUrl } from "../lib/env.ts";

const CHAIN_ID = 424242;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "backstop-deploy-"));
const out = join(dir, `${CHAIN_ID}.json`);
const key = generatePrivateKey();
const deployer = privateKeyToAccount(key);
let anvil: AnvilInstance;

/** The environment of a user's shell: none of Backstop's variables unless a case sets them. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BACKSTOP_")));
  return { ...clean, ...extra } as NodeJS.ProcessEnv;
}

async function command(file: string, args: string[], extra: Record<string, string>) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", [file, ...args], { env: env(extra), timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  anvil = await startAnvil({ args: ["--chain-id", String(CHAIN_ID)] });
  const transport = http(anvil.rpcUrl);
  const [dev] = await createWalletClient({ transport }).getAddresses();
  const hash = await createWalletClient({ account: dev!, transport }).sendTransaction({ to: deployer.address, value: parseEther("100"), chain: null });
  await createPublicClient({ transport }).waitForTransactionReceipt({ hash });
});
afterAll(async () => {
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run deploy on a fresh chain", () => {
  let result: Awaited<ReturnType<typeof command>>;
  let deployment: Deployment;

  beforeAll(async () => {
    result = await command("scripts/deploy.ts", ["--rpc", anvil.rpcUrl, "--out", out], { BACKSTOP_DEPLOYER_KEY: key, BACKSTOP_CHAIN_ID: String(CHAIN_ID) });
    if (result.code === 0) deployment = parseDeployment(JSON.parse(readFileSync(out, "utf8")), out);
  }, 180_000);

  it("exits 0, writes a valid deployment file for the node's chain id and prints the env lines", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(deployment.chainId).toBe(CHAIN_ID);
    expect(result.stdout).toContain(`BACKSTOP_RPC_URL=${anvil.rpcUrl}\n`);
    expect(result.stdout).toContain(`BACKSTOP_CHAIN_ID=${CHAIN_ID}\n`);
    expect(result.stdout).toContain(`BACKSTOP_DEPLOYMENT=${out}\n`);
  });

  it("never prints the key", () => {
    const output = result.stdout + result.stderr;
    expect(output).not.toContain(key.slice(2));
    expect(output.toLowerCase()).not.toContain(key.slice(2).toLowerCase());
  });

  it("deploys a Multicall3 of its own where the canonical one is absent, and records it", async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    expect(await client.getCode({ address: MULTICALL3_ADDRESS })).toBeUndefined();
    expect(deployment.contracts.multicall3).not.toBe(MULTICALL3_ADDRESS);
    expect((await client.getCode({ address: deployment.contracts.multicall3 }))?.length).toBeGreaterThan(2);
  });

  it("deploys the demo's markets behind the timelock, with the deployer holding no governance power", async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl) });
    const markets = await client.readContract({ address: deployment.contracts.lens, abi: clearinghouseLensAbi, functionName: "getMarkets" });
    expect(markets.map((m) => m.symbol)).toEqual(["ETH-PERP", "BTC-PERP", "SOL-PERP"]);
    const role = await client.readContract({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "GOVERNANCE_ROLE" });
    const holds = (who: Address) => client.readContract({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "hasRole", args: [role, who] });
    expect(await holds(deployment.contracts.timelock)).toBe(true);
    expect(await holds(deployer.address)).toBe(false);
    const admin = await client.readContract({ address: deployment.contracts.timelock, abi: backstopTimelockAbi, functionName: "DEFAULT_ADMIN_ROLE" });
    expect(await client.readContract({ address: deployment.contracts.timelock, abi: backstopTimelockAbi, functionName: "hasRole", args: [admin, deployer.address] })).toBe(false);
  });

  it("is read unchanged by the engine's snapshot reader, through the recorded Multicall3", async () => {
    const snapshot = await readSnapshot(createPublicClient({ transport: http(anvil.rpcUrl) }), { deployment });
    expect(snapshot.chainId).toBe(CHAIN_ID);
    expect(snapshot.markets.map((m) => m.symbol)).toEqual(["ETH-PERP", "BTC-PERP", "SOL-PERP"]);
    expect(snapshot.accounts).toEqual([]);
  });

  it("is read unchanged by the dashboard's server reader, configured from the three env lines", async () => {
    const lines = Object.fromEntries([...result.stdout.matchAll(/^(BACKSTOP_\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
    Object.assign(process.env, lines);
    try {
      const { getLatestSnapshot } = await import("../lib/server/snapshot.ts");
      const { snapshot, deployment: read } = await getLatestSnapshot();
      expect(read.contracts.multicall3).toBe(deployment.contracts.multicall3);
      expect(snapshot.markets).toHaveLength(3);
    } finally {
      for (const name of Object.keys(lines)) delete process.env[name];
    }
  });

  it("npm run risk -- snapshot works with the environment pointed at it", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "risk", "--", "snapshot", "--json"], {
      env: env({ BACKSTOP_RPC_URL: anvil.rpcUrl, BACKSTOP_CHAIN_ID: String(CHAIN_ID), BACKSTOP_DEPLOYMENT: out }),
    });
    const report = JSON.parse(stdout) as { chainId: number; accounts: number };
    expect(report).toMatchObject({ chainId: CHAIN_ID, accounts: 0 });
  });

  it("npm run keeper starts with a key from the environment and watches the chain", async () => {
    const keeperKey = generatePrivateKey();
    const child = spawn("node_modules/.bin/tsx", ["keeper/main.ts"], {
      env: env({ BACKSTOP_RPC_URL: anvil.rpcUrl, BACKSTOP_CHAIN_ID: String(CHAIN_ID), BACKSTOP_DEPLOYMENT: out, BACKSTOP_KEEPER_KEY: keeperKey }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    try {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes("\n") && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toBe("");
      expect(JSON.parse(stdout.split("\n")[0]!)).toMatchObject({ event: "started", keeper: privateKeyToAccount(keeperKey).address, chainId: CHAIN_ID });
      expect(stdout + stderr).not.toContain(keeperKey.slice(2));
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("refuses to overwrite the deployment file without --force", async () => {
    const again = await command("scripts/deploy.ts", ["--rpc", anvil.rpcUrl, "--out", out], { BACKSTOP_DEPLOYER_KEY: key });
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toBe(`deploy: ${out} already exists: pass --force to replace it, or --out another file`);
  });
});

describe("npm run deploy refuses, in one line and a non-zero exit", () => {
  const cases: [string, () => Promise<[string[], Record<string, string>]>, RegExp][] = [
    ["without a key in the environment", async () => [["--rpc", anvil.rpcUrl, "--out", join(dir, "a.json")], {}], /^deploy: BACKSTOP_DEPLOYER_KEY is not set: /],
    ["with a key that is not one", async () => [["--rpc", anvil.rpcUrl, "--out", join(dir, "b.json")], { BACKSTOP_DEPLOYER_KEY: "0x1234abcd" }], /^deploy: BACKSTOP_DEPLOYER_KEY is not a private key: /],
    ["without --rpc", async () => [["--out", join(dir, "c.json")], { BACKSTOP_DEPLOYER_KEY: key }], /^deploy: pass --rpc URL /],
    ["with an RPC that is not an http(s) URL", async () => [["--rpc", "ftp://example.org", "--out", join(dir, "d.json")], { BACKSTOP_DEPLOYER_KEY: key }], /^deploy: --rpc must be an http\(s\) URL/],
    ["with an RPC nobody answers", async () => [["--rpc", `http://127.0.0.1:${await freePort()}`, "--out", join(dir, "e.json")], { BACKSTOP_DEPLOYER_KEY: key }], /^deploy: cannot reach the RPC at http:\/\/127\.0\.0\.1:\d+: /],
    ["on the wrong chain (--chain-id)", async () => [["--rpc", anvil.rpcUrl, "--chain-id", "1", "--out", join(dir, "f.json")], { BACKSTOP_DEPLOYER_KEY: key }], new RegExp(`^deploy: the node at http://127\\.0\\.0\\.1:\\d+ is chain ${CHAIN_ID}, not 1: nothing deployed$`)],
    ["on the wrong chain (BACKSTOP_CHAIN_ID)", async () => [["--rpc", anvil.rpcUrl, "--out", join(dir, "g.json")], { BACKSTOP_DEPLOYER_KEY: key, BACKSTOP_CHAIN_ID: "31337" }], new RegExp(`is chain ${CHAIN_ID}, not 31337: nothing deployed$`)],
    ["with an unfunded deployer", async () => [["--rpc", anvil.rpcUrl, "--out", join(dir, "h.json")], { BACKSTOP_DEPLOYER_KEY: generatePrivateKey() }], /^deploy: the deployer 0x[0-9a-fA-F]{40} holds no native currency on chain 424242: fund it first$/],
    ["with a flag it does not know", async () => [["--rpc", anvil.rpcUrl, "--key", key], { BACKSTOP_DEPLOYER_KEY: key }], /^deploy: Unknown option '--key'/],
  ];
  for (const [name, setup, message] of cases) {
    it(name, async () => {
      const [args, extra] = await setup();
      const { code, stdout, stderr } = await command("scripts/deploy.ts", args, extra);
      expect(code).not.toBe(0);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr.trim()).toMatch(message);
      expect(stdout + stderr).not.toContain(key.slice(2));
    });
  }

  it("leaves no deployment file behind after a refusal", () => {
    expect(() => readFileSync(join(dir, "f.json"))).toThrow();
  });
});

describe("redactRpcUrl", () => {
  it.each([
    ["http://127.0.0.1:8545", "http://127.0.0.1:8545"],
    ["https://rpc.example.org/", "https://rpc.example.org"],
    ["https://eth-sepolia.g.example.com/v2/SECRETKEY", "https://eth-sepolia.g.example.com/…"],
    ["https://rpc.example.org/?apikey=SECRET", "https://rpc.example.org/…"],
    ["https://user:pass@rpc.example.org", "https://rpc.example.org/…"],
  ])("shows %s as %s", (url, shown) => expect(redactRpcUrl(url)).toBe(shown));
});


