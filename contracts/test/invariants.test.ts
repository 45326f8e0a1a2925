/**
 * Invariants of the clearinghouse over random sequences of deposits, trades, withdrawals, price
 * moves, reserve funding and liquidations (fast-check, fixed seed, real anvil):
 * - no accepted trade or withdrawal leaves an account below initial margin;
 * - in every market total long size equals total short size;
 * - the waterfall conserves value to the wei: insurance draw + default-fund draw + ADL absorbed +
 *   bad debt = deficit, the ADL fills' haircuts add up to the ADL layer, and the reserves move by
 *   exactly what the ledger says.
 */

import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Address } from "viem";
import { clearinghouseAbi, testTokenAbi } from "../../lib/contracts/abis.ts";
import { demoMarkets } from "../../scripts/deploy.ts";
import { clearinghouseEvents, createFixture, FEEDS, usdc, wad, type Fixture } from "./fixture.ts";

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

/** Liquidates every liquidatable trader, checking the ledger of each; counts what it did. */
async function liquidateAll(traders: Address[], keeper: Address, seen: { liquidations: number; bankruptcies: number }) {
  for (const account of traders) {
    const [equity, mm] = await read<readonly [bigint, bigint, bigint]>("accountRisk", [account]);
    if (mm === 0n || equity >= mm) continue;
    const before = await read<readonly bigint[]>("reserves");
    const receipt = await f.write(keeper, f.ch, clearinghouseAbi, "liquidate", [account]);
    const after = await read<readonly bigint[]>("reserves");
    const events = clearinghouseEvents(receipt, f.ch);
    const liquidated = events.find((e) => e.eventName === "Liquidated")!.args as { equity: bigint; insuranceFee: bigint };
    expect(liquidated.equity).toBe(equity);
    const absorbed = events.find((e) => e.eventName === "DeficitAbsorbed")?.args as
      | { deficit: bigint; insuranceDraw: bigint; defaultFundDraw: bigint; adlAbsorbed: bigint; badDebt: bigint }
      | undefined;
    const draws = absorbed ?? { deficit: 0n, insuranceDraw: 0n, defaultFundDraw: 0n, adlAbsorbed: 0n, badDebt: 0n };
    seen.liquidations++;
    if (equity < 0n) {
      seen.bankruptcies++;
      expect(absorbed).toBeDefined();
      expect(draws.deficit).toBe(-equity);
      expect(draws.insuranceDraw + draws.defaultFundDraw + draws.adlAbsorbed + draws.badDebt).toBe(draws.deficit);
    }
    const haircuts = events.filter((e) => e.eventName === "AdlFill").reduce((sum, e) => sum + (e.args as { haircut: bigint }).haircut, 0n);
    expect(haircuts).toBe(draws.adlAbsorbed);
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
  const seen = { liquidations: 0, bankruptcies: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 2_000, max: 40_000 }), { minLength: 5, maxLength: 5 }), fc.array(op, { minLength: 10, maxLength: 30 }), async (initial, ops) => {
      await f.reset();
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
        } else {
          await liquidateAll(traders, keeper, seen);
        }
        await requireBalancedOpenInterest();
      }
    }),
    { numRuns: 30, seed: 20251010, endOnFailure: true },
  );
  // The sequences must reach the code under test, or the property proves nothing.
  expect(seen.liquidations).toBeGreaterThan(5);
  expect(seen.bankruptcies).toBeGreaterThan(0);
}, 240_000);
