/**
 * `npm run risk -- <command> [options]`: the engine for analysts, on any chain.
 *
 *   snapshot                      system risk at the latest (or --block) block
 *   preview  --market ETH-PERP --mmr 8% [--imr 15%] [--penalty 3%] [--keeper-share 40%]
 *            [--oi-cap 50M] [--concentration-cap 15%] [--oracle-max-age 1800]
 *            [--freeze | --unfreeze] [--pause | --unpause] [--adl-mode queue|pro-rata]
 *                                what the change would do before anyone votes
 *   stress   --scenario 2020-03-12-black-thursday | --shock ETH-PERP=-20%,SOL-PERP=-35%
 *            [--steps 24] [--depth 25M] [--impact linear|sqrt] [--gas 5] [--capacity 100]
 *            [--latency 0] [--monte-carlo --paths 200 --seed 1]
 *                                a crash through the liquidation cascade, or a VaR run
 *   simulate <proposalId> | --targets A,B --values 0,0 --calldatas 0x…,0x… [--markdown]
 *                                the calls executed on a fork as the timelock: each call's
 *                                result, the state before → after, who it liquidates, and what
 *                                the decoder did not read (fork of --rpc, or $BACKSTOP_FORK_RPC_URL)
 *   index-check [--indexer URL]  the indexer's state against the lens at its head block and at
 *                                sampled history blocks, to the wei; every difference in words
 *                                (--indexer default $BACKSTOP_INDEXER_URL or http://127.0.0.1:42069)
 *
 * Common options: --rpc URL (default $BACKSTOP_RPC_URL or http://127.0.0.1:8545),
 * --deployment FILE (default $BACKSTOP_DEPLOYMENT or deployments/<$BACKSTOP_CHAIN_ID or 31337>.json),
 * --block N, --json.
 * Human tables by default, JSON for machines with --json. Bad options and unreachable RPCs get
 * one line on stderr and a non-zero exit (EXIT below; the README lists them).
 *
 * Started as `npx backstop-risk …` (bin/) or `npm run -s risk -- …`, stdout carries nothing but
 * the report, so `--json > file` writes JSON.
 */

import { parseArgs } from "node:util";
import { createPublicClient, http, isAddress, isHex } from "viem";
import {
  AdlMode,
  computeSystemRisk,
  formatParameter,
  formatPrice,
  formatUsd,
  parseParameter,
  parsePercent,
  parseUsd,
  previewChanges,
  historicalScenarios,
  pathFromMoves,
  runMonteCarlo,
  scenarioMoves,
  simulateCascade,
  toPlainJson,
  type LiquidationSummary,
  type MarketParams,
  type ParamChange,
  type ProtocolSnapshot,
  MARKET_PARAMETERS,
  parameterShortLabel,
  type MarketParameter,
} from "../engine/index.ts";
import { readSnapshot } from "../lib/actions/readSnapshot.ts";
import { proposalTitle, readProposals } from "../lib/actions/readProposals.ts";
import type { ProposalCall } from "../lib/codec/governanceCodec.ts";
import { simulateProposal } from "../lib/fork/simulateProposal.ts";
import { threadedLedger } from "../lib/cascade/threadedLedger.ts";
import { checkIndex } from "../lib/indexer/checkIndex.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { chainConfig, ConfigError, readDeploymentFile, redactRpcUrl, type ChainConfig } from "../lib/env.ts";
import { messageOf } from "../lib/errors/messageOf.ts";
import { BackstopError } from "../lib/errors/backstopError.ts";

class UsageError extends BackstopError {
  override name = "UsageError";
}

/** The exit codes, as the README documents them. */
const EXIT = {
  ok: 0,
  /** The chain or the deployment could not be read (RPC down, wrong chain, no such block). */
  unreadable: 1,
  /** The command line is wrong: unknown command or option, a malformed value, a missing file. */
  usage: 2,
  /** preview: the contract would refuse the proposed parameters; simulate: a call reverts (the report says why). */
  refused: 3,
  /** index-check: the index differs from the chain (the report lists each difference). */
  drift: 4,
} as const;

