/**
 * Liquidation cascade: a price path stepped through, with the forced selling of liquidations
 * feeding back into the price (the forced-deleveraging spiral).
 *
 * Each step: the exogenous move is applied; then, until no new liquidation happens (at most
 * `maxRounds` rounds), the keeper liquidates what it can — accounts liquidatable for at least
 * `latencySteps` steps, at most `capacityPerStep` a step, only those whose reward pays its gas —
 * and unwinds what it took into the market, which moves the price by the impact model:
 *
 *   linear:      Δp/p = flowUsd / depthUsd
 *   square root: Δp/p = sign(flow) · √(|flowUsd| / depthUsd) / 10      (a 1 %-of-depth flow ≈ 1 %)
 *
 * where flowUsd is the signed notional the keeper must unwind (liquidated longs are sold:
 * negative). Marks = exogenous price × Π(1 + Δp/p). Amplification per market =
 * (final mark / start − 1) ÷ (final exogenous / start − 1).
 *
 * Accounts whose keeper reward (keeperReward: the contract's, penalty capped at equity) is below the gas cost are
 * left alone and counted as dust: they rot into bad debt, a liquidation-engine failure worth
 * showing. Example: $1M of ETH longs liquidated into $20M of depth (linear) moves ETH −5 %.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import { indexOfAddress, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { computeNotional, type AccountRisk } from "../margin/computeAccountRisk.ts";
import { WAD } from "../math/wad.ts";
import { accountOf, setPosition, workingCopy, type WorkingState } from "../liquidation/applyTrade.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import type { DueLiquidation, LiquidationLedger } from "../liquidation/simulateLiquidation.ts";
import { cascadeTriggers } from "./cascadeTriggers.ts";
import { usd, type LedgerTotals, type SolventLedgerFactory } from "./solventLedger.ts";
import type { ProtocolSnapshot } from "../types.ts";

export type ImpactModel = "linear" | "sqrt";

export interface CascadeParameters {
  snapshot: ProtocolSnapshot;
  /** Exogenous moves per step, per market id (fractions: −0.05 = −5 %). */
  path: number[][];
  impact: { model: ImpactModel; depthUsd: number }[];
  keeper?: { latencySteps?: number; capacityPerStep?: number; gasCostUsd?: number };
  maxRounds?: number;
  /** Called after each step with the step number (0-based) and the total, for progress bars. */
  onStep?: (step: number, steps: number) => void;
  /**
   * Where the exact figures of the direct liquidations are worked out (solventLedger.ts): on this
   * thread by default; threadedLedger() (Node) beside the scan, on a worker thread. The same
   * outcome to the wei either way.
   */
  ledger?: SolventLedgerFactory;
}

export interface CascadeStep {
  step: number;
  exogenousPrice: number[];
  markPrice: number[];
  liquidations: number;
  liquidatedNotionalUsd: number;
  insuranceFundUsd: number;
  defaultFundUsd: number;
  badDebtUsd: number;
  adlFills: number;
  adlAbsorbedUsd: number;
  /** Liquidatable accounts left because liquidating them does not pay the keeper's gas. */
  dustAccounts: number;
  dustNotionalUsd: number;
  /** Liquidatable accounts the keeper had no capacity (or time) for this step. */
  waitingAccounts: number;
}

export interface CascadeResult {
  steps: CascadeStep[];
  totals: { liquidations: number; liquidatedNotionalUsd: number; insuranceDrawUsd: number; defaultFundDrawUsd: number; adlAbsorbedUsd: number; badDebtUsd: number; penaltiesUsd: number };
  amplification: (number | null)[];
  /**
   * The state after the last step, made on first read: most callers want the outcome above only,
   * and rebuilding the liquidated accounts' objects is a tenth of a big cascade.
   */
  final: ProtocolSnapshot;
}

export const CASCADE_KEEPER = "0x00000000000000000000000000000000000ca5ca" as const;

const SCALE = 1_000_000_000n;
const factor = (x: number) => BigInt(Math.round(x * 1e9));

