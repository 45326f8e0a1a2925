/**
 * The demo market's plan: who deposits what and who trades what, as plain data, before any
 * transaction is sent. Pure and deterministic: the same seed and the same market parameters
 * give the same plan, so `npm run chain` builds the same market on every machine.
 *
 * How the market is shaped (all figures USD):
 * - equity per retail account is log-normal (median ≈ $6k, σ = 1.25), clamped to [$150, $1.5M];
 * - each account uses a share u of its equity as initial margin (IM = u · equity): most
 *   between 5 % and 60 %, a tail between 85 % and 98 % — with mmr = imr / 2 those sit within
 *   ~5 % of their liquidation price, the accounts a delegate should worry about;
 * - one to three markets per account, ETH most popular, longs slightly over half;
 * - a few whales hold 88–97 % of a market's concentration limit (concentrationCap · oiCap);
 * - longs and shorts are matched against each other like an order book would; what one side
 *   has in excess is taken by three market makers with deep USDC collateral;
 * - every market's long open interest is scaled to `targetOiShare` of its cap.
 */

import { keccak256, stringToHex } from "viem";
import { seededRandom, type Random } from "../../engine/math/random.ts";

const SIZE_STEP = 10n ** 14n; // sizes are whole multiples of 0.0001 base units

export interface PlanMarket {
  id: number;
  markPriceWad: bigint;
  imrWad: bigint;
  oiCapUsd: bigint;
  concentrationCapWad: bigint;
  /** Relative popularity (share of accounts that trade it). */
  popularity: number;
}

export interface PlanCollateral {
  id: number;
  decimals: number;
  priceWad: bigint;
  weightWad: bigint;
}

export interface PlanInput {
  seed: number;
  accounts: number;
  markets: PlanMarket[];
  /** Asset 0 is the quote token (USDC); the second is the volatile collateral (WETH). */
  collaterals: [PlanCollateral, PlanCollateral];
  /** Long open interest as a share of each market's cap after scaling, e.g. 0.65. */
  targetOiShare: number;
  whales: number;
}

export interface PlannedDeposit {
  account: `0x${string}`;
  assetId: number;
  amountNative: bigint;
}

export interface PlannedTrade {
  taker: `0x${string}`;
  maker: `0x${string}`;
  marketId: number;
  sizeDeltaBase: bigint;
}

export interface SeedPlan {
  deposits: PlannedDeposit[];
  trades: PlannedTrade[];
  accounts: `0x${string}`[];
  marketMakers: `0x${string}`[];
  whales: `0x${string}`[];
  /** Σ deposits per asset, in the asset's own units: what the seeder must hold. */
  totalsNative: bigint[];
}

interface Intent {
  address: `0x${string}`;
  equityUsd: number;
  sizes: Map<number, number>; // marketId → signed size in base units (float, before rounding)
  whale: boolean;
}

/**
 * A deterministic address for demo account `i` (lower-case hex, as the engine keys accounts).
 * No key exists for it: the settlement operator (MATCHER_ROLE) deposits and trades for it.
 */
export function demoAccountAddress(i: number): `0x${string}` {
  return `0x${keccak256(stringToHex(`backstop-demo-account-${i}`)).slice(26)}`;
}

function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

function pickMarkets(rng: Random, markets: PlanMarket[]): PlanMarket[] {
  const count = rng.next() < 0.7 ? 1 : rng.next() < 0.83 ? 2 : 3;
  const pool = [...markets];
  const chosen: PlanMarket[] = [];
  while (chosen.length < Math.min(count, markets.length)) {
    const total = pool.reduce((s, m) => s + m.popularity, 0);
    let r = rng.next() * total;
    const index = pool.findIndex((m) => (r -= m.popularity) < 0);
    chosen.push(...pool.splice(index === -1 ? pool.length - 1 : index, 1));
  }
  return chosen;
}

function marginUsage(rng: Random): number {
  const r = rng.next();
  if (r < 0.08) return 0.85 + rng.next() * 0.13; // the tail close to liquidation
  if (r < 0.2) return 0.6 + rng.next() * 0.25;
  return 0.05 + rng.next() * 0.55;
}

const toWadNumber = (x: bigint) => Number(x) / 1e18;