const USAGE = "usage: npm run risk -- snapshot|preview|stress|simulate|index-check [--rpc URL] [--deployment FILE] [--block N] [--json]; preview takes --market and the changes, stress --scenario or --shock, simulate a proposal id or --targets/--values/--calldatas [--markdown], index-check [--indexer URL] (see cli/risk.ts)";

const options = {
  rpc: { type: "string" },
  deployment: { type: "string" },
  block: { type: "string" },
  json: { type: "boolean", default: false },
  market: { type: "string" },
  // One flag per governable market parameter, from the one table of them (engine/params).
  ...(Object.fromEntries(MARKET_PARAMETERS.map((p) => [p.flag, { type: "string" }])) as Record<MarketParameter["flag"], { type: "string" }>),
  freeze: { type: "boolean" },
  unfreeze: { type: "boolean" },
  pause: { type: "boolean" },
  unpause: { type: "boolean" },
  "adl-mode": { type: "string" },
  scenario: { type: "string" },
  shock: { type: "string" },
  steps: { type: "string" },
  depth: { type: "string" },
  impact: { type: "string" },
  gas: { type: "string" },
  capacity: { type: "string" },
  latency: { type: "string" },
  "monte-carlo": { type: "boolean" },
  paths: { type: "string" },
  seed: { type: "string" },
  targets: { type: "string" },
  values: { type: "string" },
  calldatas: { type: "string" },
  markdown: { type: "boolean", default: false },
  indexer: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")).join("\n");
}

async function load(values: Values, { withSnapshot = true } = {}) {
  let config: ChainConfig;
  try {
    config = chainConfig();
  } catch (error) {
    throw new UsageError(messageOf(error), { cause: error });
  }
  const rpcUrl = values.rpc ?? config.rpcUrl;
  const path = values.deployment ?? config.deploymentPath;
  let deployment: Deployment;
  try {
    deployment = await readDeploymentFile(path, { otherwise: "or pass --deployment" });
  } catch (error) {
    // A missing file is the command line's fault (exit 2); a malformed one stays unreadable (exit 1).
    throw error instanceof ConfigError ? new UsageError(error.message, { cause: error }) : error;
  }
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 15_000, retryCount: 0 }) });
  let blockNumber: bigint | undefined;
  if (values.block !== undefined) {
    if (!/^\d+$/.test(values.block)) throw new UsageError(`--block must be a block number, got "${values.block}"`);
    blockNumber = BigInt(values.block);
  }
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (cause) {
    throw new BackstopError(`cannot reach the RPC at ${redactRpcUrl(rpcUrl)}`, { cause });
  }
  if (chainId !== deployment.chainId) throw new BackstopError(`${path} is for chain ${deployment.chainId}, but the RPC at ${redactRpcUrl(rpcUrl)} is chain ${chainId}`);
  const snapshot = withSnapshot ? await readSnapshot(client, { deployment, blockNumber }) : undefined;
  return { snapshot: snapshot!, deployment, rpcUrl, client };
}

function marketOf(snapshot: ProtocolSnapshot, name: string | undefined) {
  if (name === undefined) throw new UsageError("preview needs --market (a symbol such as ETH-PERP, or an id)");
  const market = snapshot.markets.find((m) => m.symbol.toLowerCase() === name.toLowerCase() || String(m.id) === name);
  if (!market) throw new UsageError(`unknown market "${name}"; markets: ${snapshot.markets.map((m) => m.symbol).join(", ")}`);
  return market;
}

