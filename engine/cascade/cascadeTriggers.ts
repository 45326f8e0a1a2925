/**
 * Which accounts a cascade round must re-value, without rescanning the book. An account found
 * safe at prices P with screened margin D̃ and bound ε (marginScreen.ts) gets a budget
 * B = (D̃ − ε)·(1 − 2⁻²⁰) over the prices it is exposed to that can move (the marks of its
 * markets, the prices of its collateral on a market's feed — a collateral on a feed of its own,
 * a stablecoin, keeps its price through a cascade): D is linear in each of them while everything
 * else is fixed, with slope
 * k_m = s_m − |s_m|·mmr_m for a mark and k_c = b_c for a collateral's value per unit (weight and
 * decimals in it). The float of k_m cancels when mmr_m is near 1 (s − |s|·mmr ≈ 10⁻¹⁸·s can
 * come out 0), so a mark's slope is taken as k̂_m = |k̃_m| + 2⁻⁴⁹·(|s_m| + |s_m|·mmr_m), at
 * least the true |k_m|, and watched in both directions when its sign is not certain. A fall of
 * a price hurts where k_d > 0, a rise where k_d < 0 (both, for a slope of uncertain sign).
 * A collateral on the feed of exactly one market is not a price of its own: runCascade sets it
 * with the mark (setMark), so its value per unit is κ_c·P_m (κ_c = weight/10^decimals, exactly),
 * and its slope joins the mark's, k_m + κ_c·b_c, with the float of κ_c·b_c and of the sum (12u
 * of their sizes at most) added to the slope's error: one trigger for the feed instead of two,
 * and a short hedged by the same asset as collateral spends nothing on the moves that cancel (in
 * the 100,000-account crash, 7 % fewer re-valuations); each round checks the two prices still
 * agree. The budget goes a share α to the falls and 1 − α to the rises — α leaning the way the
 * path drives prices (0.9 in a crash), all of it to one side when the other has no weight — and
 * is spread so that every price may move against the account by the same fraction of itself (a
 * crash moves them together): f↓ = α·B / Σ_{d hurt by a fall} k̂_d·P_d, f↑ = (1 − α)·B /
 * Σ_{d hurt by a rise} k̂_d·P_d. The account is re-valued only once some price crosses
 *
 *   t = P_d·(1 − f↓)   (k_d > 0: a fall hurts)      t = P_d·(1 + f↑)   (k_d < 0: a rise)
 *
 * moved 2⁻⁴⁸·|P_d| towards P_d to cover the rounding of the prices compared (2u relative
 * each). Until then the moves against it cost at most α·B + (1 − α)·B, times (1 + 2⁻⁴⁵) for the
 * float f and t being a few u off, and the moves its way only add margin, so
 * D_real ≥ D̃ − ε + floorWei − B·(1 + 2⁻⁴⁵) > floorWei and the exact D > 0: it is safe, as a
 * full rescan would find. Per price and direction the triggers sit in a bucket queue (triggerQueue.ts), so a
 * round takes out only what the move crossed. Accounts a liquidation touched (liquidated, ADL
 * counterparties) are re-valued in the next round; liquidatable ones every round (their exact
 * risk drives the keeper's choice — or only their exact notional when the float proves their
 * keeper reward below the gas: dust, rewardBelowGasNow) — but the bankrupt. A liquidatable row
 * whose equity the float proves negative (equity screen D̃ + ε < 0) pays its keeper nothing, so
 * while the gas costs anything it is dust until prices move its way: it is parked, listed but
 * not re-valued, behind triggers on the moves that raise its equity, with the budget
 * B = −(D̃ + ε)·(1 − 2⁻²⁰) spent as above with the slopes' signs turned (D ≤ D̃ + ε + B·(1 + 2⁻⁴⁵)
 * < 0 until one fires). In a crash they pile up: in the 1,000,000-account cascade they were
 * 749,000 of its 3.8 million re-valuations, and as many dust screens. Rows are read from the
 * columns, which every touched row is rewritten into before it is re-valued — through a packed
 * copy of what the screen reads (marginScreen's packMarginRows: a row's one or two cache lines,
 * where the columns are a line each), repacked with the row.
 *
 * Example: long 10 ETH at $3,000 with $3,000 of equity over MM $1,500 (5 %): slope 9.5 ETH,
 * margin $1,500, f = 1,500 / (9.5 · 3,000) = 5.3 % → trigger at $2,842, its liquidation price:
 * the account sleeps until then. Holding also 1 WETH (weight 0.8, slope 1 on $2,400 a unit):
 * f = 1,500 / (28,500 + 2,400) = 4.85 %, triggers at ETH $2,854 and WETH $2,854 — a joint fall
 * to there costs (9.5 + 0.8) · $145.6 = $1,500, all of the margin. Short 0.05 BTC as well
 * ($3,000 at $60,000, mmr 4 %: slope −0.052 BTC, $3,120 of weight hurt by a rise), in a crash:
 * f↓ = 0.9 · 1,500 / 30,900 = 4.4 %, f↑ = 0.1 · 1,500 / 3,120 = 4.8 %.
 */

