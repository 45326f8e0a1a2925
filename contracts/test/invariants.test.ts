/**
 * Invariants of the clearinghouse over random sequences of deposits, trades, withdrawals, price
 * moves, reserve funding and liquidations (fast-check, fixed seed, real anvil):
 * - no accepted trade or withdrawal leaves an account below initial margin;
 * - in every market total long size equals total short size;
 * - the waterfall conserves value to the wei: collateralLost + insurance draw + default-fund draw
 *   + ADL absorbed + bad debt = loss (= collateralLost + deficit), with collateralLost recomputed
 *   from the seized balances, the ADL fills' haircuts adding up to the ADL layer, pro-rata
 *   counterparties' cash moving by exactly their haircut, and the reserves moving by exactly what
 *   the ledger says; a bankrupt account ends with nothing.
 * Each run starts in a random ADL mode and may switch; both modes must see fills.
 */

import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Address } from "viem";
import { clearinghouseAbi, clearinghouseLensAbi, testTokenAbi } from "../../lib/contracts/abis.ts";
import { demoMarkets } from "../../lib/contracts/deployProtocol.ts";
import { clearinghouseEvents, createFixture, FEEDS, usdc, wad, WAD, type Fixture } from "../../lib/testing/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => f?.stop());

const feeds = [FEEDS.ETH, FEEDS.BTC, FEEDS.SOL];