function changesFrom(values: Values, snapshot: ProtocolSnapshot): ParamChange[] {
  const market = marketOf(snapshot, values.market);
  const changes: ParamChange[] = [];
  const parse = <T>(flag: string, raw: string | undefined, parser: (s: string) => T): T | undefined => {
    if (raw === undefined) return undefined;
    try {
      return parser(raw);
    } catch (error) {
      throw new UsageError(`--${flag}: ${messageOf(error)}`);
    }
  };
  const params: MarketParams = { ...market.params };
  let touched = false;
  for (const p of MARKET_PARAMETERS) {
    // A percentage flag takes "8%" or a ratio ("0.08"), as the usage says; the form's bare "8" is 8 %.
    const value = parse(p.flag, values[p.flag], (raw) => (p.unit === "percent" ? parsePercent(raw) : parseParameter(p, raw)));
    if (value !== undefined) {
      params[p.param] = value;
      touched = true;
    }
  }
  if (touched) changes.push({ kind: "setMarketParams", marketId: market.id, params });
  if (values.freeze || values.unfreeze) changes.push({ kind: "setMarketFrozen", marketId: market.id, frozen: Boolean(values.freeze) });
  if (values.pause || values.unpause) changes.push({ kind: "setMarketPaused", marketId: market.id, paused: Boolean(values.pause) });
  if (values["adl-mode"] !== undefined) {
    const mode = { queue: AdlMode.Queue, "pro-rata": AdlMode.ProRata }[values["adl-mode"]];
    if (mode === undefined) throw new UsageError(`--adl-mode must be queue or pro-rata, got "${values["adl-mode"]}"`);
    changes.push({ kind: "setAdlMode", mode });
  }
  if (changes.length === 0) throw new UsageError("preview needs at least one change (e.g. --mmr 8%)");
  return changes;
}

function snapshotReport(snapshot: ProtocolSnapshot) {
  const risk = computeSystemRisk(snapshot, { nearest: 10 });
  const lines = [
    `Block #${snapshot.blockNumber} (chain ${snapshot.chainId}), ${snapshot.accounts.length} accounts, ${risk.accountsWithPositions} with positions`,
    `TVL ${formatUsd(risk.tvlUsd)} · insurance fund ${formatUsd(snapshot.reserves.insuranceFundUsd)} · default fund ${formatUsd(snapshot.reserves.defaultFundUsd)} · bad debt ${formatUsd(snapshot.reserves.badDebtUsd)}`,
    `Liquidatable now: ${risk.liquidatable.length} · unrecognised deficit ${formatUsd(risk.unrecognisedDeficitUsd)}`,
    "",
    table([
      ["market", "mark", "OI", "cap used", ...MARKET_PARAMETERS.map(parameterShortLabel), "status"],
      ...snapshot.markets.map((m, i) => [
        m.symbol, formatPrice(m.markPriceWad), formatUsd(risk.markets[i]!.openInterestUsd), `${(risk.markets[i]!.utilisation * 100).toFixed(1)}%`,
        ...MARKET_PARAMETERS.map((p) => formatParameter(p, m.params[p.param])),
        m.paused ? "paused" : m.frozen ? "frozen" : "active",
      ]),
    ]),
    "",
    "Health (equity / maintenance margin):",
    table([["bucket", "accounts"], ...risk.healthHistogram.map((b) => [b.label, String(b.count)])]),
    "",
    "Nearest to liquidation:",
    table([["account", "health", "equity", "maintenance"], ...risk.nearestToLiquidation.map((a) => [a.address, a.health.toFixed(3), formatUsd(a.equityUsd), formatUsd(a.maintenanceMarginUsd)])]),
  ];
  return { text: lines.join("\n"), json: { blockNumber: snapshot.blockNumber, chainId: snapshot.chainId, accounts: snapshot.accounts.length, reserves: snapshot.reserves, risk } };
}

function summaryRows(label: string, s: LiquidationSummary) {
  return [label, String(s.accounts), formatUsd(s.notionalUsd), formatUsd(s.penaltiesUsd), formatUsd(s.insuranceDrawUsd), formatUsd(s.defaultFundDrawUsd), formatUsd(s.adlAbsorbedUsd), formatUsd(s.adlClosedNotionalUsd), formatUsd(s.badDebtUsd)];
}