import { copyColumnarSnapshot, setColumnarAccount, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import type { WorkingState } from "../liquidation/applyTrade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { paysWithinBounds, prepareRewardScreen, rewardBelowGasNow, type RewardScreen } from "../screen/findDustRows.ts";
import { exactVerdict, packMarginRows, prepareMarginScreen, repackMarginRow, screenBound, screenPackedMargin, type MarginScreen, type PackedMarginRows } from "../screen/marginScreen.ts";
import { accountOf, peekAccount } from "../liquidation/applyTrade.ts";
import { marketBlocksLiquidation } from "../liquidation/marketBlocksLiquidation.ts";
import { WAD } from "../math/wad.ts";
import { chargedLedger, liquidateBatchInPlace, liquidateSolvent } from "../liquidation/simulateLiquidation.ts";
import { addRoundSizeAt, createKeeperLog, logTakeover, replayKeeperLog, unwindLoggedKeeper } from "./keeperLog.ts";
import { createClearedRows, liquidateSolventRow, restoreAccountObjects, solventFiguresOfRow, type SolventFigures } from "./liquidateSolventRow.ts";
import type { CascadeHints, CascadeLiquidate, CascadeMachinery, CascadeScan, RoundKeeper } from "./simulateCascade.ts";
import { inlineLedger } from "./solventLedger.ts";
import { createTriggerQueue, drainTriggers, pushTrigger, resetTriggerQueue, type TriggerQueue } from "./triggerQueue.ts";

const BUMP = 2 ** -48;
const BUDGET = 1 - 2 ** -20;
const SLOPE_ERROR = 2 ** -49;
// A joined collateral's slope κ̃_c·b_c is good to 11u of itself (κ̃_c: 9 roundings), their sum to u more.
const JOIN_ERROR = 2 ** -48;
const FIXED = -1;
const OWN = -2;
// A float load's relative slack against the keeper's limit: far above the few u of its products and sums.
const LOAD_SLACK = 2 ** -40;

/**
 * The machinery of one cascade (runCascade's `machineryOf`): a scan that re-values only the
 * accounts the moves or the liquidations reached, and liquidations whose solvent direct ones stay
 * in the columns (liquidateSolventRow.ts) until something reads the accounts at large.
 */
export function cascadeTriggers(state: WorkingState, keeperIndex: number, original: ColumnarSnapshot, { gasUsd, fallShare: pathFallShare, ledger: ledgerOf = inlineLedger }: CascadeHints): CascadeMachinery {
  const s = state.snapshot;
  // The input's columns, shared until a row changes in a way only they can hold (a liquidation
  // that goes the whole way moves other accounts' positions): then copied, once.
  let columnar = original;
  const own = () => {
    if (columnar === original) columnar = copyColumnarSnapshot(original);
    return columnar;
  };
  const rows = columnar.count;
  const nM = columnar.sizeBase.length;
  const nC = columnar.balancesNative.length;
  const dims = nM + nC;
  const scratch = takeScratch(rows, 2 * dims);
  // Queue 2d: triggers on a fall of price d (key t); queue 2d + 1: on a rise (key −t).
  const { queues, state: rowState, listed, candidates } = scratch;
  // The rows as screenMargin reads them, packed: the re-valuations visit them out of order.
  const packed = (scratch.packed = packMarginRows(columnar, scratch.packed));
  const { values: packedValues, stride } = packed;
  // Kept by the result until its final state is read, which may be after the next cascade took the scratch.
  const cleared = createClearedRows(rows);
  // The liquidatable rows, unordered, in the first `listedCount` entries of `listed`; a row's
  // place there + 1 in its LISTED_AT (0: not listed). Most re-valuations find a row safe that never
  // was liquidatable: an array read answers that, and nothing here is a heap object to collect.
  let listedCount = 0;
  const list = (row: number) => {
    if (rowState[4 * row + LISTED_AT] !== 0) return;
    listed[listedCount++] = row;
    rowState[4 * row + LISTED_AT] = listedCount;
  };
  const unlist = (row: number): boolean => {
    const at = rowState[4 * row + LISTED_AT]! - 1;
    if (at < 0) return false;
    const last = listed[--listedCount]!;
    listed[at] = last;
    rowState[4 * last + LISTED_AT] = at + 1;
    rowState[4 * row + LISTED_AT] = 0;
    rowState[4 * row + PARKED] = 0;
    return true;
  };
  // The rows a round re-values, in the first `candidateCount` entries.
  let candidateCount = 0;
  const dirty = new Set<number>();
  state.onTouch = (index) => void dirty.add(index);
  const moved: number[] = [];
  // The keeper's side of those liquidations, applied only when a liquidation that goes the whole way reads it.
  const keeperLog = createKeeperLog(s.accounts[keeperIndex]!.address, s.markets.length);
  const restore = () => restoreAccountObjects(state, cleared);
  const liquidate: CascadeLiquidate = (state, due, keeper) =>
    liquidateBatchInPlace(state, due, keeper, {
      solvent: (account, row, risk, reward, keeper) => {
        moved.push(row);
        if (keeper !== keeperLog.keeper) return liquidateSolvent(state, accountOf(state, account.address, row), risk, reward, keeper);
        liquidateSolventRow(state, cleared, keeperLog, account, row, { upnlUsd: risk.positions.reduce((sum, p) => sum + p.upnlUsd, 0n), reward });
        return chargedLedger(account.address, keeper, risk, reward);
      },
      taken,
      // The log reads the positions of the rows it took from their objects: replayed before they are restored.
      beforeTransaction: () => {
        replayKeeperLog(state, keeperLog);
        restore();
      },
    });
  // A collateral no market shares a feed with keeps its price through the cascade (runCascade
  // moves marks and the collaterals on their feeds only): it needs neither budget nor trigger
  // (FIXED). One on the feed of exactly one market is set with its mark (setMark), so its value
  // per unit is κ_c times the mark, κ_c = weight / 10^decimals: its slope joins the mark's
  // (`joined`: that market), decided in the first round and checked every round after. Else OWN.
  const joined = new Int32Array(nC).fill(OWN);
  const unitRatio = new Float64Array(nC);
  const joinPrices = (screen: MarginScreen) => {
    s.collaterals.forEach((c, i) => {
      const on = s.markets.flatMap((m, index) => (m.feedId === c.feedId ? [index] : []));
      joined[i] = on.length === 0 ? FIXED : on.length === 1 && s.markets[on[0]!]!.markPriceWad === c.priceWad && screen.markUsd[on[0]!]! > 0 ? on[0]! : OWN;
      if (joined[i]! >= 0) unitRatio[i] = screen.collateralUsd[i]! / screen.markUsd[joined[i]!]!;
    });
  };
  const checkJoined = () => {
    for (let c = 0; c < nC; c++) {
      const m = joined[c]!;
      if (m >= 0 && s.collaterals[c]!.priceWad !== s.markets[m]!.markPriceWad) throw new Error(`cascade: collateral ${s.collaterals[c]!.symbol} left the mark of market ${m}, whose triggers it joined`);
    }
  };
  const slopes = new Float64Array(dims);
  const slack = new Float64Array(dims);
  const budgets = new Float64Array(1);
  let round = 0;

  const price = (screen: MarginScreen, d: number) => (d < nM ? screen.markUsd[d]! : screen.collateralUsd[d - nM]!);

  function revalue(row: number, screen: MarginScreen, safe: number[]) {
    rowState[4 * row + VERSION]!++;
    rowState[4 * row + PARKED] = 0;
    // The columns of every row a liquidation touched are rewritten before it is re-valued: they hold its positions.
    screenPackedMargin(packed, row, screen);
    const d = screen.margin;
    if (!screen.positions) return void unlist(row);
    const bound = screenBound(screen);
    if (d < -bound || (d <= bound && exactVerdict(columnar, row, screen) < 0)) {
      list(row);
      // Proven bankrupt (its equity's D̃ + ε below 0), a liquidatable row pays its keeper nothing:
      // dust while the gas costs anything, until prices move its way. It is parked — left listed,
      // neither re-valued nor screened for dust each round — behind triggers on the moves that
      // raise its equity, budgeted from −(D̃ + ε) as the header's from D̃ − ε.
      if (gasUsd > 0n) {
        screenPackedMargin(packed, row, equity);
        const e = equity.margin;
        const eBound = screenBound(equity);
        if (e < -eBound) {
          rowState[4 * row + PARKED] = 1;
          budgets[0] = (-e - eBound) * BUDGET;
          arm(row, equity, -1);
        }
      }
      return;
    }
    // Only a change from liquidatable to safe is news to the keeper's clock.
    if (unlist(row)) safe.push(row);
    budgets[0] = d > bound ? (d - bound) * BUDGET : 0;
    arm(row, screen, 1);
  }

  /**
   * Sets `row`'s triggers at the current version: the prices past which the moves that lower its
   * margin on `screen` (`against` 1; −1: the moves that raise it) may have spent the budget in
   * `budgets[0]` (handed over in an array: a double passed to a call that is not inlined is a heap
   * allocation, millions of them in a cascade).
   */
  function arm(row: number, screen: MarginScreen, against: 1 | -1) {
    const budget = budgets[0]!;
    const rowVersion = rowState[4 * row + VERSION]!;
    const at = row * stride;
    for (let m = 0; m < nM; m++) {
      const size = packedValues[at + 1 + nC + 2 * m]!;
      const mm = Math.abs(size) * screen.mmr[m]!;
      slopes[m] = against * (size - mm);
      // s − |s|·mmr cancels when mmr is near 1: its float is only good to SLOPE_ERROR·(|s| + |s|·mmr).
      slack[m] = SLOPE_ERROR * (Math.abs(size) + mm);
    }
    for (let c = 0; c < nC; c++) {
      const k = nM + c;
      const m = joined[c]!;
      slopes[k] = 0;
      slack[k] = 0;
      if (m === FIXED) continue;
      const slope = against * packedValues[at + 1 + c]!;
      if (m === OWN) {
        slopes[k] = slope;
        continue;
      }
      // Its value moves with its market's mark (κ_c per unit of it): its slope joins the mark's.
      const v = slope * unitRatio[c]!;
      slack[m] = slack[m]! + JOIN_ERROR * (Math.abs(slopes[m]!) + Math.abs(v));
      slopes[m] = slopes[m]! + v;
    }
    // Weights of the prices a fall hurts and of those a rise hurts (a slope of uncertain sign is in both).
    let fallWeight = 0;
    let riseWeight = 0;
    for (let k = 0; k < dims; k++) {
      const w = (Math.abs(slopes[k]!) + slack[k]!) * price(screen, k);
      if (slopes[k]! + slack[k]! > 0) fallWeight += w;
      if (slopes[k]! - slack[k]! < 0) riseWeight += w;
    }
    // The budget split between the two directions (mostly to the one the path moves in), then
    // spread so that every price may move by the same fraction of itself in its direction.
    const fallShare = riseWeight === 0 ? 1 : fallWeight === 0 ? 0 : pathFallShare;
    const fallFraction = fallWeight > 0 ? (budget * fallShare) / fallWeight : 0;
    const riseFraction = riseWeight > 0 ? (budget * (1 - fallShare)) / riseWeight : 0;
    for (let k = 0; k < dims; k++) {
      const slope = slopes[k]!;
      if (slope === 0 && slack[k] === 0) continue;
      const p = price(screen, k);
      if (slope + slack[k]! > 0) pushTrigger(queues[2 * k]!, p - Math.max(0, (fallFraction - BUMP) * Math.abs(p)), row, rowVersion);
      if (slope - slack[k]! < 0) pushTrigger(queues[2 * k + 1]!, -(p + Math.max(0, (riseFraction - BUMP) * Math.abs(p))), row, rowVersion);
    }
  }

  const scan: CascadeScan = () => {
    const screen = prepareMarginScreen(s);
    equity = prepareMarginScreen(s, { maintenance: false });
    const safe: number[] = [];
    round++;
    // The first round re-values every row, in order; nothing else is pending yet.
    if (round === 1) {
      joinPrices(screen);
      for (let row = 0; row < rows; row++) if (row !== keeperIndex) revalue(row, screen, safe);
    } else {
      checkJoined();
      revalueReached(screen, safe);
    }
    const liquidatable = listed.slice(0, listedCount).sort();
    // A row the float proves dust (its reward now below the gas) needs no exact risk (runCascade
    // takes its notional when it counts); one it proves solvent and paying, none this round.
    rewards = prepareRewardScreen(s, gasUsd);
    return { liquidatable, safe, riskOf: (i) => (provenDust(liquidatable[i]!) ? null : computeAccountRisk(s, s.accounts[liquidatable[i]!]!)) };
  };

  /** Re-values, in row order, every row a liquidation touched or a price move reached since the last round, and every listed one. */
  function revalueReached(screen: MarginScreen, safe: number[]) {
    candidateCount = 0;
    const consider = (row: number) => {
      if (row >= rows || row === keeperIndex || rowState[4 * row + SEEN] === round) return;
      rowState[4 * row + SEEN] = round;
      candidates[candidateCount++] = row;
    };
    // A trigger set before the row's last re-valuation is stale: that re-valuation set new ones.
    const considerCurrent = (row: number, rowVersion: number) => {
      if (rowVersion === rowState[4 * row + VERSION]) consider(row);
    };
    for (const row of dirty) {
      if (row < rows && row !== keeperIndex) {
        const account = s.accounts[row]!;
        // A row left without positions (liquidated) is only ever asked whether it has any: the flag
        // is enough (its cash and balances are never read again; positions would come back only
        // through a trade, which touches the row again).
        cleared.cleared[row] = account.positions.length === 0 ? 1 : 0;
        if (account.positions.length > 0) {
          setColumnarAccount(own(), row, account);
          repackMarginRow(packed, columnar, row);
        } else {
          // Without positions it is only unlisted (what a re-valuation would find), its triggers made stale.
          rowState[4 * row + VERSION]!++;
          rowState[4 * row + SEEN] = round;
          unlist(row);
          continue;
        }
      }
      consider(row);
    }
    dirty.clear();
    // A row liquidated beside the columns holds no position: it is only unlisted (a re-valuation
    // would find just that), its triggers made stale.
    for (const row of moved) {
      if (rowState[4 * row + SEEN] === round) continue;
      rowState[4 * row + VERSION]!++;
      unlist(row);
    }
    moved.length = 0;
    for (let i = 0; i < listedCount; i++) if (rowState[4 * listed[i]! + PARKED] === 0) consider(listed[i]!);
    for (let k = 0; k < dims; k++) {
      const p = price(screen, k);
      drainTriggers(queues[2 * k]!, p, considerCurrent);
      drainTriggers(queues[2 * k + 1]!, -p, considerCurrent);
    }
    // In row order: each re-valuation reads a dozen columns at its row, and ascending rows walk
    // them forwards (nearby rows share cache lines) where the drain's order jumps about them. The
    // order changes nothing else: every row is re-valued on its own.
    const ordered = candidates.subarray(0, candidateCount).sort();
    for (let i = 0; i < ordered.length; i++) revalue(ordered[i]!, screen, safe);
  }
  // The round's screens of rewards and equity, set by scan.
  let rewards: RewardScreen;
  let equity: MarginScreen;
  // D̃ − ε of the equity screen at the row provenDust last screened (not parked): what
  // liquidateDirect proves it solvent with (in an array: a double in a closure's variable is boxed anew at every store).
  const equityLow = new Float64Array(1);
  /** Whether the float proves `row`'s keeper reward below the gas now (dust; a parked row is, unread), its reward bounds left in `rewards`. */
  const provenDust = (row: number): boolean => {
    if (rowState[4 * row + PARKED] === 1) return true;
    screenPackedMargin(packed, row, equity);
    const d = equity.margin;
    const bound = screenBound(equity);
    equityLow[0] = d - bound;
    return rewardBelowGasNow(columnar, row, rewards, d + bound) && gasUsd > 0n;
  };

  // The largest Σ notional + #positions the keeper's cash proves it can carry in a round
  // (liquidateBatchInPlace: C ≥ 2·nM + maxImr·(Σ notional + #positions)/1e18 + 1), or −1 when it
  // is not flat: nothing then is liquidated directly.
  const maxImr = s.markets.reduce((m, market) => (market.params.imrWad > m ? market.params.imrWad : m), 0n);
  const carriable = () => {
    const keeper = peekAccount(state, keeperLog.keeper)!;
    if (keeper.positions.length > 0) return -1n;
    const room = (keeper.cashUsd - 2n * BigInt(s.markets.length) - 1n) * WAD + WAD - 1n;
    if (room < 0n) return -1n;
    return maxImr === 0n ? room : room / maxImr;
  };
  let taken = { notionalUsd: 0n, positions: 0 };
  const figures: SolventFigures = { cashUsd: 0n, equityUsd: 0n, notionalUsd: 0n, upnlUsd: 0n, reward: { rawPenaltyUsd: 0n, penaltyUsd: 0n, rewardUsd: 0n } };
  // The exact side of the direct liquidations (solventLedger.ts), settled by flush.
  const ledger = ledgerOf({
    columns: columnar,
    clearedCash: cleared.cashUsd,
    penaltiesWad: s.markets.map((m) => m.params.liquidationPenaltyWad),
    keeperSharesWad: s.markets.map((m) => m.params.keeperShareWad),
    decimals: s.collaterals.map((c) => c.decimals),
    weightsWad: s.collaterals.map((c) => c.params.weightWad),
  });
  let ledgerColumns = columnar;
  let pending = false;
  let addedInRound = -1;
  const batch: number[] = [];
  const liquidateDirect = (rows: ArrayLike<number>, keeper: RoundKeeper): number => {
    const limit = carriable();
    // Compared in float, rounded towards handing over: a row past it, or not proven within it, goes to runCascade.
    const limitAtLeast = limit < 0n ? -1 : Number(limit) * (1 - LOAD_SLACK);
    const blocking = s.markets.some((m) => m.paused || m.unpausedAt !== 0n);
    taken = { notionalUsd: 0n, positions: 0 };
    batch.length = 0;
    let load = 0;
    let handed = rows.length;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (provenDust(row)) {
        keeper.provenDust(row);
        continue;
      }
      // A liquidatable row holds positions: its reward bounds are there.
      const positions = rewards.positions;
      if (paysWithinBounds(rewards, equityLow[0]!)) {
        // Solvent, and its reward pays the gas: its exact figures wait for the ledger.
        load += rewards.notionalHigh + positions;
        if (load > limitAtLeast || (blocking && marketBlocksLiquidation(s, s.accounts[row]!))) {
          handed = i;
          break;
        }
        if (!keeper.decide(row, gasUsd, 0n)) continue;
      } else {
        solventFiguresOfRow(s, columnar, row, figures);
        const { reward, notionalUsd } = figures;
        if (reward.rewardUsd >= gasUsd) {
          // Due, or waiting: one that would go the whole way (bankrupt, held by a market, or past
          // what the keeper is proven to carry) is left, with the rest, to runCascade.
          load += Number(notionalUsd) * (1 + LOAD_SLACK) + positions;
          if (figures.equityUsd < 0n || load > limitAtLeast || marketBlocksLiquidation(s, s.accounts[row]!)) {
            handed = i;
            break;
          }
        }
        if (!keeper.decide(row, reward.rewardUsd, notionalUsd)) continue;
      }
      taken.positions += positions;
      keeper.liquidated();
      takeDirect(row);
      batch.push(row);
    }
    if (batch.length > 0) {
      ledger.add(batch, s.markets.map((m) => m.markPriceWad), s.collaterals.map((c) => c.priceWad), columnar === ledgerColumns ? undefined : (ledgerColumns = columnar));
      pending = true;
      addedInRound = round;
    }
    return handed;
  };
  /** liquidateSolventRow's side of a direct liquidation on this thread: the row cleared, the keeper's takeover logged (its reward comes with the ledger's totals). */
  const takeDirect = (row: number) => {
    logTakeover(keeperLog, 0n, row, s.markets);
    // Its sizes from the columns the round just read, not from the account's object elsewhere in memory.
    for (let m = 0; m < nM; m++) if (columnar.sizeBase[m]!.hi[row] !== 0) addRoundSizeAt(keeperLog, m, columnar.sizeBase[m]!, row);
    cleared.cleared[row] = 1;
    cleared.rows.push(row);
    moved.push(row);
  };
  const flush = () => {
    if (!pending) return undefined;
    pending = false;
    const totals = ledger.flush();
    s.reserves.insuranceFundUsd += totals.insuranceUsd;
    keeperLog.rewardUsd += totals.rewardUsd;
    s.markets.forEach((m, i) => {
      m.longOpenInterestBase -= totals.openInterest.longBase[i]!;
      m.shortOpenInterestBase -= totals.openInterest.shortBase[i]!;
    });
    if (addedInRound === round) taken.notionalUsd = totals.batchNotionalUsd;
    return totals;
  };
  const markStep = () => {
    if (pending) ledger.mark();
    return pending;
  };
  return {
    scan,
    liquidate,
    liquidateDirect,
    flush,
    markStep,
    unwindKeeper: () => unwindLoggedKeeper(state, keeperLog),
    release: () => void (spare = scratch),
    settle: () => restoreAccountObjects(state, cleared, { final: true }),
  };
}

