/**
 * Health of the liquidation engine — whether the machinery that keeps losses small is working —
 * from one snapshot plus what only the chain's history can tell (keeper lag, recent prices):
 *
 *   keeper lag      blocks from an account turning liquidatable to being liquidated (recent),
 *                   and how long the currently liquidatable ones have waited
 *   dust            accounts whose keeper reward at maintenance (keeperReward, atMaintenance)
 *                   is below the gas of one liquidation at the current gas price: no rational
 *                   keeper will ever liquidate them; their notional and, for the liquidatable
 *                   ones, the loss they hold
 *   oracle age      age of every feed against its maximum (markets and collaterals)
 *   negative equity Σ −equity of accounts below zero: a loss the reserves have not recognised
 *   runway          for each scenario of the stress library, the loss beyond collateral the
 *                   marks jumping by the scenario's move would add (shockMarks; no cascade; the
 *                   negative equity already there is not counted again), and how many such
 *                   events the insurance + default fund absorb (reserves ÷ loss)
 *   exposure        per market, the loss that market alone making its worst recorded move (up
 *                   or down, whichever hurts more) would add, as a share of the reserves
 *
 * Example: gas 300 gwei × 250k gas at ETH $3,000 = $225 a liquidation; with a 2 % penalty and a
 * 50 % keeper share, every account under $22,500 of notional is dust.
 *
 * All on the columnar path, exact: liquidatable accounts from the float screen (findRowsBelow),
 * dust from its own screen (findDustRows), negative equity now and each shock's loss in one pass
 * (findNegativeEquity: each row read once, a dot product per shock, Σ equity of the accounts below
 * zero to the wei without bigint per account); the bigint engine values only the dust accounts'
 * notional, the liquidatable ones the float cannot show pay their keeper the gas (paysKeeperNow),
 * and the screens' few ambiguous ones. Block after block (followEngineHealth), the liquidatable
 * rows and the negative equity under every price vector are carried while the prices stand, only
 * the rows the block changed valued again.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import { buildColumnarSnapshot, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { changedRowsSince, pricingOf } from "../margin/pricingOf.ts";
import { computeAccountRisk, computeNotional } from "../margin/computeAccountRisk.ts";
import { findDustRows, paysKeeperNow, prepareRewardScreen } from "../screen/findDustRows.ts";
import { findNegativeEquity } from "../screen/findNegativeEquity.ts";
import { findRowsBelow } from "../screen/findRowsBelow.ts";
import { prepareMarginScreen, screenBound, screenMargin, type Prices } from "../screen/marginScreen.ts";
import { WAD } from "../math/wad.ts";
import { shockMarks } from "../reserves/computeCover.ts";
import { extremeShock } from "../reserves/extremeShock.ts";
import { historicalScenarios, scenarioMoves, type HistoricalScenario } from "../scenarios/scenarios.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import type { ProtocolSnapshot } from "../types.ts";

export type HealthStatus = "ok" | "warning" | "critical";

/** One liquidation measured from the chain: the block it became liquidatable and was liquidated. */
export interface KeeperLagRecord {
  account: `0x${string}`;
  onsetBlock: bigint;
  /** Undefined while still waiting. */
  liquidatedBlock?: bigint;
  /** True when the onset lies beyond the detector's look-back (the lag is at least this). */
  atLeast?: boolean;
}

export interface EngineHealthOptions {
  /** Wei per gas now (eth_gasPrice). */
  gasPriceWei: bigint;
  /** Gas one liquidation uses (measured ~250k on the local chain). */
  gasPerLiquidation?: bigint;
  /** USD per native coin, WAD; default the ETH-PERP mark. */
  nativePriceWad?: bigint;
  /** From the keeper-lag detector (lib/actions/readKeeperLag). */
  keeperLag?: { waiting: KeeperLagRecord[]; recent: KeeperLagRecord[] };
  /** Lag, in blocks, past which keepers are failing. */
  lagBlocks?: bigint;
  scenarios?: readonly Pick<HistoricalScenario, "id" | "moves">[];
}

