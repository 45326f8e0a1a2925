/**
 * Default-fund adequacy, the way clearinghouses are held to it (CPMI-IOSCO "Cover-1 / Cover-2"):
 * under an extreme but plausible move, the loss to the reserves if the one (two) accounts that
 * would lose most defaulted, against the default fund (and the insurance fund in front of it).
 *
 *   deficit_i(shock) = max(0, −equity_i at shocked marks)        (after its own collateral)
 *   Cover-N          = Σ of the N largest deficit_i, each account at its worse of the up and
 *                      the down move
 *   coverage         = (insurance fund + default fund) ÷ Cover-2
 *
 * Marks move by `shock[marketId]` (fractions, e.g. −0.5); collateral priced off the same asset
 * (WETH for ETH) moves with it. Example: two accounts long $1M ETH on $200k equity each, a −50 %
 * move: each loses $500k, deficit $300k → Cover-1 $300k, Cover-2 $600k.
 */

import { columnarOf } from "../columnar/columnarOf.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { changedRowsSince } from "../margin/pricingOf.ts";
import type { ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import { prepareMarginScreen, screenBound, screenMargin, type Prices } from "../screen/marginScreen.ts";
import type { ProtocolSnapshot } from "../types.ts";

export interface CoverResult {
  shock: number[];
  cover1Usd: bigint;
  cover2Usd: bigint;
  /** The accounts behind Cover-2, largest deficit first, with the direction that hurts them. */
  largest: { address: `0x${string}`; deficitUsd: bigint; direction: "down" | "up" }[];
  reservesUsd: bigint;
  /** (insurance + default fund) ÷ Cover-2; Infinity when Cover-2 is zero. */
  coverage: number;
}

const SCALE = 1_000_000n;

/** The snapshot (or prices) with each market's mark (and collateral sharing its feed) moved by `shock`. */
export function shockMarks<T extends Prices>(snapshot: T, shock: readonly number[]): T {
  const factor = (move: number) => BigInt(Math.round((1 + move) * 1e6));
  const feeds = new Map<string, bigint>();
  const markets = snapshot.markets.map((m, i) => {
    const f = factor(shock[i] ?? 0);
    feeds.set(m.feedId, f);
    return { ...m, markPriceWad: (m.markPriceWad * f) / SCALE };
  });
  const collaterals = snapshot.collaterals.map((c) => {
    const f = feeds.get(c.feedId);
    return f === undefined ? c : { ...c, priceWad: (c.priceWad * f) / SCALE };
  });
  return { ...snapshot, markets, collaterals };
}

/** What Cover keeps of each row, to follow the next block from (followCover): the bounds [low, high] of its deficit under the shock (0 without a position). */
export interface CoverRows {
  accounts: ProtocolSnapshot["accounts"];
  /** The shock the bounds are for. */
  shock: string;
  low: Float64Array;
  high: Float64Array;
}

/** The shock's two moves: every mark down by |shock|, and up. */
const shockedBothWays = <T extends Prices>(prices: T, shock: readonly number[]): [down: T, up: T] => [shockMarks(prices, shock.map((s) => -Math.abs(s))), shockMarks(prices, shock.map((s) => Math.abs(s)))];

/**
 * Bounds `list`'s rows' deficits (every row of `columnar` when null) into `low` and `high`: each
 * account with positions through the float screen (marginScreen.ts, λ = 0) at the shocked marks
 * down and up, whose proven bounds give its worse equity within [min(D̃↓ − ε↓, D̃↑ − ε↑),
 * min(D̃↓ + ε↓, D̃↑ + ε↑)] and so its deficit within [low, high].
 */
function boundDeficits(lows: Float64Array, highs: Float64Array, columnar: ColumnarSnapshot, down: Prices, up: Prices, list: ArrayLike<number> | null): void {
  const [atDown, atUp] = [prepareMarginScreen(down, { maintenance: false }), prepareMarginScreen(up, { maintenance: false })];
  const [margin, bound] = [screenMargin, screenBound];
  const n = list ? list.length : columnar.count;
  for (let i = 0; i < n; i++) {
    const row = list ? list[i]! : i;
    // Whether the row has positions, from its columns (the screen counts them): not its account object, a cache miss a row at 1,000,000.
    const d = margin(columnar, row, atDown);
    if (!atDown.positions) {
      lows[row] = highs[row] = 0;
      continue;
    }
    const e = bound(atDown);
    const u = margin(columnar, row, atUp);
    const f = bound(atUp);
    lows[row] = Math.max(0, -Math.min(d + e, u + f));
    highs[row] = Math.max(0, -Math.min(d - e, u - f));
  }
}

/**
 * Every row's deficit bounds under `shock` at `prices`, into `low` and `high` (followCover's from
 * scratch): for a caller that bounds them on another thread, from the block's columns alone, and
 * hands them to followCover (`bounded`).
 */
export function boundEveryDeficit(columnar: ColumnarSnapshot, prices: Prices, shock: readonly number[], low: Float64Array, high: Float64Array): void {
  const [down, up] = shockedBothWays({ markets: prices.markets, collaterals: prices.collaterals }, shock);
  boundDeficits(low, high, columnar, down, up, null);
}

/**
 * Cover-1/2 on the columnar path: each account's deficit bounded by the float screen
 * (boundDeficits). Only an account whose `high` reaches the second largest `low` can be one of
 * the two largest: those (a handful) are valued by the bigint engine, as every account once was,
 * and ranked as before (deficit descending, ties by address) — the same figures.
 */
export function computeCover(snapshot: ProtocolSnapshot, shock: readonly number[]): CoverResult {
  return followCover(snapshot, shock).cover;
}

/**
 * computeCover of `snapshot`, and its rows to follow the next block from. From `last` (the
 * previous block's snapshot and rows) under the same shock and pricing, only the changed and new
 * rows are bounded again (changedRowsSince; `last.rows` reused in place); from scratch otherwise (into
 * `last.rows`' arrays when they have the room), or from `bounded` when given: every row's bounds
 * under this shock at this snapshot's prices (boundEveryDeficit's).
 */
export function followCover(
  snapshot: ProtocolSnapshot,
  shock: readonly number[],
  last?: { snapshot: ProtocolSnapshot; rows: CoverRows },
  { maxChanged = Math.floor(snapshot.accounts.length / 4), bounded }: { maxChanged?: number; bounded?: { low: Float64Array; high: Float64Array } } = {},
): { cover: CoverResult; rows: CoverRows } {
  const [down, up] = shockedBothWays(snapshot, shock);
  const columnar = columnarOf(snapshot, last?.snapshot);
  const key = shock.join(",");
  const accounts = snapshot.accounts;
  const changed = last && last.rows.shock === key ? changedRowsSince(snapshot, last.snapshot, last.rows.accounts, maxChanged) : undefined;
  let rows: CoverRows;
  if (last && changed) {
    rows = last.rows;
    if (rows.low.length < accounts.length) {
      const capacity = Math.max(accounts.length, Math.ceil(rows.low.length * 1.25));
      const [low, high] = [new Float64Array(capacity), new Float64Array(capacity)];
      low.set(rows.low);
      high.set(rows.high);
      Object.assign(rows, { low, high });
    }
    rows.accounts = accounts;
    boundDeficits(rows.low, rows.high, columnar, down, up, changed);
  } else if (bounded) rows = { accounts, shock: key, low: bounded.low, high: bounded.high };
  else {
    // Every row bounded again: into the last block's arrays when they have the room (they are not read after it; new ones a block were ~15 MB at 1,000,000 accounts).
    const room = last && last.rows.low.length >= accounts.length ? last.rows : undefined;
    rows = { accounts, shock: key, low: room?.low ?? new Float64Array(accounts.length), high: room?.high ?? new Float64Array(accounts.length) };
    boundDeficits(rows.low, rows.high, columnar, down, up, null);
  }
  // The two largest lower bounds: any account whose deficit could be among the two largest reaches the second.
  const { low, high } = rows;
  let first = 0;
  let second = 0;
  for (let row = 0; row < accounts.length; row++) {
    if (low[row]! > first) [first, second] = [low[row]!, first];
    else if (low[row]! > second) second = low[row]!;
  }
  const deficits: CoverResult["largest"] = [];
  for (let row = 0; row < accounts.length; row++) {
    if (!(high[row]! > 0 && high[row]! >= second)) continue;
    const a = accounts[row]!;
    const d = computeAccountRisk(down, a).equityUsd;
    const u = computeAccountRisk(up, a).equityUsd;
    const worse = d < u ? d : u;
    if (worse < 0n) deficits.push({ address: a.address, deficitUsd: -worse, direction: d < u ? "down" : "up" });
  }
  deficits.sort((a, b) => (b.deficitUsd > a.deficitUsd ? 1 : b.deficitUsd < a.deficitUsd ? -1 : a.address < b.address ? -1 : 1));
  const cover1Usd = deficits[0]?.deficitUsd ?? 0n;
  const cover2Usd = cover1Usd + (deficits[1]?.deficitUsd ?? 0n);
  const reservesUsd = snapshot.reserves.insuranceFundUsd + snapshot.reserves.defaultFundUsd;
  const cover = {
    shock: [...shock],
    cover1Usd,
    cover2Usd,
    largest: deficits.slice(0, 2),
    reservesUsd,
    coverage: cover2Usd === 0n ? Infinity : Number((reservesUsd * 10_000n) / cover2Usd) / 10_000,
  };
  return { cover, rows };
}

export interface BankRunExposure {
  unrecognisedDeficitUsd: bigint;
  collateralValueUsd: bigint;
  /** Unrecognised deficit per dollar of collateral: what the last to withdraw stand to lose. */
  deficitPerCollateral: number;
  defaultFundInCooldownUsd: bigint;
  /** Share of default-fund shares waiting out the cooldown. */
  defaultFundInCooldownShare: number;
}

export function computeBankRunExposure(snapshot: ProtocolSnapshot): BankRunExposure {
  let unrecognisedDeficitUsd = 0n;
  let collateralValueUsd = 0n;
  for (const a of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, a);
    collateralValueUsd += risk.collateralValueUsd;
    if (risk.equityUsd < 0n) unrecognisedDeficitUsd -= risk.equityUsd;
  }
  const { defaultFundShares, pendingWithdrawalShares, defaultFundUsd } = snapshot.reserves;
  const defaultFundInCooldownUsd = defaultFundShares === 0n ? 0n : (pendingWithdrawalShares * defaultFundUsd) / defaultFundShares;
  return {
    unrecognisedDeficitUsd,
    collateralValueUsd,
    deficitPerCollateral: collateralValueUsd === 0n ? 0 : Number((unrecognisedDeficitUsd * 1_000_000n) / collateralValueUsd) / 1e6,
    defaultFundInCooldownUsd,
    defaultFundInCooldownShare: defaultFundShares === 0n ? 0 : Number((pendingWithdrawalShares * 1_000_000n) / defaultFundShares) / 1e6,
  };
}
