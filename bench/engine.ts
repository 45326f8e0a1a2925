/**
 * The engine on synthetic venues (engine/testing/syntheticVenue: 3 markets, 2 collaterals, 1–3
 * positions an account, ~5 % near maintenance), no chain: `tsx bench/engine.ts` alone, or as
 * part of `npm run bench`. One JSON line per figure, {"name","value","unit","baseline"}, the
 * baseline being issue #15's target. Peers are measured in the same run (the machine is shared:
 * read the ratios): the exact bigint scan (reference/findLiquidatableExact's loop), a plain
 * float64 typed-array loop (inexact, the practical limit) and @aave/math-utils formatUserSummary
 * (what Aave's dashboard calls per user; it also formats, so a reference point). Peak memory is
 * measured in a child process (--expose-gc) so that nothing else here pollutes it.
 * Timed figures are the best of several runs (the first run of a cascade, of the system risk and
 * of the engine's health in the process is reported on its own: it compiles, allocates what later
 * runs reuse and, for a cascade, starts the ledger thread).
 * A cascade's exact side runs on a worker thread (lib/cascade/threadedLedger), as the CLI runs
 * it; the same cascade with it inline, on one thread, is its peer. Measures, never asserts.
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { threadedLedger } from "../lib/cascade/threadedLedger.ts";
import { formatReserves, formatUserSummary } from "@aave/math-utils";
import {
  createColumnarSnapshot,
  columnarOf,
  computeAccountRisk,
  computeEngineHealth,
  computeSystemRisk,
  findRowsBelow,
  isLiquidatable,
  pathFromMoves,
  prepareMarginScreen,
  previewChanges,
  simulateCascade,
  type ColumnarSnapshot,
  setColumnarAccount,
  type ProtocolSnapshot,
} from "../engine/index.ts";
import { syntheticAccounts, syntheticSnapshot, syntheticVenueParams } from "../engine/testing/syntheticVenue.ts";

function report(name: string, value: number, unit: string, baseline: number | null) {
  console.log(JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, baseline }));
}

/** Best wall time of `runs` runs, ms. */
function best<T>(runs: number, run: () => T): [T, number] {
  let result!: T;
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return [result, fastest];
}

/** The float64 peer: equity − MM from the same columns, no error bound, no re-check (inexact). */
function floatLoop(columnar: ColumnarSnapshot, s: ProtocolSnapshot): number {
  const marks = s.markets.map((m) => Number(m.markPriceWad) / 1e18);
  const mmrs = s.markets.map((m) => Number(m.params.mmrWad) / 1e18);
  const values = s.collaterals.map((c) => (Number(c.priceWad) / 10 ** c.decimals) * (Number(c.params.weightWad) / 1e18));
  let n = 0;
  for (let row = 0; row < columnar.count; row++) {
    let d = columnar.cashUsd.hi[row]!;
    for (let c = 0; c < values.length; c++) d += columnar.balancesNative[c]!.hi[row]! * values[c]!;
    let held = false;
    for (let m = 0; m < marks.length; m++) {
      const size = columnar.sizeBase[m]!.hi[row]!;
      if (size === 0) continue;
      held = true;
      const value = size * marks[m]!;
      d += value - columnar.openNotionalUsd[m]!.hi[row]! - Math.abs(value) * mmrs[m]!;
    }
    if (held && d < 0) n++;
  }
  return n;
}

/** Aave's per-user summary for `users` users of 3 reserves each; users a second. */
function aaveUsersPerSecond(users: number): number {
  const now = 1_700_000_000;
  const reserve = (i: number, symbol: string, decimals: number, priceUsd: number) => ({
    originalId: i, id: `r${i}`, symbol, name: symbol, decimals, underlyingAsset: `0x${(i + 1).toString(16).padStart(40, "0")}`, usageAsCollateralEnabled: true,
    reserveFactor: "1000", baseLTVasCollateral: "8000", liquidityIndex: "1000000000000000000000000000", reserveLiquidationThreshold: "8250", reserveLiquidationBonus: "10500",
    variableBorrowIndex: "1000000000000000000000000000", variableBorrowRate: "0", availableLiquidity: "1000000000000", liquidityRate: "0", totalScaledVariableDebt: "0",
    lastUpdateTimestamp: now, borrowCap: "0", supplyCap: "0", debtCeiling: "0", debtCeilingDecimals: 2, isolationModeTotalDebt: "0", virtualUnderlyingBalance: "0", deficit: "0",
    priceInMarketReferenceCurrency: String(Math.round(priceUsd * 1e8)),
  });
  const formattedReserves = formatReserves({ reserves: [reserve(0, "USDC", 6, 1), reserve(1, "WETH", 18, 3000), reserve(2, "WBTC", 8, 60_000)], currentTimestamp: now, marketReferencePriceInUsd: "100000000", marketReferenceCurrencyDecimals: 8 });
  const userReserves = (u: number) => formattedReserves.map((r, i) => ({ underlyingAsset: r.underlyingAsset, scaledATokenBalance: String(1_000_000 + u * (i + 1)), usageAsCollateralEnabledOnUser: true, scaledVariableDebt: i === 1 ? String(1000 + u) : "0" }));
  const [, ms] = best(2, () => {
    for (let u = 0; u < users; u++) formatUserSummary({ currentTimestamp: now, marketReferencePriceInUsd: "100000000", marketReferenceCurrencyDecimals: 8, userReserves: userReserves(u), formattedReserves, userEmodeCategoryId: 0 });
  });
  return (users / ms) * 1000;
}