export interface FeedAge {
  kind: "market" | "collateral";
  id: number;
  symbol: string;
  ageSec: bigint;
  maxAgeSec: bigint;
  status: HealthStatus;
}

export interface ScenarioRunway {
  id: string;
  lossUsd: bigint;
  /** Reserves ÷ loss: how many such events the reserves absorb (Infinity when no loss). */
  eventsAbsorbed: number;
  /** Loss beyond the reserves, left to ADL or bad debt. */
  shortfallUsd: bigint;
}

export interface MarketExposure {
  marketId: number;
  symbol: string;
  move: number;
  lossUsd: bigint;
  /** Loss ÷ reserves (Infinity when the reserves are empty and there is a loss). */
  shareOfReserves: number;
  status: HealthStatus;
}

export interface EngineHealth {
  gasCostUsd: bigint;
  keeperLag: { waiting: number; maxWaitingBlocks: bigint | null; recent: number; maxRecentBlocks: bigint | null; medianRecentBlocks: bigint | null; laggingAccounts: `0x${string}`[]; status: HealthStatus };
  dust: { accounts: number; notionalUsd: bigint; liquidatableNow: `0x${string}`[]; liquidatableNotionalUsd: bigint; liquidatableDeficitUsd: bigint; status: HealthStatus };
  oracles: FeedAge[];
  negativeEquity: { accounts: `0x${string}`[]; usd: bigint; status: HealthStatus };
  reservesUsd: bigint;
  runway: ScenarioRunway[];
  exposure: MarketExposure[];
  status: HealthStatus;
}

const worst = (...s: HealthStatus[]): HealthStatus => (s.includes("critical") ? "critical" : s.includes("warning") ? "warning" : "ok");

/** USD WAD of `gas` at `gasPriceWei`, the native coin at `nativePriceWad`. */
export function gasCostUsd(gasPriceWei: bigint, gas: bigint, nativePriceWad: bigint): bigint {
  return (gasPriceWei * gas * nativePriceWad) / WAD;
}

/** The native coin's USD price the snapshot knows: the ETH-PERP mark (0 when there is none). */
export function nativePriceWad(snapshot: ProtocolSnapshot): bigint {
  return snapshot.markets.find((m) => m.symbol === "ETH-PERP")?.markPriceWad ?? 0n;
}

const ratio = (a: bigint, b: bigint) => (b === 0n ? (a === 0n ? 0 : Infinity) : Number((a * 1_000_000n) / b) / 1e6);

function median(xs: bigint[]): bigint | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return s[Math.floor((s.length - 1) / 2)]!;
}

/**
 * What the health values row by row, kept by followEngineHealth from one block to the next: the
 * liquidatable rows, and at each price vector (now, then the shocks) the sum of the equity of the
 * accounts in negative equity (and now, their rows).
 */
export interface HealthRows {
  /** The accounts array the rows describe. */
  accounts: ProtocolSnapshot["accounts"];
  /** pricingOf each price vector. */
  vectors: string[];
  /** Ascending. */
  liquidatable: Uint32Array;
  /** Σ equity of the accounts in negative equity, per vector (≤ 0). */
  negativeEquityUsd: bigint[];
  /** Ascending rows in negative equity now. */
  negativeNow: Uint32Array;
}

export function computeEngineHealth(snapshot: ProtocolSnapshot, options: EngineHealthOptions): EngineHealth {
  return followEngineHealth(snapshot, options, undefined).health;
}