function setMark(state: WorkingState, marketId: number, priceWad: bigint) {
  const market = state.snapshot.markets[marketId]!;
  for (const c of state.snapshot.collaterals) if (c.feedId === market.feedId) c.priceWad = priceWad;
  market.markPriceWad = priceWad;
}

/** One exogenous move of a price (WAD) by a fraction, as the cascade steps it (9-decimal factor). */
export function movePrice(priceWad: bigint, move: number): bigint {
  return (priceWad * factor(1 + move)) / SCALE;
}

/**
 * How a cascade round learns which accounts are liquidatable: every account with positions
 * (but the keeper) that is, by its row in the state's accounts, ascending (`liquidatable`), with
 * its exact risk on request (`riskOf(i)`, for `liquidatable[i]`, at the round's start) — or null
 * when its keeper reward is proven below the gas (`gasUsd`): dust (runCascade values its notional
 * only in the round whose figures the step keeps); and rows found safe — at least every one that
 * was liquidatable before (its first-seen step is dropped; naming others as well changes
 * nothing). The reference scans everyone (reference/simulateCascadeExact.ts); simulateCascade asks
 * its price triggers (cascadeTriggers.ts).
 */
export type CascadeScan = () => { liquidatable: ArrayLike<number>; safe: Iterable<number>; riskOf: (i: number) => AccountRisk | null };

/**
 * The keeper of one round, as runCascade runs it, for a machinery that liquidates rows itself
 * (CascadeMachinery.liquidateDirect): its choice for a row, in row order, and the figures of each
 * liquidation counted into the step as its ledger would be.
 */
export interface RoundKeeper {
  /** A row proven dust by the float: counted, its notional taken if the round is the step's last. */
  provenDust(row: number): void;
  /** Whether the keeper liquidates `row` now (its reward pays the gas, its latency is over, capacity is left: taken); else counted as dust or waiting. */
  decide(row: number, rewardUsd: bigint, notionalUsd: bigint): boolean;
  /** A liquidation that draws nothing from the reserves, counted now (its figures come with the machinery's flush). */
  liquidated(): void;
}

/** How a round's due accounts are liquidated, in order (liquidateBatchInPlace, or the reference's one transaction each). */
export type CascadeLiquidate = (state: WorkingState, due: readonly DueLiquidation[], keeper: `0x${string}`) => { ledgers: LiquidationLedger[] };

/**
 * A cascade's scan and liquidations, how the keeper hands back what it took at the end of a round
 * (`unwindKeeper`: its size per market, the keeper left flat; by default unwindKeeperAccount),
 * what it lends the next cascade once the last step is done (`release`), and what must happen
 * before the final state is read (`settle`, called on the first read, maybe much later).
 */
export interface CascadeMachinery {
  scan: CascadeScan;
  liquidate: CascadeLiquidate;
  /**
   * Liquidates the round's rows itself, from the first, while each is solvent and the keeper's
   * margin proven (no risk object, due list or ledger: a cascade liquidates a third of a book this
   * way), with `keeper` deciding and counting; returns how many rows it took — the rest, from
   * the first that must go the whole way, are runCascade's, on risks as they were at the
   * round's start (the rows taken touched only themselves).
   */
  liquidateDirect?: (rows: ArrayLike<number>, keeper: RoundKeeper) => number;
  /**
   * Brings the state up to the direct liquidations so far (reserves, open interest, the keeper's
   * log) — before runCascade liquidates a round's rest, and at the end — and returns each one's
   * usd(notional) and usd(penalty) in order, and the insurance fund's share still unflushed at
   * each step end marked since the last flush; undefined when nothing was pending.
   */
  flush?: () => Pick<LedgerTotals, "figures" | "marks"> | undefined;
  /** A step ends: true when its insurance fund waits for the next flush (the mark is kept for it). */
  markStep?: () => boolean;
  unwindKeeper?: () => bigint[];
  release?: () => void;
  settle?: () => void;
}

