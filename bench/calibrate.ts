/**
 * `npm run calibrate`: does the preview band contain what then happens? 200 simulated proposals
 * on random demo-like venues (engine/testing's synthetic venues: 2,000 accounts, 5 % near
 * maintenance, WETH collateral on ETH's feed), each a margin increase on one market. For each:
 *
 * 1. history: the demo's own price process (scripts/priceFeed.ts: every 12 s each market's price
 *    × (1 + 0.15 % · z), z independent normals; WETH follows ETH) for 500 ticks, then the band's
 *    volatility and correlation are *measured* from those posts (estimatePriceProcess), as the
 *    page measures them from the oracle;
 * 2. the band at proposal time over the demo's window to execution (1 + 50 voting blocks at 12 s
 *    and the 1-day timelock);
 * 3. what happens: the same demo process run on to execution; the accounts newly liquidatable at
 *    the prices it reaches, counted by the exact engine.
 *
 * JSON lines: how often the 5–95 % band contains the realised count (target 85–95 %), the mean
 * absolute error of the point figure (today's count) and of the band's mean, the median band
 * width; and the time of one preview with the band on 10,000 accounts (budget 500 ms).
 * Fake data only: this measures the method, not a chain.
 */

import { applyChanges, estimatePriceProcess, previewBand, previewChanges, seededRandom, type PricePost, type ProtocolSnapshot } from "../engine/index.ts";
import { syntheticSnapshot } from "../engine/testing/syntheticVenue.ts";

const TICK_SEC = 12;
const STEP_SIGMA = 0.0015;
const HORIZON_SEC = 51 * TICK_SEC + 86_400;

function report(name: string, value: number, unit: string, baseline: number | string | null) {
  console.log(JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, baseline }));
}

/** The demo feed's walk from `start` for `ticks` ticks: every market's price path. */
function demoWalk(start: number[], ticks: number, seed: number): number[][] {
  const rng = seededRandom(seed);
  const paths = start.map((p) => [p]);
  for (let t = 0; t < ticks; t++) paths.forEach((path) => path.push(path.at(-1)! * (1 + STEP_SIGMA * rng.normal())));
  return paths;
}

/** The venue at other marks (WETH on ETH's feed follows it), as the chain would value it. */
function at(snapshot: ProtocolSnapshot, marks: number[]): ProtocolSnapshot {
  const wadOf = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
  const markets = snapshot.markets.map((m, i) => ({ ...m, markPriceWad: wadOf(marks[i]!) }));
  return { ...snapshot, markets, collaterals: snapshot.collaterals.map((c) => ({ ...c, priceWad: markets.find((m) => m.feedId === c.feedId)?.markPriceWad ?? c.priceWad })) };
}

export function runCalibration(proposals = 200) {
  let inside = 0;
  let pointError = 0;
  let meanError = 0;
  const widths: number[] = [];
  for (let i = 0; i < proposals; i++) {
    const rng = seededRandom(1000 + i);
    const venue = syntheticSnapshot(2_000, { seed: 1 + i, nearMaintenance: 0.05 });
    const start = venue.markets.map((m) => Number(m.markPriceWad) / 1e18);
    const history = demoWalk(start, 500, 2000 + i);
    const now = history.map((path) => path.at(-1)!);
    const before = at(venue, now);
    const market = before.markets[Math.floor(rng.next() * before.markets.length)]!;
    const scale = 1.2 + 0.8 * rng.next();
    const params = { ...market.params, mmrWad: (market.params.mmrWad * BigInt(Math.round(scale * 1000))) / 1000n, imrWad: (market.params.imrWad * BigInt(Math.round(scale * 1000))) / 1000n };
    const after = applyChanges(before, [{ kind: "setMarketParams", marketId: market.id, params }]).snapshot;
    const posts: PricePost[][] = history.map((path) => path.map((price, t) => ({ timestampSec: t * TICK_SEC, price })));
    const band = previewBand(before, after, { process: estimatePriceProcess(posts), horizonSec: HORIZON_SEC, paths: 400, seed: i });
    const future = demoWalk(now, Math.round(HORIZON_SEC / TICK_SEC), 3000 + i).map((path) => path.at(-1)!);
    const realised = previewChanges(at(before, future), [{ kind: "setMarketParams", marketId: market.id, params }]).newlyLiquidatable.length;
    if (band.p5 <= realised && realised <= band.p95) inside++;
    pointError += Math.abs(band.point - realised);
    meanError += Math.abs(band.expected - realised);
    widths.push(band.p95 - band.p5);
  }
  widths.sort((a, b) => a - b);
  report(`calibration: realised count inside the 5–95 % band, ${proposals} simulated proposals`, (100 * inside) / proposals, "%", "85–95");
  report("calibration: mean absolute error of the point figure (today's count)", pointError / proposals, "accounts", null);
  report("calibration: mean absolute error of the band's mean", meanError / proposals, "accounts", null);
  report("calibration: median width of the 5–95 % band", widths[Math.floor(widths.length / 2)]!, "accounts", null);

  const big = syntheticSnapshot(10_000, { seed: 99, nearMaintenance: 0.05 });
  const eth = big.markets[0]!;
  const changes = [{ kind: "setMarketParams" as const, marketId: 0, params: { ...eth.params, mmrWad: (eth.params.mmrWad * 3n) / 2n, imrWad: (eth.params.imrWad * 3n) / 2n } }];
  const process = { volPerSqrtSec: big.markets.map(() => STEP_SIGMA / Math.sqrt(TICK_SEC)), correlation: big.markets.map((_, a) => big.markets.map((__, b) => (a === b ? 1 : 0))) };
  previewBand(big, previewChanges(big, changes).after, { process, horizonSec: HORIZON_SEC }); // warm: the columns are built once per snapshot, as in the worker
  const started = performance.now();
  const preview = previewChanges(big, changes);
  previewBand(big, preview.after, { process, horizonSec: HORIZON_SEC });
  report("preview with the band (previewChanges + previewBand, 400 paths), 10,000 accounts, as the preview worker runs it", performance.now() - started, "ms", 500);
}

if (import.meta.url === `file://${process.argv[1]}`) runCalibration(Number(process.argv[2] ?? 200));