/** The row-by-row figures of `columnar` at `vectors` (the first: the snapshot's own prices), every row valued. */
function healthRowsOf(snapshot: ProtocolSnapshot, columnar: ColumnarSnapshot, vectors: readonly Prices[], pricings: string[]): HealthRows {
  const negative = findNegativeEquity(columnar, vectors, { listRows: (k) => k === 0 });
  return {
    accounts: snapshot.accounts,
    vectors: pricings,
    liquidatable: findRowsBelow(columnar, [prepareMarginScreen(snapshot)])[0]!,
    negativeEquityUsd: negative.map(({ equityUsd }) => equityUsd),
    negativeNow: negative[0]!.rows,
  };
}

/**
 * `last`'s row figures carried to `snapshot`: the changed rows' old accounts valued and taken out,
 * their new ones valued and put in (on columns of those rows alone: the sums add row by row,
 * exactly); undefined when they cannot be (changedRowsSince: the pricing moved, rows removed,
 * too many changed) or a shock's prices moved.
 */
function followHealthRows(snapshot: ProtocolSnapshot, vectors: readonly Prices[], pricings: string[], last: { snapshot: ProtocolSnapshot; rows: HealthRows }, maxChanged: number): HealthRows | undefined {
  const changed = changedRowsSince(snapshot, last.snapshot, last.rows.accounts, maxChanged);
  if (!changed || pricings.some((pricing, k) => pricing !== last.rows.vectors[k]) || pricings.length !== last.rows.vectors.length) return undefined;
  const { accounts, ...venue } = snapshot;
  const known = changed.filter((row) => row < last.snapshot.accounts.length);
  // The old accounts' part is their negative equity alone: nothing of theirs is listed.
  const before = findNegativeEquity(buildColumnarSnapshot(venue, known.map((row) => last.snapshot.accounts[row]!)), vectors, { listRows: () => false });
  const after = healthRowsOf(snapshot, buildColumnarSnapshot(venue, changed.map((row) => accounts[row]!)), vectors, pricings);
  const isChanged = new Uint8Array(accounts.length);
  for (const row of changed) isChanged[row] = 1;
  /** `kept` without the changed rows, with the changed rows `found` (indices into `changed`) in: ascending. */
  const carry = (kept: Uint32Array, found: Uint32Array) => Uint32Array.from([...kept.filter((row) => !isChanged[row]), ...Array.from(found, (i) => changed[i]!)]).sort();
  return {
    accounts,
    vectors: pricings,
    liquidatable: carry(last.rows.liquidatable, after.liquidatable),
    negativeEquityUsd: last.rows.negativeEquityUsd.map((equityUsd, k) => equityUsd - before[k]!.equityUsd + after.negativeEquityUsd[k]!),
    negativeNow: carry(last.rows.negativeNow, after.negativeNow),
  };
}

/**
 * computeEngineHealth of `snapshot`, its row-by-row figures carried from the last block's while the
 * prices and parameters stand: only the accounts the block changed are valued again (the dust,
 * which follows the gas price, and everything per market are computed as they are). From scratch
 * without `last`, when the prices moved, or when more than `maxChanged` rows changed (a quarter).
 *
 * Example: 100,000 accounts, 1,000 trading in a block, prices unchanged: 2,000 rows (1,000 old,
 * 1,000 new) valued under the 13 price vectors instead of 100,000.
 */