function previewReport(snapshot: ProtocolSnapshot, changes: ParamChange[]) {
  const preview = previewChanges(snapshot, changes);
  const mode = (m: AdlMode) => (m === AdlMode.Queue ? "queue" : "pro-rata");
  const lines = [
    `Preview at block #${snapshot.blockNumber} of ${changes.length} change(s)`,
    ...preview.issues.map((i) => `REFUSED by the contract (${i.error}): ${i.message}`),
    `Newly liquidatable: ${preview.newlyLiquidatable.length} · newly safe: ${preview.newlySafe.length}`,
    ...preview.newlyLiquidatable.slice(0, 20).map((a) => `  ${a.address}  equity ${formatUsd(a.equityUsd)}  MM ${formatUsd(a.maintenanceMarginBeforeUsd)} → ${formatUsd(a.maintenanceMarginAfterUsd)}  notional ${formatUsd(a.notionalUsd)}`),
    preview.newlyLiquidatable.length > 20 ? `  … and ${preview.newlyLiquidatable.length - 20} more (--json lists all)` : "",
    "",
    "Liquidating everything liquidatable at current prices:",
    table([
      ["", "accounts", "notional", "penalties", "insurance", "default fund", "ADL absorbed", "ADL closed", "bad debt"],
      summaryRows(`before (${mode(snapshot.global.adlMode)})`, preview.before.current),
      summaryRows(`after (${mode(preview.after.global.adlMode)})`, preview.afterChanges.current),
      summaryRows(`after (${mode(preview.after.global.adlMode === AdlMode.Queue ? AdlMode.ProRata : AdlMode.Queue)})`, preview.afterChanges.otherAdlMode),
    ]),
    ...preview.oiCapBreaches.map((b) => `OI cap breached: market ${b.marketId} at ${formatUsd(b.openInterestUsd)} over ${formatUsd(b.oiCapUsd)}`),
    preview.concentrationBreaches.length ? `Concentration limit breached by ${preview.concentrationBreaches.length} position(s)` : "",
  ].filter((l) => l !== "");
  const { after: _after, ...json } = preview;
  void _after;
  return { text: lines.join("\n"), json, refused: preview.issues.length > 0 };
}