/**
 * A cascade's per-row arrays and trigger queues, kept for the next cascade: at 1,000,000
 * accounts they are ~300 MB of typed arrays with the queues grown, which V8 counts towards its
 * old generation, so every run's new set forced mark-compacts of the whole heap (~0.4 s each with
 * a million account objects in it). One spare set is kept, taken by a cascade it is big enough for.
 */
interface CascadeScratch {
  queues: TriggerQueue[];
  /** Per row, side by side (one cache line for what a re-valuation reads and writes): VERSION, SEEN, LISTED_AT, PARKED. */
  state: Int32Array;
  listed: Int32Array;
  candidates: Int32Array;
  packed?: PackedMarginRows;
}

// A row's fields in CascadeScratch.state: its triggers' version; the round it was last taken as a
// candidate; its place in `listed` + 1 (0: not listed); 1 when parked as bankrupt dust (revalue).
const VERSION = 0;
const SEEN = 1;
const LISTED_AT = 2;
const PARKED = 3;

let spare: CascadeScratch | undefined;

function takeScratch(rows: number, queueCount: number): CascadeScratch {
  const kept = spare;
  if (!kept || kept.listed.length < rows || kept.queues.length !== queueCount) {
    return { queues: Array.from({ length: queueCount }, () => createTriggerQueue()), state: new Int32Array(4 * rows), listed: new Int32Array(rows), candidates: new Int32Array(rows) };
  }
  spare = undefined;
  for (const q of kept.queues) resetTriggerQueue(q);
  kept.state.fill(0);
  return kept;
}