export function followEngineHealth(
  snapshot: ProtocolSnapshot,
  options: EngineHealthOptions,
  last: { snapshot: ProtocolSnapshot; rows: HealthRows } | undefined,
  { maxChanged = Math.floor(snapshot.accounts.length / 4) }: { maxChanged?: number } = {},
): { health: EngineHealth; rows: HealthRows } {
  const { gasPriceWei, gasPerLiquidation = 250_000n, keeperLag, lagBlocks = 5n, scenarios = historicalScenarios } = options;
  const gasUsd = gasCostUsd(gasPriceWei, gasPerLiquidation, options.nativePriceWad ?? nativePriceWad(snapshot));

  // Keeper lag.
  const waitingBlocks = (keeperLag?.waiting ?? []).map((r) => ({ account: r.account, blocks: snapshot.blockNumber - r.onsetBlock }));
  const recentBlocks = (keeperLag?.recent ?? []).filter((r) => r.liquidatedBlock !== undefined).map((r) => r.liquidatedBlock! - r.onsetBlock);
  const laggingAccounts = waitingBlocks.filter((w) => w.blocks >= lagBlocks).map((w) => w.account);
  const maxWaitingBlocks = waitingBlocks.length ? waitingBlocks.reduce((m, w) => (w.blocks > m ? w.blocks : m), 0n) : null;
  const maxRecentBlocks = recentBlocks.length ? recentBlocks.reduce((m, b) => (b > m ? b : m), 0n) : null;
  const keeperStatus: HealthStatus = laggingAccounts.length ? "critical" : maxRecentBlocks !== null && maxRecentBlocks >= lagBlocks ? "warning" : "ok";

  // Negative equity now, the runway under the stress library and each market's exposure: every
  // price vector in one pass over the columns (scenarios that move nothing add nothing), or over
  // the rows the block changed.
  const columnar = columnarOf(snapshot, last?.snapshot);
  const runwayMoves = scenarios.map((scenario) => scenarioMoves(scenario, snapshot.markets));
  const extremes = extremeShock(snapshot.markets);
  const only = (marketId: number, m: number) => snapshot.markets.map((_, i) => (i === marketId ? m : 0));
  const exposureMoves = extremes.flatMap(({ marketId, move }) => [only(marketId, -Math.abs(move)), only(marketId, Math.abs(move))]);
  const shocks = [...runwayMoves.filter((moves) => moves.some((m) => m !== 0)), ...exposureMoves];
  const vectors = [snapshot, ...shocks.map((moves) => shockMarks(snapshot, moves))];
  const pricings = vectors.map(pricingOf);
  const rows = (last && followHealthRows(snapshot, vectors, pricings, last, maxChanged)) ?? healthRowsOf(snapshot, columnar, vectors, pricings);
  const liquidatableRows = rows.liquidatable;

  // Dust: the screens decide every account, the bigint engine values only those they name.
  const riskOf = (row: number) => computeAccountRisk(snapshot, snapshot.accounts[row]!);
  const dustRows = findDustRows(columnar, snapshot, gasUsd);
  let dustNotional = 0n;
  for (const row of dustRows) dustNotional += computeNotional(snapshot, snapshot.accounts[row]!);
  const liquidatableDust: `0x${string}`[] = [];
  let liquidatableDustNotional = 0n;
  let liquidatableDustDeficit = 0n;
  // A liquidatable account whose equity provably covers its raw penalty pays its keeper RK, which the float may show is above the gas.
  const rewardScreen = prepareRewardScreen(snapshot, gasUsd);
  const equityScreen = prepareMarginScreen(snapshot, { maintenance: false });
  for (const row of liquidatableRows) {
    const equityLowUsd = screenMargin(columnar, row, equityScreen) - screenBound(equityScreen);
    if (paysKeeperNow(columnar, row, rewardScreen, equityLowUsd)) continue;
    const risk = riskOf(row);
    if (keeperReward(snapshot, risk).rewardUsd >= gasUsd) continue;
    liquidatableDust.push(snapshot.accounts[row]!.address);
    liquidatableDustNotional += risk.notionalUsd;
    if (risk.equityUsd < 0n) liquidatableDustDeficit -= risk.equityUsd;
  }

  // Oracle ages.
  const age = (updatedAt: bigint) => (snapshot.timestamp > updatedAt ? snapshot.timestamp - updatedAt : 0n);
  const feedStatus = (a: bigint, max: bigint): HealthStatus => (a > max ? "critical" : a * 5n > max * 4n ? "warning" : "ok");
  const oracles: FeedAge[] = [
    ...snapshot.markets.map((m) => ({ kind: "market" as const, id: m.id, symbol: m.symbol, ageSec: age(m.priceUpdatedAt), maxAgeSec: m.params.oracleMaxAgeSec, status: feedStatus(age(m.priceUpdatedAt), m.params.oracleMaxAgeSec) })),
    ...snapshot.collaterals.map((c) => ({ kind: "collateral" as const, id: c.id, symbol: c.symbol, ageSec: age(c.priceUpdatedAt), maxAgeSec: c.params.oracleMaxAgeSec, status: feedStatus(age(c.priceUpdatedAt), c.params.oracleMaxAgeSec) })),
  ];

  const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
  const [nowUsd, ...shockedUsd] = rows.negativeEquityUsd;
  const negative = Array.from(rows.negativeNow, (row) => snapshot.accounts[row]!.address);
  const negativeUsd = -nowUsd!;
  // Losses a move adds: the negative equity already there is counted once, above, not per move.
  const added = (loss: bigint) => (loss > negativeUsd ? loss - negativeUsd : 0n);
  const lossOf = new Map(shocks.map((moves, k) => [moves, added(-shockedUsd[k]!)]));
  const runway = scenarios
    .map((scenario, i): ScenarioRunway => {
      const lossUsd = lossOf.get(runwayMoves[i]!) ?? 0n;
      return { id: scenario.id, lossUsd, eventsAbsorbed: lossUsd === 0n ? Infinity : ratio(reservesUsd, lossUsd), shortfallUsd: lossUsd > reservesUsd ? lossUsd - reservesUsd : 0n };
    })
    .sort((a, b) => a.eventsAbsorbed - b.eventsAbsorbed);
  const exposure = extremes.map(({ marketId, move }, i): MarketExposure => {
    const down = lossOf.get(exposureMoves[2 * i]!)!;
    const up = lossOf.get(exposureMoves[2 * i + 1]!)!;
    const lossUsd = down > up ? down : up;
    const share = ratio(lossUsd, reservesUsd);
    return { marketId, symbol: snapshot.markets[marketId]!.symbol, move: Math.abs(move), lossUsd, shareOfReserves: share, status: share >= 1 ? "critical" : share >= 0.5 ? "warning" : "ok" };
  });

  const dustStatus: HealthStatus = liquidatableDust.length ? "warning" : "ok";
  const negativeStatus: HealthStatus = negative.length ? "critical" : "ok";
  const runwayStatus: HealthStatus = runway.some((r) => r.shortfallUsd > 0n || r.eventsAbsorbed < 2) ? "warning" : "ok";
  const health: EngineHealth = {
    gasCostUsd: gasUsd,
    keeperLag: { waiting: waitingBlocks.length, maxWaitingBlocks, recent: recentBlocks.length, maxRecentBlocks, medianRecentBlocks: median(recentBlocks), laggingAccounts, status: keeperStatus },
    dust: { accounts: dustRows.length, notionalUsd: dustNotional, liquidatableNow: liquidatableDust, liquidatableNotionalUsd: liquidatableDustNotional, liquidatableDeficitUsd: liquidatableDustDeficit, status: dustStatus },
    oracles,
    negativeEquity: { accounts: negative, usd: negativeUsd, status: negativeStatus },
    reservesUsd,
    runway,
    exposure,
    status: worst(keeperStatus, dustStatus, negativeStatus, runwayStatus, ...oracles.map((o) => o.status), ...exposure.map((e) => e.status)),
  };
  return { health, rows };
}

/**
 * computeEngineHealth for one block after another, each from the last one's row figures
 * (followEngineHealth): the health of a stream of snapshots, such as a server's detectors read.
 */
export function createHealthFollower(): (snapshot: ProtocolSnapshot, options: EngineHealthOptions) => EngineHealth {
  let last: { snapshot: ProtocolSnapshot; rows: HealthRows } | undefined;
  return (snapshot, options) => {
    const { health, rows } = followEngineHealth(snapshot, options, last);
    last = { snapshot, rows };
    return health;
  };
}
