/**
 * Dust, exactly and at float speed: the rows holding positions whose keeper reward at
 * maintenance (keeperReward with atMaintenance: equity = MM, the moment a keeper first can
 * liquidate) is below the gas of one liquidation — no rational keeper will ever take them.
 *
 *   n_m = floor(|s_m|·mark_m/1e18)     pen_m = floor(n_m·penalty_m)     keep_m = floor(pen_m·share_m)
 *   RP = Σ pen_m   RK = Σ keep_m   MM = Σ ceil(n_m·mmr_m)
 *   reward = floor(RK · min(RP, MM) / RP)  (0 when RP = 0 or MM = 0)        dust ⇔ reward < gas
 *
 * In float every n_m is within 4u (relative) and 1 wei of ñ = |hi(s)|·(mark/1e18); each later
 * product adds 2u for its ratio and 1u for itself, each floor or ceil up to 1 wei. Carrying
 * lower and upper ends through (relative slack e = 2⁻⁴⁸ per step, far above those u, and the
 * wei), reward ∈ [RK_lo·min(1, MM_lo/RP_hi) − 1, RK_hi·min(1, MM_hi/RP_lo)], since
 * RK·min(1, MM/RP) grows with RK and MM and falls with RP. A row whose interval lies wholly
 * below gas is dust, wholly at or above it is not; the few in between go to the bigint engine.
 * Where every penalty ratio is within its maintenance ratio (validation's rule), RP ≤ MM and the
 * reward is RK ≥ Σ (|s|·mark·pen·share − 3): most rows clear the gas on that sum alone.
 *
 * Example: gas $0.75 (1 gwei × 250k gas at ETH $3,000); a $1,100 ETH long at 2 % penalty and a
 * 50 % keeper share earns $11 at maintenance: not dust, decided by the float alone.
 */