type Op =
  | { kind: "deposit"; who: number; amount: number }
  | { kind: "trade"; taker: number; maker: number; market: number; notional: number }
  | { kind: "withdraw"; who: number; share: number }
  | { kind: "price"; market: number; factor: number }
  | { kind: "fund"; insurance: number; defaultFund: number }
  | { kind: "adlMode"; mode: 0 | 1 }
  | { kind: "liquidate" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("deposit" as const), who: fc.nat(4), amount: fc.integer({ min: 100, max: 20_000 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("trade" as const), taker: fc.nat(4), maker: fc.nat(4), market: fc.nat(2), notional: fc.integer({ min: -150_000, max: 150_000 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("withdraw" as const), who: fc.nat(4), share: fc.double({ min: 0.05, max: 1, noNaN: true }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("price" as const), market: fc.nat(2), factor: fc.double({ min: 0.6, max: 1.4, noNaN: true }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("fund" as const), insurance: fc.nat(3000), defaultFund: fc.nat(3000) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("adlMode" as const), mode: fc.constantFrom(0 as const, 1 as const) }), weight: 1 },
  { arbitrary: fc.constant({ kind: "liquidate" as const }), weight: 2 },
);

async function read<T>(functionName: string, args: unknown[] = []): Promise<T> {
  return f.publicClient.readContract({ address: f.ch, abi: clearinghouseAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
}

async function mintApprove(who: Address, amount: bigint) {
  await f.write(f.deployer, f.deployment.contracts.usdc, testTokenAbi, "mint", [who, amount]);
  await f.write(who, f.deployment.contracts.usdc, testTokenAbi, "approve", [f.ch, amount]);
}

async function requireInitialMargin(account: Address) {
  const [equity, , im] = await read<readonly [bigint, bigint, bigint]>("accountRisk", [account]);
  expect(equity >= im, `${account} under initial margin: equity ${equity} < IM ${im}`).toBe(true);
}

async function requireBalancedOpenInterest() {
  for (let m = 0n; m < 3n; m++) {
    const market = await read<{ longOpenInterest: bigint; shortOpenInterest: bigint }>("getMarket", [m]);
    expect(market.longOpenInterest).toBe(market.shortOpenInterest);
  }
}

type Seen = { liquidations: number; bankruptcies: number; adlFills: [number, number] };
const cashOf = async (account: Address) => (await read<readonly [bigint]>("getAccount", [account]))[0];

/** USD value of seized token amounts, as PROTOCOL.md values collateral (weighted, rounded down). */
async function weightedValue(seized: Map<bigint, bigint>) {
  const collaterals = await f.publicClient.readContract({ address: f.deployment.contracts.lens, abi: clearinghouseLensAbi, functionName: "getCollaterals" });
  let value = 0n;
  for (const [assetId, amount] of seized) {
    const c = collaterals[Number(assetId)]!;
    value += (((amount * c.price) / 10n ** BigInt(c.decimals)) * c.params.weight) / WAD;
  }
  return value;
}

/** Liquidates every liquidatable trader, checking the ledger of each; counts what it did. */
async function liquidateAll(traders: Address[], keeper: Address, adlMode: 0 | 1, seen: Seen) {
  for (const account of traders) {
    const [equity, mm] = await read<readonly [bigint, bigint, bigint]>("accountRisk", [account]);
    if (mm === 0n || equity >= mm) continue;
    const before = await read<readonly bigint[]>("reserves");
    const cashBefore = new Map(await Promise.all(traders.map(async (t) => [t, await cashOf(t)] as const)));
    const receipt = await f.write(keeper, f.ch, clearinghouseAbi, "liquidate", [account]);
    const after = await read<readonly bigint[]>("reserves");
    const events = clearinghouseEvents(receipt, f.ch);
    const liquidated = events.find((e) => e.eventName === "Liquidated")!.args as { equity: bigint; insuranceFee: bigint };
    expect(liquidated.equity).toBe(equity);
    const absorbed = events.find((e) => e.eventName === "DeficitAbsorbed")?.args as
      | { deficit: bigint; collateralLost: bigint; insuranceDraw: bigint; defaultFundDraw: bigint; adlAbsorbed: bigint; badDebt: bigint }
      | undefined;
    const draws = absorbed ?? { deficit: 0n, collateralLost: 0n, insuranceDraw: 0n, defaultFundDraw: 0n, adlAbsorbed: 0n, badDebt: 0n };
    seen.liquidations++;
    if (equity < 0n) {
      seen.bankruptcies++;
      expect(absorbed).toBeDefined();
      // The collateral lost is what the seized balances were worth, weighted, to the wei.
      const seized = new Map<bigint, bigint>();
      for (const e of events.filter((e) => e.eventName === "CollateralSeized")) {
        const { assetId, amount } = e.args as { assetId: bigint; amount: bigint };
        seized.set(assetId, (seized.get(assetId) ?? 0n) + amount);
      }
      expect(draws.collateralLost).toBe(await weightedValue(seized));
      // loss = collateralLost + D is carried, to the wei, by the five layers of the waterfall.
      const loss = draws.collateralLost - equity;
      expect(draws.collateralLost + draws.insuranceDraw + draws.defaultFundDraw + draws.adlAbsorbed + draws.badDebt).toBe(loss);
      expect(draws.deficit).toBe(-equity);
      const [cashAfter, balancesAfter, positionsAfter] = await read<readonly [bigint, readonly bigint[], readonly unknown[]]>("getAccount", [account]);
      expect([cashAfter, balancesAfter.every((b) => b === 0n)]).toEqual([0n, true]);
      expect(positionsAfter).toEqual([]);
    } else {
      expect(absorbed).toBeUndefined();
    }
    const fills = events.filter((e) => e.eventName === "AdlFill").map((e) => e.args as { counterparty: Address; quantity: bigint; haircut: bigint });
    seen.adlFills[adlMode] += fills.length;
    expect(fills.reduce((sum, fill) => sum + fill.haircut, 0n)).toBe(draws.adlAbsorbed);
    if (adlMode === 1) {
      // Pro rata closes nothing: a counterparty's cash moves by exactly its haircut.
      for (const fill of fills) {
        expect(fill.quantity).toBe(0n);
        expect(await cashOf(fill.counterparty)).toBe(cashBefore.get(fill.counterparty)! - fill.haircut);
      }
    }
    expect(after[0]).toBe(before[0]! + liquidated.insuranceFee - draws.insuranceDraw);
    expect(after[1]).toBe(before[1]! - draws.defaultFundDraw);
    expect(after[4]).toBe(before[4]! + draws.badDebt);
    await requireInitialMargin(keeper);
  }
}

it("test_invariant_margin_open_interest_and_waterfall hold over random operation sequences", async () => {
  const traders = f.dev.slice(1, 6);
  const keeper = f.dev[6]!;
  const funder = f.dev[7]!;
  const seen: Seen = { liquidations: 0, bankruptcies: 0, adlFills: [0, 0] };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(0 as const, 1 as const), fc.array(fc.integer({ min: 2_000, max: 40_000 }), { minLength: 5, maxLength: 5 }), fc.array(op, { minLength: 10, maxLength: 30 }), async (initialMode, initial, ops) => {
      await f.reset();
      let adlMode: 0 | 1 = initialMode;
      if (adlMode !== 0) await f.govern("setAdlMode", [adlMode]);
      await f.depositUsdc(keeper, usdc(50_000_000));
      for (const [i, amount] of initial.entries()) await f.depositUsdc(traders[i]!, usdc(amount));
      const prices = demoMarkets.map((m) => m.price as number);
      for (const o of ops) {
        if (o.kind === "deposit") {
          await f.depositUsdc(traders[o.who]!, usdc(o.amount));
        } else if (o.kind === "trade") {
          if (o.taker === o.maker || o.notional === 0) continue;
          const size = wad((o.notional / prices[o.market]!).toFixed(6));
          if (size === 0n) continue;
          const args = [traders[o.taker], traders[o.maker], BigInt(o.market), size];
          const failure = await f.revertOf(f.deployer, f.ch, clearinghouseAbi, "trade", args);
          if (failure) {
            expect(["InsufficientMargin", "OpenInterestCapExceeded", "ConcentrationCapExceeded"]).toContain(failure.errorName);
            continue;
          }
          await f.write(f.deployer, f.ch, clearinghouseAbi, "trade", args);
          await requireInitialMargin(traders[o.taker]!);
          await requireInitialMargin(traders[o.maker]!);
        } else if (o.kind === "withdraw") {
          const who = traders[o.who]!;
          const [, balances] = await read<readonly [bigint, readonly bigint[]]>("getAccount", [who]);
          const amount = (balances[0]! * BigInt(Math.round(o.share * 1e6))) / 1_000_000n;
          if (amount === 0n) continue;
          const failure = await f.revertOf(who, f.ch, clearinghouseAbi, "withdraw", [0n, amount]);
          if (failure) {
            expect(failure.errorName).toBe("InsufficientMargin");
            continue;
          }
          await f.write(who, f.ch, clearinghouseAbi, "withdraw", [0n, amount]);
          await requireInitialMargin(who);
        } else if (o.kind === "price") {
          prices[o.market] = Math.max(1, prices[o.market]! * o.factor);
          await f.setPrice(feeds[o.market]!, prices[o.market]!.toFixed(6));
        } else if (o.kind === "fund") {
          await mintApprove(funder, usdc(o.insurance + o.defaultFund + 2));
          if (o.insurance) await f.write(funder, f.ch, clearinghouseAbi, "fundInsurance", [usdc(o.insurance)]);
          if (o.defaultFund) await f.write(funder, f.ch, clearinghouseAbi, "stakeDefaultFund", [usdc(o.defaultFund)]);
        } else if (o.kind === "adlMode") {
          await f.govern("setAdlMode", [o.mode]);
          adlMode = o.mode;
        } else {
          await liquidateAll(traders, keeper, adlMode, seen);
        }
        await requireBalancedOpenInterest();
      }
    }),
    { numRuns: 60, seed: 20251010, endOnFailure: true },
  );
  // The sequences must reach the code under test, or the property proves nothing.
  expect(seen.liquidations).toBeGreaterThanOrEqual(10);
  expect(seen.bankruptcies).toBeGreaterThanOrEqual(5);
  expect(seen.adlFills[0], "queue ADL fills").toBeGreaterThanOrEqual(2);
  expect(seen.adlFills[1], "pro-rata ADL fills").toBeGreaterThanOrEqual(2);
}, 240_000);
