import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalChain, type LocalChain } from "../scripts/chain.ts";
import { formatPercent } from "../engine/format.ts";
import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { parseDeployment } from "../lib/contracts/deployment.ts";

const run = promisify(execFile);
let chain: LocalChain;
const deploymentPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-cli-${process.pid}.json`;
/** The same deployment, said to be for chain 1: the CLI must refuse to read chain 31337 with it. */
const otherChainPath = `${process.env.TMPDIR ?? "/tmp"}/backstop-cli-${process.pid}-chain1.json`;

beforeAll(async () => {
  chain = await startLocalChain({ port: 0, accounts: 300, deploymentPath, log: () => {} });
  await writeFile(otherChainPath, JSON.stringify({ ...JSON.parse(await readFile(deploymentPath, "utf8")), chainId: 1 }));
}, 120_000);
afterAll(async () => {
  await chain?.stop();
  await Promise.all([deploymentPath, otherChainPath].map((path) => rm(path, { force: true })));
});

async function risk(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["cli/risk.ts", ...args], { env: { ...process.env, BACKSTOP_RPC_URL: "", BACKSTOP_DEPLOYMENT: "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it("snapshot prints every market with its margins as the chain has them", async () => {
  const { code, stdout } = await risk("snapshot", "--rpc", chain.rpcUrl, "--deployment", deploymentPath);
  expect(code).toBe(0);
  for (const m of ["ETH-PERP", "BTC-PERP", "SOL-PERP"]) expect(stdout).toContain(m);
  expect(stdout).toMatch(new RegExp(`ETH-PERP .* ${formatPercent(10n ** 17n)} +${formatPercent(5n * 10n ** 16n)}`));
});

it("preview --json lists the accounts a higher MMR would make liquidatable", async () => {
  const { code, stdout } = await risk("preview", "--rpc", chain.rpcUrl, "--deployment", deploymentPath, "--market", "SOL-PERP", "--imr", "40%", "--mmr", "30%", "--json");
  expect(code).toBe(0);
  const preview = JSON.parse(stdout) as { newlyLiquidatable: { address: string }[]; issues: unknown[] };
  expect(preview.issues).toEqual([]);
  expect(preview.newlyLiquidatable.length).toBeGreaterThan(0);
});

it("its machine output is JSON alone on stdout, whether started as `npx backstop-risk` or `npm run -s risk`", async () => {
  const env = { ...process.env, BACKSTOP_RPC_URL: chain.rpcUrl, BACKSTOP_DEPLOYMENT: deploymentPath };
  for (const [command, args] of [["npx", ["backstop-risk", "snapshot", "--json"]], ["npm", ["run", "-s", "risk", "--", "snapshot", "--json"]]] as const) {
    const { stdout } = await run(command, [...args], { env });
    const report = JSON.parse(stdout) as { chainId: number; accounts: number };
    expect(report.chainId, command).toBe(31337);
    expect(report.accounts, command).toBeGreaterThanOrEqual(chain.seed.accounts);
  }
});

it("simulate runs calls on a fork as the timelock: JSON with what changed, Markdown for a forum, exit 3 when a call reverts", async () => {
  const deployment = parseDeployment(JSON.parse(await readFile(deploymentPath, "utf8")), deploymentPath);
  const grace = encodeChange({ kind: "setGracePeriod", seconds: 300n }, deployment);
  const common = ["--rpc", chain.rpcUrl, "--deployment", deploymentPath, "--targets", grace.target, "--values", "0", "--calldatas", grace.calldata];
  const json = await risk("simulate", ...common, "--json");
  expect(json.code).toBe(0);
  const sim = JSON.parse(json.stdout) as { executes: boolean; stateChanges: { what: string; after: string }[]; blindSpots: string[]; storageChanges: { address: string; knownAs?: string; after: string }[]; contracts: { knownAs?: string }[]; gasUsed: string };
  expect(sim).toMatchObject({ executes: true, blindSpots: [] });
  // The slot the new grace period is written to, on the clearinghouse.
  expect(sim.storageChanges.filter((c) => BigInt(c.after) === 300n)).toEqual([expect.objectContaining({ knownAs: "clearinghouse" })]);
  expect(sim.contracts.map((c) => c.knownAs)).toContain("clearinghouse");
  expect(BigInt(sim.gasUsed)).toBeGreaterThan(0n);
  expect(sim.stateChanges).toEqual([expect.objectContaining({ what: "Liquidation grace after unpause", after: "5 min" })]);
  const markdown = await risk("simulate", ...common, "--markdown");
  expect(markdown.stdout).toMatch(/^### Fork simulation: 1 call\(s\) from the command line\n/);
  expect(markdown.stdout).toContain("| Liquidation grace after unpause |");
  expect(markdown.stdout).toContain("**Storage slots changed:**\n| contract | slot | before | after |\n| --- | --- | --- | --- |\n| clearinghouse | 0x");
  expect(markdown.stdout).toContain("**Role grants and revocations:** none.");
  expect(markdown.stdout).toMatch(/\*\*Gas used by the calls: \d+\*\*/);
  // A grace period past its maximum: the clearinghouse refuses, in words.
  const tooLong = encodeChange({ kind: "setGracePeriod", seconds: 10n ** 9n }, deployment);
  const refused = await risk("simulate", "--rpc", chain.rpcUrl, "--deployment", deploymentPath, "--targets", tooLong.target, "--values", "0", "--calldatas", tooLong.calldata);
  expect(refused.code).toBe(3);
  expect(refused.stdout).toContain("It would revert as a whole: nothing changes.");
  expect(refused.stdout).not.toMatch(/0x[0-9a-f]{8}\b/);
});

it("a preview the contract would refuse says why and exits 3", async () => {
  const result = await risk("preview", "--rpc", chain.rpcUrl, "--deployment", deploymentPath, "--market", "ETH-PERP", "--imr", "5%", "--mmr", "10%");
  expect(result.code).toBe(3);
  expect(result.stdout).toMatch(/maintenance|MMR/i);
});

/** Each case points at the test chain unless it names its own RPC or never gets that far. */
const failures: [string, string[], number, RegExp][] = [
  ["an unknown option", ["snapshot", "--bogus"], 2, /^risk: unknown option '--bogus'/],
  ["an unknown command", ["explode"], 2, /^risk: unknown command "explode"/],
  ["an unreachable RPC", ["snapshot", "--rpc", "http://127.0.0.1:9", "--deployment", deploymentPath], 1, /^risk: cannot reach the RPC at http:\/\/127\.0\.0\.1:9$/],
  ["an unreachable RPC whose URL holds a key (never printed)", ["snapshot", "--rpc", "http://127.0.0.1:9/v2/SECRETKEY", "--deployment", deploymentPath], 1, /^risk: cannot reach the RPC at http:\/\/127\.0\.0\.1:9\/…$/],
  ["a deployment for another chain", ["snapshot", "--deployment", otherChainPath], 1, /^risk: \S+-chain1\.json is for chain 1, but the RPC at http:\/\/127\.0\.0\.1:\d+ is chain 31337$/],
  ["a missing deployment file", ["snapshot", "--deployment", "/nonexistent.json"], 2, /^risk: No deployment file at \/nonexistent\.json: run `npm run chain` \(or `npm run demo`\), or pass --deployment/],
  ["a malformed percentage", ["preview", "--deployment", deploymentPath, "--market", "ETH-PERP", "--mmr", "lots"], 2, /^risk: --mmr: "lots" is not a percentage/],
  ["simulate with fewer calldatas than targets", ["simulate", "--deployment", deploymentPath, "--targets", "0x0000000000000000000000000000000000000001,0x0000000000000000000000000000000000000002", "--values", "0,0", "--calldatas", "0x"], 2, /^risk: --targets, --values and --calldatas need one entry per call: got 2, 2 and 1/],
  ["simulate of a proposal that does not exist", ["simulate", "12345", "--deployment", deploymentPath], 2, /^risk: there is no proposal 12345 on this chain/],
];
for (const [name, args, code, message] of failures) {
  it(`${name} gets one clear line and exit ${code}`, async () => {
    const result = await risk(...args, ...(args.includes("--rpc") || args[0] === "explode" ? [] : ["--rpc", chain.rpcUrl]));
    expect(result.code).toBe(code);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });
}