/** The cascade keeper's size in each market, its positions then dropped (no cash moves: they leave the system). */
export function unwindKeeperAccount(state: WorkingState): bigint[] {
  const keeperAccount = accountOf(state, CASCADE_KEEPER);
  const sizes = state.snapshot.markets.map(() => 0n);
  for (const p of [...keeperAccount.positions]) {
    sizes[p.marketId] = p.sizeBase;
    setPosition(state, keeperAccount, p.marketId, 0n, 0n);
  }
  return sizes;
}

/**
 * The machinery of one cascade, set up once on its working state, told the keeper's gas and which
 * way the path drives prices (`fallShare`: 0.9 when its moves add up to a fall, 0.1 to a rise, 0.5
 * flat — the share of a trigger budget worth spending on falls).
 */
export type CascadeScanOf = (state: WorkingState, keeperIndex: number, columnar: ColumnarSnapshot, hints: CascadeHints) => CascadeMachinery;

/** What a machinery is told: the keeper's gas, which way the path drives prices, and the ledger asked for. */
export interface CascadeHints {
  gasUsd: bigint;
  fallShare: number;
  ledger?: SolventLedgerFactory;
}

/**
 * The cascade loop of the header, with the liquidatable set of each round and the round's
 * liquidations from `machineryOf(state)`.
 */