function retailIntent(rng: Random, i: number, markets: PlanMarket[]): Intent {
  const equityUsd = Math.min(1.5e6, Math.max(150, logNormal(rng, 6000, 1.25)));
  const chosen = pickMarkets(rng, markets);
  const usage = marginUsage(rng);
  const sizes = new Map<number, number>();
  for (const m of chosen) {
    const imBudget = (usage * equityUsd) / chosen.length;
    const notional = imBudget / toWadNumber(m.imrWad);
    const side = rng.next() < 0.54 ? 1 : -1;
    sizes.set(m.id, (side * notional) / toWadNumber(m.markPriceWad));
  }
  return { address: demoAccountAddress(i), equityUsd, sizes, whale: false };
}

function whaleIntent(rng: Random, i: number, market: PlanMarket): Intent {
  const maxNotional = toWadNumber(market.concentrationCapWad) * toWadNumber(market.oiCapUsd);
  const notional = maxNotional * (0.88 + rng.next() * 0.09);
  const leverage = 2 + rng.next() * 2;
  const side = rng.next() < 0.5 ? 1 : -1;
  return {
    address: demoAccountAddress(i),
    equityUsd: notional / leverage,
    sizes: new Map([[market.id, (side * notional) / toWadNumber(market.markPriceWad)]]),
    whale: true,
  };
}

function roundSize(size: number): bigint {
  const steps = BigInt(Math.round(Math.abs(size) * 1e4));
  return (size < 0 ? -steps : steps) * SIZE_STEP;
}

/** Turns a USD amount into collateral deposits: mostly USDC, some WETH, some both. */
function planDeposits(rng: Random, intent: Intent, input: PlanInput): PlannedDeposit[] {
  const [usdc, weth] = input.collaterals;
  const r = rng.next();
  const wethShare = intent.whale ? 0.3 : r < 0.7 ? 0 : r < 0.9 ? 1 : 0.5;
  const deposits: PlannedDeposit[] = [];
  const add = (asset: PlanCollateral, usd: number) => {
    if (usd <= 0) return;
    const valuePerToken = toWadNumber(asset.priceWad) * toWadNumber(asset.weightWad);
    const amount = BigInt(Math.ceil((usd / valuePerToken) * 10 ** Math.min(asset.decimals, 6))) *
      10n ** BigInt(Math.max(asset.decimals - 6, 0));
    deposits.push({ account: intent.address, assetId: asset.id, amountNative: amount });
  };
  add(usdc, intent.equityUsd * (1 - wethShare));
  add(weth, intent.equityUsd * wethShare);
  return deposits;
}

/**
 * Matches longs against shorts in account order, like an order book filling resting orders;
 * the excess of one side goes to market makers, each filled to 90 % of the concentration limit
 * before the next one quotes (`makerFor(k)` names the k-th market maker of the whole market).
 */
function matchMarket(
  marketId: number,
  positions: { address: `0x${string}`; sizeBase: bigint }[],
  makerLimitBase: bigint,
  makerFor: (k: number) => `0x${string}`,
): { trades: PlannedTrade[]; makerSizes: Map<`0x${string}`, bigint> } {
  const longs = positions.filter((p) => p.sizeBase > 0).map((p) => ({ ...p }));
  const shorts = positions.filter((p) => p.sizeBase < 0).map((p) => ({ ...p, sizeBase: -p.sizeBase }));
  const trades: PlannedTrade[] = [];
  let l = 0;
  let s = 0;
  while (l < longs.length && s < shorts.length) {
    const long = longs[l]!;
    const short = shorts[s]!;
    const fill = long.sizeBase < short.sizeBase ? long.sizeBase : short.sizeBase;
    trades.push({ taker: long.address, maker: short.address, marketId, sizeDeltaBase: fill });
    long.sizeBase -= fill;
    short.sizeBase -= fill;
    if (long.sizeBase === 0n) l++;
    if (short.sizeBase === 0n) s++;
  }
  const makerSizes = new Map<`0x${string}`, bigint>();
  let k = 0;
  let room = makerLimitBase;
  const rest = [...longs.slice(l).map((p) => ({ ...p, sign: 1n })), ...shorts.slice(s).map((p) => ({ ...p, sign: -1n }))];
  for (const p of rest) {
    let left = p.sizeBase;
    while (left > 0n) {
      if (room === 0n) {
        k++;
        room = makerLimitBase;
      }
      const fill = left < room ? left : room;
      const maker = makerFor(k);
      trades.push({ taker: p.address, maker, marketId, sizeDeltaBase: p.sign * fill });
      makerSizes.set(maker, (makerSizes.get(maker) ?? 0n) - p.sign * fill);
      left -= fill;
      room -= fill;
    }
  }
  return { trades, makerSizes };
}