function positiveNumber(flag: string, raw: string | undefined, fallback: number, parser: (s: string) => number = Number): number {
  if (raw === undefined) return fallback;
  let value: number;
  try {
    value = parser(raw);
  } catch (error) {
    throw new UsageError(`--${flag}: ${messageOf(error)}`);
  }
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${flag} must be a non-negative number, got "${raw}"`);
  return value;
}

function stressReport(snapshot: ProtocolSnapshot, values: Values) {
  const usdNumber = (s: string) => Number(parseUsd(s)) / 1e18;
  if (values["monte-carlo"]) {
    const result = runMonteCarlo({ snapshot, volatility: snapshot.markets.map((m) => (m.symbol.startsWith("BTC") ? 0.04 : m.symbol.startsWith("ETH") ? 0.05 : 0.07)), paths: positiveNumber("paths", values.paths, 200), seed: positiveNumber("seed", values.seed, 1) });
    const money = (x: number) => formatUsd(BigInt(Math.round(x * 1e6)) * 10n ** 12n);
    const text = [
      `Monte Carlo at block #${snapshot.blockNumber}: ${result.paths} one-day paths, seed ${result.seed}`,
      table([["level", "VaR (protocol loss)", "expected shortfall", "liquidations at risk"], ...Object.keys(result.var).map((k) => [k, money(result.var[k]!), money(result.expectedShortfall[k]!), money(result.liquidationsAtRisk[k]!)])]),
    ].join("\n");
    const { losses: _losses, liquidatedNotional: _notional, ...json } = result;
    void _losses;
    void _notional;
    return { text, json };
  }
  let moves: number[];
  let steps: number;
  let label: string;
  if (values.scenario !== undefined) {
    const scenario = historicalScenarios.find((s) => s.id === values.scenario);
    if (!scenario) throw new UsageError(`unknown scenario "${values.scenario}"; scenarios: ${historicalScenarios.map((s) => s.id).join(", ")}`);
    moves = scenarioMoves(scenario, snapshot.markets);
    steps = Math.max(1, Math.min(48, Math.round(positiveNumber("steps", values.steps, scenario.durationHours))));
    label = `${scenario.id} (${scenario.notes.split(".")[0]}; sources: ${scenario.sources.join("; ")})`;
  } else if (values.shock !== undefined) {
    moves = snapshot.markets.map(() => 0);
    for (const part of values.shock.split(",")) {
      const [name, raw] = part.split("=");
      const market = marketOf(snapshot, name?.trim());
      try {
        moves[market.id] = Number(parsePercent(raw ?? "")) / 1e18;
      } catch (error) {
        throw new UsageError(`--shock ${part}: ${messageOf(error)}`);
      }
    }
    steps = Math.max(1, Math.round(positiveNumber("steps", values.steps, 12)));
    label = `shock ${values.shock}`;
  } else throw new UsageError("stress needs --scenario ID, --shock MARKET=MOVE,… or --monte-carlo");
  const model = values.impact ?? "sqrt";
  if (model !== "linear" && model !== "sqrt") throw new UsageError(`--impact must be linear or sqrt, got "${model}"`);
  const depthUsd = positiveNumber("depth", values.depth, 25e6, usdNumber);
  const result = simulateCascade({
    snapshot,
    path: pathFromMoves(moves, steps),
    impact: snapshot.markets.map(() => ({ model, depthUsd })),
    keeper: { gasCostUsd: positiveNumber("gas", values.gas, 5), capacityPerStep: positiveNumber("capacity", values.capacity, Infinity), latencySteps: positiveNumber("latency", values.latency, 0) },
    ledger: threadedLedger(),
  });
  const money = (x: number) => formatUsd(BigInt(Math.round(x * 1e6)) * 10n ** 12n);
  const last = result.steps.at(-1)!;
  const text = [
    `Stress at block #${snapshot.blockNumber}: ${label}`,
    `${steps} steps, ${model} impact with ${money(depthUsd)} of depth per market`,
    table([["market", "exogenous move", "with the cascade", "amplification"], ...snapshot.markets.map((m, i) => [m.symbol, `${(moves[i]! * 100).toFixed(1)}%`, `${((last.markPrice[i]! / (Number(m.markPriceWad) / 1e18) - 1) * 100).toFixed(1)}%`, result.amplification[i] === null ? "—" : `${result.amplification[i]!.toFixed(2)}×`])]),
    `Liquidations ${result.totals.liquidations} (${money(result.totals.liquidatedNotionalUsd)}), penalties ${money(result.totals.penaltiesUsd)}`,
    `Insurance fund drawn ${money(result.totals.insuranceDrawUsd)} (left ${money(last.insuranceFundUsd)}), default fund drawn ${money(result.totals.defaultFundDrawUsd)} (left ${money(last.defaultFundUsd)})`,
    `ADL absorbed ${money(result.totals.adlAbsorbedUsd)}, bad debt ${money(result.totals.badDebtUsd)}, dust left unliquidated at the end: ${last.dustAccounts} account(s), ${money(last.dustNotionalUsd)}`,
  ].join("\n");
  const { steps: stepRecords, totals, amplification } = result;
  return { text, json: { steps: stepRecords, totals, amplification } };
}