export function runCascade({ snapshot, path, impact, keeper = {}, maxRounds = 20, onStep, ledger }: CascadeParameters, machineryOf: CascadeScanOf): CascadeResult {
  const { latencySteps = 0, capacityPerStep = Infinity, gasCostUsd = 0 } = keeper;
  const columnar = columnarOf(snapshot);
  const state = workingCopy(snapshot, (address) => indexOfAddress(columnar, address));
  accountOf(state, CASCADE_KEEPER).cashUsd = 10n ** 40n;
  const gasWad = BigInt(Math.round(gasCostUsd * 1e6)) * 10n ** 12n;
  const drift = path.reduce((sum, moves) => sum + moves.reduce((a, b) => a + b, 0), 0);
  const { scan, liquidate, liquidateDirect, flush, markStep, release, settle, unwindKeeper = () => unwindKeeperAccount(state) } = machineryOf(state, state.byAddress.get(CASCADE_KEEPER)!.index, columnar, { gasUsd: gasWad, fallShare: drift < 0 ? 0.9 : drift > 0 ? 0.1 : 0.5, ledger });
  const s = state.snapshot;
  const start = s.markets.map((m) => m.markPriceWad);
  const exogenous = [...start];
  const impactFactor = s.markets.map(() => SCALE);
  // The step each row was first seen liquidatable (−1: not now).
  const firstSeen = new Int32Array(s.accounts.length).fill(-1);
  const steps: CascadeStep[] = [];
  const totals = { liquidations: 0, liquidatedNotionalUsd: 0, insuranceDrawUsd: 0, defaultFundDrawUsd: 0, adlAbsorbedUsd: 0, badDebtUsd: 0, penaltiesUsd: 0 };
  // Each liquidation's usd(notional) and usd(penalty), in the order they happen — a direct one's
  // NaN until the machinery's flush hands them over (their positions in `placeholders`) — summed
  // at the end in that order into the steps' and the totals' figures: the same floats, to the
  // bit, as adding each as it happens, without waiting for the ledger at every step's end.
  const figures: number[] = [];
  const placeholders: number[] = [];
  let nextPlaceholder = 0;
  const stepEnds: number[] = [];
  // Steps whose insurance fund waits for a flush: the fund at their end, less the ledger's unflushed share.
  const insuranceWaiting: { step: number; baseUsd: bigint }[] = [];
  const settleLedger = () => {
    const flushed = flush?.();
    if (!flushed) return;
    for (let i = 0; i < flushed.figures.length; i += 2) {
      const at = placeholders[nextPlaceholder++]!;
      figures[at] = flushed.figures[i]!;
      figures[at + 1] = flushed.figures[i + 1]!;
    }
    flushed.marks.forEach((unflushed, i) => {
      const { step, baseUsd } = insuranceWaiting[i]!;
      steps[step]!.insuranceFundUsd = usd(baseUsd + unflushed);
    });
    insuranceWaiting.length = 0;
  };

  path.forEach((moves, step) => {
    s.markets.forEach((m, i) => {
      exogenous[i] = movePrice(exogenous[i]!, moves[i] ?? 0);
      setMark(state, i, (exogenous[i]! * impactFactor[i]!) / SCALE);
    });
    // The step's figures, kept in locals and put in its record once at the end: a record filled
    // in field by field changed hidden class as its counters turned from small integers to
    // doubles, which threw the optimised step loop away step after step.
    let liquidations = 0;
    let adlFills = 0;
    let adlAbsorbedUsd = 0;
    let dustAccounts = 0;
    let dustNotionalUsd = 0;
    let waitingAccounts = 0;
    let capacity = capacityPerStep;
    const record = (l: LiquidationLedger) => {
      liquidations++;
      figures.push(usd(l.notionalUsd), usd(l.penaltyUsd));
      adlFills += l.adlFills.length;
      adlAbsorbedUsd += usd(l.adlAbsorbedUsd);
      totals.insuranceDrawUsd += usd(l.insuranceDrawUsd);
      totals.defaultFundDrawUsd += usd(l.defaultFundDrawUsd);
      totals.adlAbsorbedUsd += usd(l.adlAbsorbedUsd);
      totals.badDebtUsd += usd(l.badDebtUsd);
    };
    for (let round = 0; round < maxRounds; round++) {
      let dust = 0;
      let dustNotional = 0n;
      // Rows proven dust: their notional counts only in the step's last round, and is taken then.
      const provenDust: number[] = [];
      let waiting = 0;
      let due = 0;
      const liquidationsBefore = liquidations;
      const keeperOfRound: RoundKeeper = {
        provenDust: (row) => {
          if (firstSeen[row] === -1) firstSeen[row] = step;
          dust++;
          provenDust.push(row);
        },
        decide: (row, rewardUsd, notionalUsd) => {
          if (firstSeen[row] === -1) firstSeen[row] = step;
          if (rewardUsd < gasWad) {
            dust++;
            dustNotional += notionalUsd;
          } else if (step - firstSeen[row]! >= latencySteps && capacity > 0) {
            capacity--;
            due++;
            return true;
          } else waiting++;
          return false;
        },
        // A ledger with no deficit adds 0 to every other figure of record's.
        liquidated: () => {
          liquidations++;
          placeholders.push(figures.length);
          figures.push(NaN, NaN);
        },
      };
      const { liquidatable, safe, riskOf } = scan();
      for (const row of safe) firstSeen[row] = -1;
      const dueRest: DueLiquidation[] = [];
      for (let i = liquidateDirect?.(liquidatable, keeperOfRound) ?? 0; i < liquidatable.length; i++) {
        const row = liquidatable[i]!;
        const risk = riskOf(i);
        if (risk === null) {
          keeperOfRound.provenDust(row);
          continue;
        }
        const reward = keeperReward(s, risk);
        if (keeperOfRound.decide(row, reward.rewardUsd, risk.notionalUsd)) dueRest.push({ address: s.accounts[row]!.address, risk, row, reward });
      }
      dustAccounts = dust;
      waitingAccounts = waiting;
      // The dust notional of the round the step ends on: one with nothing to liquidate, the last
      // allowed, or one whose liquidations all revert (they are rolled back: the same state).
      // Rows liquidated directly touched only themselves, never a dust row.
      const keepDust = () => {
        for (const row of provenDust) dustNotional += computeNotional(s, s.accounts[row]!);
        dustNotionalUsd = usd(dustNotional);
      };
      if (due === 0 || round === maxRounds - 1) keepDust();
      if (due === 0) break;
      if (dueRest.length > 0) {
        settleLedger();
        for (const l of liquidate(state, dueRest, CASCADE_KEEPER).ledgers) record(l);
      }
      if (liquidations === liquidationsBefore) {
        if (round !== maxRounds - 1) keepDust();
        break;
      }
      const flow = s.markets.map(() => 0n);
      // The keeper unwinds everything it took into the outside market (the order book, not
      // modelled as accounts): its positions are the forced flow, and leave the system.
      const taken = unwindKeeper();
      taken.forEach((sizeBase, m) => {
        if (sizeBase !== 0n) flow[m]! -= (sizeBase * s.markets[m]!.markPriceWad) / WAD;
      });
      s.markets.forEach((m, i) => {
        const flowUsd = usd(flow[i]!);
        if (flowUsd === 0) return;
        const { model, depthUsd } = impact[i] ?? { model: "linear" as const, depthUsd: Infinity };
        const move = model === "linear" ? flowUsd / depthUsd : (Math.sign(flowUsd) * Math.sqrt(Math.abs(flowUsd) / depthUsd)) / 10;
        impactFactor[i] = (impactFactor[i]! * factor(Math.max(0.01, 1 + move))) / SCALE;
        setMark(state, i, (exogenous[i]! * impactFactor[i]!) / SCALE);
      });
    }
    const insurancePending = markStep?.() ?? false;
    if (insurancePending) insuranceWaiting.push({ step, baseUsd: s.reserves.insuranceFundUsd });
    stepEnds.push(figures.length);
    steps.push({
      step,
      exogenousPrice: exogenous.map(usd),
      markPrice: s.markets.map((m) => usd(m.markPriceWad)),
      liquidations,
      // Both set below, once every liquidation's figures are in.
      liquidatedNotionalUsd: 0,
      insuranceFundUsd: insurancePending ? 0 : usd(s.reserves.insuranceFundUsd),
      defaultFundUsd: usd(s.reserves.defaultFundUsd),
      badDebtUsd: usd(s.reserves.badDebtUsd),
      adlFills,
      adlAbsorbedUsd,
      dustAccounts,
      dustNotionalUsd,
      waitingAccounts,
    });
    totals.liquidations += liquidations;
    onStep?.(step, path.length);
  });
  settleLedger();
  let at = 0;
  steps.forEach((record, i) => {
    let liquidatedNotionalUsd = 0;
    for (; at < stepEnds[i]!; at += 2) {
      liquidatedNotionalUsd += figures[at]!;
      totals.penaltiesUsd += figures[at + 1]!;
    }
    record.liquidatedNotionalUsd = liquidatedNotionalUsd;
    totals.liquidatedNotionalUsd += liquidatedNotionalUsd;
  });
  release?.();
  const amplification = s.markets.map((m, i) => {
    const exo = Number(exogenous[i]!) / Number(start[i]!) - 1;
    const total = Number(m.markPriceWad) / Number(start[i]!) - 1;
    return exo === 0 ? null : total / exo;
  });
  let final: ProtocolSnapshot | undefined;
  const settleFinal = () => {
    settle?.();
    // The keeper leaves the final state: it was registered at the start, before any transaction
    // (which only ever removes accounts created inside it), so it is still where it was put.
    s.accounts.splice(state.byAddress.get(CASCADE_KEEPER)!.index, 1);
    return s;
  };
  return Object.defineProperty({ steps, totals, amplification } as Omit<CascadeResult, "final">, "final", { enumerable: true, get: () => (final ??= settleFinal()) }) as CascadeResult;
}

/**
 * The cascade of the header, each round's liquidatable set from price triggers instead of a
 * rescan (cascadeTriggers.ts), its solvent liquidations decided in float and kept in the columns
 * (liquidateSolventRow.ts, the keeper's side logged: keeperLog.ts), their exact figures worked out
 * by a ledger (solventLedger.ts; on a worker thread with lib/cascade/threadedLedger) and the
 * account objects they changed rebuilt before a liquidation that reads every account, or when the
 * final state is read: the same outcome, to the wei, as reference/simulateCascadeExact.
 */
export function simulateCascade(parameters: CascadeParameters): CascadeResult {
  return runCascade(parameters, cascadeTriggers);
}