function scanFigures(accounts: number, aaveRate: number): ProtocolSnapshot {
  const snapshot = syntheticSnapshot(accounts);
  const [columnar, buildMs] = best(1, () => columnarOf(snapshot));
  report(`columnar snapshot build, ${accounts} accounts`, buildMs, "ms", null);
  const [[rows], scanMs] = best(5, () => findRowsBelow(columnar, [prepareMarginScreen(snapshot)]));
  const [exactCount, exactMs] = best(1, () => snapshot.accounts.reduce((n, a) => n + (isLiquidatable(computeAccountRisk(snapshot, a)) ? 1 : 0), 0));
  const [floatCount, floatMs] = best(5, () => floatLoop(columnar, snapshot));
  const rate = (accounts / scanMs) * 1000;
  report(`exact liquidation scan (screen + re-check), ${accounts} accounts`, rate, "accounts/s", 5_000_000);
  report(`exact bigint scan (peer), ${accounts} accounts`, (accounts / exactMs) * 1000, "accounts/s", null);
  report(`scan vs exact bigint scan, ${accounts} accounts`, exactMs / scanMs, "x faster", null);
  report(`scan vs @aave/math-utils formatUserSummary, ${accounts} accounts`, rate / aaveRate, "x faster", 600);
  report(`float64 loop (peer, inexact) vs scan, ${accounts} accounts`, scanMs / floatMs, "x faster than scan", 5);
  report(`liquidatable: scan / exact / float64 loop, ${accounts} accounts (agreement check)`, rows!.length === exactCount ? 0 : 1, `mismatch (counts ${rows!.length} / ${exactCount} / ${floatCount})`, 0);
  return snapshot;
}

function previewFigure(snapshot: ProtocolSnapshot, baselineMs: number) {
  const eth = snapshot.markets[0]!;
  const change = [{ kind: "setMarketParams" as const, marketId: 0, params: { ...eth.params, mmrWad: (eth.params.mmrWad * 3n) / 2n, imrWad: (eth.params.imrWad * 3n) / 2n } }];
  columnarOf(snapshot);
  const [preview, ms] = best(3, () => previewChanges(snapshot, change));
  report(`previewChanges (ETH MMR ×1.5), ${snapshot.accounts.length} accounts, columns built (${preview.newlyLiquidatable.length} newly liquidatable)`, ms, "ms", baselineMs);
}

/**
 * simulateCascade on the synthetic book: every market falls `movePct` over 48 steps, forced flow
 * into square-root impact with $25k of depth per account per market ($250M a market at 100k
 * accounts), keeper gas $5. That scenario (issue #15's target) liquidates ~44 % of the book —
 * the impact spiral does most of it — so its time is dominated by the exact liquidations: the
 * per-liquidation figure is the time divided by them. Beside it, −5 % with no market impact
 * (`impact: false`) liquidates a few per cent: the price triggers and rounds with few liquidations.
 */