/** The calls to simulate: an on-chain proposal's, or --targets/--values/--calldatas (comma-separated, as many of each). */
async function callsToSimulate(read: Awaited<ReturnType<typeof load>>, proposalId: string | undefined, values: Values): Promise<{ title: string; calls: ProposalCall[] }> {
  if (proposalId !== undefined) {
    if (!/^\d+$/.test(proposalId)) throw new UsageError(`simulate takes a proposal id in decimal digits, got "${proposalId}"`);
    const proposal = (await readProposals(read.client, { deployment: read.deployment, blockNumber: read.snapshot.blockNumber })).find((p) => p.id === BigInt(proposalId));
    if (!proposal) throw new UsageError(`there is no proposal ${proposalId} on this chain`);
    return { title: proposalTitle(proposal), calls: proposal.targets.map((target, i) => ({ target, value: proposal.values[i]!, calldata: proposal.calldatas[i]! })) };
  }
  const list = (flag: "targets" | "values" | "calldatas") => (values[flag] ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  const [targets, amounts, calldatas] = [list("targets"), list("values"), list("calldatas")];
  if (!targets.length) throw new UsageError("simulate needs a proposal id, or --targets, --values and --calldatas");
  if (amounts.length !== targets.length || calldatas.length !== targets.length) throw new UsageError(`--targets, --values and --calldatas need one entry per call: got ${targets.length}, ${amounts.length} and ${calldatas.length}`);
  const calls = targets.map((target, i) => {
    if (!isAddress(target, { strict: false })) throw new UsageError(`--targets: "${target}" is not an address`);
    if (!/^\d+$/.test(amounts[i]!)) throw new UsageError(`--values: "${amounts[i]}" is not an amount of wei`);
    if (!isHex(calldatas[i]!) || calldatas[i]!.length % 2 !== 0) throw new UsageError(`--calldatas: "${calldatas[i]}" is not 0x-prefixed hex bytes`);
    return { target: target as `0x${string}`, value: BigInt(amounts[i]!), calldata: calldatas[i] as `0x${string}` };
  });
  return { title: `${calls.length} call(s) from the command line`, calls };
}

/** `simulate`: the calls executed on a fork as the timelock (lib/fork/simulateProposal), as a table, JSON or Markdown for a forum post. */
async function simulateReport(read: Awaited<ReturnType<typeof load>>, proposalId: string | undefined, values: Values) {
  const { title, calls } = await callsToSimulate(read, proposalId, values);
  const sim = await simulateProposal({ forkUrl: process.env.BACKSTOP_FORK_RPC_URL || read.rpcUrl, deployment: read.deployment, blockNumber: read.snapshot.blockNumber, calls });
  const callLines = sim.calls.map((c, i) => [`${i + 1}`, c.target, c.status === "reverted" ? `reverted: ${c.revert ?? "no reason given"}` : c.status, c.gasUsed.toString(), c.events.map((e) => e.name ?? "unknown event").join(", ") || "—"]);
  const changes = sim.stateChanges.map((c) => [c.what, c.before, c.after]);
  const verdict = sim.executes ? "It executes." : "It would revert as a whole: nothing changes.";
  const name = (a: { address: string; knownAs?: string }) => a.knownAs ?? a.address;
  const names = new Map(Object.entries(read.deployment.contracts).map(([n, a]) => [a.toLowerCase(), n]));
  const contractName = (a: string) => names.get(a.toLowerCase()) ?? a;
  // What the traces show: each a titled table, or a line saying there is none.
  const traced: [string, string[][]][] = [
    ["Storage slots changed", [["contract", "slot", "before", "after"], ...sim.storageChanges.map((c) => [name(c), c.slot, c.before, c.after])]],
    ["Contracts reached", [["address", "in the deployment", "code hash"], ...sim.contracts.map((c) => [c.address, c.knownAs ?? "no — unknown", c.codeHash])]],
    ["ETH and token movements", [["asset", "from", "to", "amount"], ...sim.movements.map((m) => [m.asset, contractName(m.from), contractName(m.to), m.amount.toString()])]],
    ["Role grants and revocations", [["contract", "role", "account", "change"], ...sim.roleChanges.map((r) => [contractName(r.contract), r.role, contractName(r.account), r.change])]],
  ];
  const section = (render: (rows: string[][]) => string) => traced.flatMap(([title, rows]) => ["", rows.length > 1 ? `${title}:\n${render(rows)}` : `${title}: none.`]);
  const gasLine = `Gas used by the calls: ${sim.gasUsed.toString()}`;
  const text = [
    `Simulated on a fork at block #${sim.forkBlock}, executed as the timelock: ${title}`,
    verdict,
    "",
    table([["#", "target", "result", "gas", "events"], ...callLines]),
    "",
    changes.length ? table([["changed", "before", "after"], ...changes]) : "No governable value changes.",
    "",
    `Newly liquidatable after it (engine on the fork): ${sim.newlyLiquidatable.length}${sim.newlyLiquidatable.length ? ` (${sim.newlyLiquidatable.join(", ")})` : ""}`,
    sim.blindSpots.length ? `The decoder did not read what these calls do:\n${sim.blindSpots.map((b) => `  - ${b}`).join("\n")}` : "Everything it changes, the decoder read.",
    ...section(table),
    "",
    gasLine,
  ].join("\n");
  const md = (rows: string[][]) => [`| ${rows[0]!.join(" | ")} |`, `| ${rows[0]!.map(() => "---").join(" | ")} |`, ...rows.slice(1).map((r) => `| ${r.map((x) => x.replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n");
  const markdown = [
    `### Fork simulation: ${title}`,
    `Block #${sim.forkBlock}, executed as the timelock. **${verdict}**`,
    "",
    md([["#", "target", "result", "gas", "events"], ...callLines]),
    "",
    changes.length ? md([["changed", "before", "after"], ...changes]) : "No governable value changes.",
    "",
    `**Newly liquidatable:** ${sim.newlyLiquidatable.length}`,
    ...(sim.blindSpots.length ? ["", "**The decoder did not read what these calls do:**", ...sim.blindSpots.map((b) => `- ${b}`)] : []),
    ...section(md).map((l) => l.replace(/^([^:\n]+):/, "**$1:**")),
    "",
    `**${gasLine}**`,
  ].join("\n");
  return { text, markdown, json: sim, refused: !sim.executes };
}

async function indexCheckReport({ client, deployment }: Awaited<ReturnType<typeof load>>, indexerUrl: string) {
  const report = await checkIndex(client, { deployment, indexerUrl });
  const { markets, collaterals, accounts, positions, balances, delegates, proposals, historyBlocks } = report.compared;
  const counted = `${markets} markets, ${collaterals} collaterals, ${accounts.toLocaleString("en-US")} accounts (${positions.toLocaleString("en-US")} positions, ${balances.toLocaleString("en-US")} balances), ${delegates} delegates, ${proposals} proposals and ${historyBlocks} history blocks`;
  const text = report.ok
    ? `The index at block ${report.blockNumber} equals the chain to the wei: ${counted} compared.`
    : [`The index at block ${report.blockNumber} differs from the chain in ${report.drifts.length} place${report.drifts.length === 1 ? "" : "s"} (${counted} compared):`, ...report.drifts.map((d) => `- ${d}`)].join("\n");
  return { text, json: report };
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(messageOf(error).split(". To specify")[0]!.replace(/^Unknown/, "unknown"));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (extra.length > (command === "simulate" ? 1 : 0)) throw new UsageError(`unexpected argument "${extra[command === "simulate" ? 1 : 0]}"`);
  if (command === "index-check") {
    const report = await indexCheckReport(await load(values, { withSnapshot: false }), values.indexer ?? process.env.BACKSTOP_INDEXER_URL ?? "http://127.0.0.1:42069");
    console.log(values.json ? toPlainJson(report.json, 2) : report.text);
    return report.json.ok ? EXIT.ok : EXIT.drift;
  }
  if (command !== "snapshot" && command !== "preview" && command !== "stress" && command !== "simulate") throw new UsageError(command ? `unknown command "${command}"` : "a command is needed");
  const read = await load(values);
  const { snapshot } = read;
  const report =
    command === "snapshot" ? snapshotReport(snapshot) : command === "preview" ? previewReport(snapshot, changesFrom(values, snapshot)) : command === "stress" ? stressReport(snapshot, values) : await simulateReport(read, extra[0], values);
  console.log(values.json ? toPlainJson(report.json, 2) : values.markdown && "markdown" in report ? report.markdown : report.text);
  return "refused" in report && report.refused ? EXIT.refused : EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = messageOf(error);
    console.error(`risk: ${message}${error instanceof UsageError ? " (npm run risk -- --help)" : ""}`);
    process.exit(error instanceof UsageError ? EXIT.usage : EXIT.unreadable);
  },
);