import { columnarAccount, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { keeperReward } from "../liquidation/keeperReward.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import type { Prices } from "./marginScreen.ts";

const E = 2 ** -48;
const down = (x: number) => Math.max(0, x * (1 - E) - 1);
const up = (x: number) => x * (1 + E) + 1;

/**
 * The float figures findDustRows and paysKeeperNow need, prepared once per price vector. Typed
 * arrays, not number[]: an array literal's element kind follows its values (whole numbers, then
 * fractions), so screens of different prices would reach the optimised loops with different maps
 * and deoptimise them, screen after screen.
 */
export interface RewardScreen {
  marks: Float64Array;
  penalties: Float64Array;
  shares: Float64Array;
  mmrs: Float64Array;
  gasUsd: bigint;
  gas: number;
  /** Scratch written by rewardBounds: RP, RK and MM, each as [lower, upper]; Σ notional's upper end and the positions counted. */
  rp: Float64Array;
  rk: Float64Array;
  mm: Float64Array;
  notionalHigh: number;
  positions: number;
}

/** The reward screen of `prices` against a liquidation's gas, `gasUsd` (WAD). */
export function prepareRewardScreen(prices: Prices, gasUsd: bigint): RewardScreen {
  const ratio = (wad: bigint) => Number(wad) / 1e18;
  return {
    marks: Float64Array.from(prices.markets, (m) => ratio(m.markPriceWad)),
    penalties: Float64Array.from(prices.markets, (m) => ratio(m.params.liquidationPenaltyWad)),
    shares: Float64Array.from(prices.markets, (m) => ratio(m.params.keeperShareWad)),
    mmrs: Float64Array.from(prices.markets, (m) => ratio(m.params.mmrWad)),
    gasUsd,
    gas: Number(gasUsd),
    rp: new Float64Array(2),
    rk: new Float64Array(2),
    mm: new Float64Array(2),
    notionalHigh: 0,
    positions: 0,
  };
}

/** Lower and upper ends of RP, RK and MM of `row` into the screen's scratch (with Σ notional's upper end and its positions); false when it holds no position. */
export function rewardBounds(columnar: ColumnarSnapshot, row: number, screen: RewardScreen): boolean {
  const { marks, penalties, shares, mmrs } = screen;
  let positions = 0;
  let notionalHigh = 0;
  let rpLo = 0, rpHi = 0, rkLo = 0, rkHi = 0, mmLo = 0, mmHi = 0;
  for (let m = 0; m < marks.length; m++) {
    const s = columnar.sizeBase[m]!.hi[row]!;
    if (s === 0) continue;
    positions++;
    const n = Math.abs(s) * marks[m]!;
    const nLo = down(n), nHi = up(n);
    notionalHigh += nHi;
    const penLo = down(nLo * penalties[m]!), penHi = up(nHi * penalties[m]!);
    rpLo += penLo;
    rpHi += penHi;
    rkLo += down(penLo * shares[m]!);
    rkHi += up(penHi * shares[m]!);
    mmLo += down(nLo * mmrs[m]!);
    mmHi += up(nHi * mmrs[m]!);
  }
  screen.rp[0] = rpLo;
  screen.rp[1] = rpHi;
  screen.rk[0] = rkLo;
  screen.rk[1] = rkHi;
  screen.mm[0] = mmLo;
  screen.mm[1] = mmHi;
  screen.notionalHigh = notionalHigh;
  screen.positions = positions;
  return positions > 0;
}

/** Ascending rows with positions whose keeper reward at maintenance is below `gasUsd` (WAD), exactly. */
export function findDustRows(columnar: ColumnarSnapshot, prices: Prices, gasUsd: bigint): Uint32Array {
  const found = new Uint32Array(columnar.count);
  return found.slice(0, scanDust(columnar, prices, prepareRewardScreen(prices, gasUsd), found));
}

/** findDustRows' pass over the rows (a function of its own, optimised whole): the dust rows into `found`, and how many. */
function scanDust(columnar: ColumnarSnapshot, prices: Prices, screen: RewardScreen, found: Uint32Array): number {
  const { rp, rk, mm, gas, gasUsd } = screen;
  const bounds = rewardBounds;
  // Where every penalty ratio is at most its maintenance ratio (as validation requires), RP ≤ MM
  // position by position, so the reward at maintenance is RK itself, and RK ≥ Σ (|s|·mark·pen·share
  // − 3) (three floors): a row whose sum clears the gas is not dust, read in one product a position.
  const quick = prices.markets.every((m) => m.params.liquidationPenaltyWad <= m.params.mmrWad);
  const keepPerBase = Float64Array.from(prices.markets, (_, m) => screen.marks[m]! * screen.penalties[m]! * screen.shares[m]! * (1 - E));
  const clears = gas * (1 + E);
  const sizes = columnar.sizeBase.map((column) => column.hi);
  let count = 0;
  for (let row = 0; row < columnar.count; row++) {
    if (quick) {
      let keepLo = 0;
      for (let m = 0; m < sizes.length; m++) {
        const size = sizes[m]![row]!;
        if (size !== 0) keepLo += Math.abs(size) * keepPerBase[m]! - 3;
      }
      if (keepLo >= clears && keepLo > 0) continue;
    }
    if (!bounds(columnar, row, screen)) continue;
    const rewardHi = up(rp[0]! > 0 ? up(rk[1]!) * Math.min(1, up(mm[1]!) / down(rp[0]!)) : up(rk[1]!));
    const rewardLo = rp[0]! > 0 && mm[0]! > 0 ? down(down(rk[0]!) * Math.min(1, down(mm[0]!) / up(rp[1]!))) : 0;
    let dust: boolean;
    if (rewardHi < gas * (1 - E)) dust = true;
    else if (rewardLo >= gas * (1 + E)) dust = false;
    else dust = keeperReward(prices, computeAccountRisk(prices, columnarAccount(columnar, row)), { atMaintenance: true }).rewardUsd < gasUsd;
    if (dust) found[count++] = row;
  }
  return count;
}

/**
 * True when the float proves that liquidating `row` now pays its keeper at least the gas: its
 * equity (at least `equityLowUsd`, e.g. D̃ − ε of the equity screen) covers the raw penalty, so
 * penalty = RP and reward = RK, and RK's lower end is at or above the gas. False means only that
 * the float cannot tell: the bigint engine must.
 *
 * Example: a $10k ETH long at 2 % penalty, 50 % keeper share, $250 of equity left: RP = $200 ≤
 * $250, reward = RK = $100 ≥ $0.75 of gas.
 */
export function paysKeeperNow(columnar: ColumnarSnapshot, row: number, screen: RewardScreen, equityLowUsd: number): boolean {
  return rewardBounds(columnar, row, screen) && paysWithinBounds(screen, equityLowUsd);
}

/** paysKeeperNow on the bounds rewardBounds last left in `screen`. */
export function paysWithinBounds(screen: RewardScreen, equityLowUsd: number): boolean {
  return equityLowUsd * (1 - E) - 1 >= up(screen.rp[1]!) && down(screen.rk[0]!) >= screen.gas * (1 + E);
}

/**
 * True when the float proves that liquidating `row` now pays its keeper less than the gas, its
 * equity being at most `equityHighUsd` (e.g. D̃ + ε of the equity screen): the reward,
 * floor(RK·min(RP, max(equity, 0))/RP), is then at most RK·min(1, equity/RP), or 0 when equity
 * ≤ 0. False means only that the float cannot tell.
 *
 * Example: a $400 SOL long at 4 % penalty, 50 % keeper share, equity $3: RP = $16, RK = $8,
 * reward ≤ $8 · 3/16 = $1.50 < $5 of gas: dust, without the bigint engine.
 */
export function rewardBelowGasNow(columnar: ColumnarSnapshot, row: number, screen: RewardScreen, equityHighUsd: number): boolean {
  return rewardBounds(columnar, row, screen) && belowGasWithinBounds(screen, equityHighUsd);
}

/** rewardBelowGasNow on the bounds rewardBounds last left in `screen`. */
export function belowGasWithinBounds(screen: RewardScreen, equityHighUsd: number): boolean {
  const gas = screen.gas * (1 - E);
  if (equityHighUsd <= 0) return gas > 0;
  const rewardHi = screen.rp[0]! > 0 ? up(up(screen.rk[1]!) * Math.min(1, up(equityHighUsd) / down(screen.rp[0]!))) : up(screen.rk[1]!);
  return rewardHi < gas;
}