function cascadeFigure(snapshot: ProtocolSnapshot, baselineMs: number | null, { movePct = 30, impact = true, runs = 5, threaded = true } = {}) {
  const accounts = snapshot.accounts.length;
  const depthUsd = impact ? (25e6 * accounts) / 1e4 : Infinity;
  const ledger = threaded ? threadedLedger() : undefined;
  const cascade = () => simulateCascade({ snapshot, path: pathFromMoves(snapshot.markets.map(() => -movePct / 100), 48), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd })), keeper: { gasCostUsd: 5 }, ledger });
  const scenario = `−${movePct} % over 48 steps, ${impact ? "sqrt impact, $25k depth an account" : "no market impact"}${threaded ? "" : ", exact side inline (peer: one thread)"}`;
  // The first cascade of a size in a process also compiles the code and allocates the arrays and
  // queues the next ones reuse (simulateCascade keeps one spare set): reported on its own, then
  // the best of `runs` more, as a server running cascades on a venue sees them.
  const [, firstMs] = best(1, cascade);
  report(`simulateCascade ${scenario}, ${accounts} accounts: first run in the process`, firstMs, "ms", null);
  const [result, ms] = best(runs, cascade);
  const liquidations = result.totals.liquidations;
  report(`simulateCascade ${scenario}, ${accounts} accounts (${liquidations} liquidations, ${Math.round((100 * liquidations) / accounts)} % of the book), best of ${runs} after the first`, ms, "ms", baselineMs);
  if (liquidations > 0) report(`simulateCascade ${scenario}, ${accounts} accounts: time per liquidation`, (ms * 1000) / liquidations, "µs", null);
  // The final state is made on its first read (the stress page never reads it): its price, apart.
  const [, finalMs] = best(1, () => result.final);
  report(`simulateCascade ${scenario}, ${accounts} accounts: its final state, made on first read`, finalMs, "ms", null);
}

/**
 * A figure the server computes on every block, in a process that has computed it before: the
 * first run in the process (it compiles the code) reported on its own, then the best of 5 more,
 * as for the cascades.
 */
function perBlockFigure(name: string, run: () => unknown, baselineMs: number) {
  const [, firstMs] = best(1, run);
  report(`${name}: first run in the process`, firstMs, "ms", null);
  const [, ms] = best(5, run);
  report(`${name}, best of 5 after the first`, ms, "ms", baselineMs);
}

/** Child process: the columnar snapshot of `accounts` accounts streamed in, heap and max RSS after a GC. */
function memoryChild(accounts: number) {
  const venue = syntheticVenueParams();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  // Accounts arrive in batches, as from the indexer's database; each batch's objects are garbage once written.
  const columnar = createColumnarSnapshot(venue, accounts);
  const source = syntheticAccounts(venue, accounts);
  for (const account of source) {
    setColumnarAccount(columnar, columnar.count, account);
    if (columnar.count % 100_000 === 0) gc();
  }
  gc();
  const [rows] = findRowsBelow(columnar, [prepareMarginScreen(venue)]);
  const heap = process.memoryUsage();
  console.log(JSON.stringify({ heapUsed: heap.heapUsed, external: heap.external, arrayBuffers: heap.arrayBuffers, rss: heap.rss, maxRss: process.resourceUsage().maxRSS * 1024, liquidatable: rows!.length }));
}

function memoryFigures(accounts: number) {
  const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--memory-child", String(accounts)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
  const m = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { heapUsed: number; arrayBuffers: number; maxRss: number };
  const mib = 2 ** 20;
  report(`columnar snapshot of ${accounts} accounts: JS heap + array buffers`, (m.heapUsed + m.arrayBuffers) / mib, "MiB", 300);
  report(`columnar snapshot of ${accounts} accounts: peak RSS of the process`, m.maxRss / mib, "MiB", 300);
}

export function runEngineBench() {
  // First, while this process is small: Linux carries a process's peak RSS across exec, so a
  // child forked from a parent holding a million-account snapshot would report the parent's.
  memoryFigures(1_000_000);
  const aaveRate = aaveUsersPerSecond(2000);
  report("@aave/math-utils formatUserSummary (peer), 3 reserves a user", aaveRate, "users/s", null);
  const hundredK = scanFigures(100_000, aaveRate);
  perBlockFigure("computeSystemRisk, 100000 accounts", () => computeSystemRisk(hundredK), 50);
  perBlockFigure("computeEngineHealth, 100000 accounts", () => computeEngineHealth(hundredK, { gasPriceWei: 10n ** 9n }), 50);
  previewFigure(syntheticSnapshot(10_000), 20);
  cascadeFigure(hundredK, 250);
  cascadeFigure(hundredK, null, { threaded: false });
  cascadeFigure(hundredK, null, { movePct: 5, impact: false });
  const million = scanFigures(1_000_000, aaveRate);
  previewFigure(million, 1000);
  cascadeFigure(million, 3000);
  cascadeFigure(million, null, { threaded: false, runs: 2 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const child = process.argv.indexOf("--memory-child");
  if (child !== -1) memoryChild(Number(process.argv[child + 1]));
  else runEngineBench();
}