/** Builds the whole plan. Throws if the market parameters cannot hold the requested market. */
export function planSeed(input: PlanInput): SeedPlan {
  const rng = seededRandom(input.seed);
  const intents: Intent[] = [];
  for (let i = 0; i < input.accounts; i++) {
    const whaleMarket = i < input.whales ? input.markets[i % input.markets.length] : undefined;
    intents.push(whaleMarket ? whaleIntent(rng, i, whaleMarket) : retailIntent(rng, i, input.markets));
  }

  // Scale retail sizes (and equity with them, leverage unchanged) so every market's long OI
  // lands on its target share of the cap. Markets are scaled in turn; an account in several
  // markets keeps the smallest factor so its margin usage never rises.
  const factor = new Map<number, number>();
  for (const m of input.markets) {
    // Open interest is the larger side (the market makers fill whatever the other lacks), so
    // pick f with max(retailLong·f + whaleLong, retailShort·f + whaleShort) = target.
    const sideNotional = (whale: boolean, side: 1 | -1) =>
      intents
        .filter((x) => x.whale === whale)
        .reduce((sum, x) => sum + Math.max(0, side * (x.sizes.get(m.id) ?? 0)), 0) * toWadNumber(m.markPriceWad);
    const target = input.targetOiShare * toWadNumber(m.oiCapUsd);
    const perSide = ([1, -1] as const).map((side) => {
      const retail = sideNotional(false, side);
      return retail > 0 ? Math.max(0, target - sideNotional(true, side)) / retail : Infinity;
    });
    const f = Math.min(...perSide);
    factor.set(m.id, Number.isFinite(f) ? f : 1);
  }
  // No retail account comes within 10 % of a concentration limit: that is the whales' story.
  const limitUsd = new Map(input.markets.map((m) => [m.id, 0.9 * toWadNumber(m.concentrationCapWad) * toWadNumber(m.oiCapUsd)]));
  const markUsd = new Map(input.markets.map((m) => [m.id, toWadNumber(m.markPriceWad)]));
  for (const x of intents) {
    if (x.whale) continue;
    let f = Math.min(...[...x.sizes.keys()].map((id) => factor.get(id) ?? 1));
    for (const [id, size] of x.sizes) f = Math.min(f, limitUsd.get(id)! / (Math.abs(size) * markUsd.get(id)!));
    x.equityUsd *= f;
    for (const [id, size] of x.sizes) x.sizes.set(id, size * f);
  }

  const marketMakers: `0x${string}`[] = [];
  const makerFor = (k: number) => {
    while (marketMakers.length <= k) marketMakers.push(demoAccountAddress(input.accounts + marketMakers.length));
    return marketMakers[k]!;
  };
  makerFor(2); // at least three market makers quote every market
  const deposits: PlannedDeposit[] = intents.flatMap((x) => planDeposits(rng, x, input));
  const trades: PlannedTrade[] = [];
  const makerNotional = new Map<`0x${string}`, number>();
  for (const m of input.markets) {
    const positions = intents
      .filter((x) => x.sizes.has(m.id))
      .map((x) => ({ address: x.address, sizeBase: roundSize(x.sizes.get(m.id)!) }))
      .filter((p) => p.sizeBase !== 0n);
    const limitUsd = 0.9 * toWadNumber(m.concentrationCapWad) * toWadNumber(m.oiCapUsd);
    const matched = matchMarket(m.id, positions, roundSize(limitUsd / toWadNumber(m.markPriceWad)), makerFor);
    for (const trade of matched.trades) trades.push(trade); // not push(...): a million-account plan overflows the stack
    for (const [maker, size] of matched.makerSizes) {
      const notional = toWadNumber(size < 0n ? -size : size) * toWadNumber(m.markPriceWad);
      makerNotional.set(maker, (makerNotional.get(maker) ?? 0) + notional);
    }
  }
  // Market makers run at 4× leverage on USDC (IM of every market is at most 25 %), and hold
  // at least $250k so a balanced market still has a quote.
  const usdc = input.collaterals[0];
  for (const account of marketMakers) {
    const usd = Math.ceil(Math.max(makerNotional.get(account) ?? 0, 1e6) / 4);
    deposits.push({ account, assetId: usdc.id, amountNative: BigInt(usd) * 10n ** BigInt(usdc.decimals) });
  }

  const totalsNative = input.collaterals.map((c) =>
    deposits.filter((d) => d.assetId === c.id).reduce((sum, d) => sum + d.amountNative, 0n),
  );
  return {
    deposits,
    trades,
    accounts: [...intents.map((x) => x.address), ...marketMakers],
    marketMakers,
    whales: intents.filter((x) => x.whale).map((x) => x.address),
    totalsNative,
  };
}

