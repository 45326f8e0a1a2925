import { describe, expect, it } from "vitest";
import { planSeed, type PlanInput } from "./plan.ts";

const WAD = 10n ** 18n;

/** Fake market parameters for this pure function's tests only (the real ones come from the chain). */
const fixtureInput: PlanInput = {
  seed: 11,
  accounts: 300,
  whales: 3,
  targetOiShare: 0.6,
  markets: [
    { id: 0, markPriceWad: 3000n * WAD, imrWad: WAD / 10n, oiCapUsd: 40_000_000n * WAD, concentrationCapWad: WAD / 5n, popularity: 0.5 },
    { id: 1, markPriceWad: 65000n * WAD, imrWad: WAD / 10n, oiCapUsd: 50_000_000n * WAD, concentrationCapWad: WAD / 5n, popularity: 0.3 },
    { id: 2, markPriceWad: 150n * WAD, imrWad: WAD / 5n, oiCapUsd: 10_000_000n * WAD, concentrationCapWad: WAD / 4n, popularity: 0.2 },
  ],
  collaterals: [
    { id: 0, decimals: 6, priceWad: WAD, weightWad: WAD },
    { id: 1, decimals: 18, priceWad: 3000n * WAD, weightWad: (8n * WAD) / 10n },
  ],
};

/** Final signed size per account and market after every planned trade. */
function finalSizes(plan: ReturnType<typeof planSeed>) {
  const sizes = new Map<string, bigint>();
  for (const t of plan.trades) {
    const add = (account: string, delta: bigint) => {
      const key = `${account}:${t.marketId}`;
      sizes.set(key, (sizes.get(key) ?? 0n) + delta);
    };
    add(t.taker, t.sizeDeltaBase);
    add(t.maker, -t.sizeDeltaBase);
  }
  return sizes;
}

function collateralUsd(plan: ReturnType<typeof planSeed>, account: string) {
  return plan.deposits
    .filter((d) => d.account === account)
    .reduce((sum, d) => {
      const c = fixtureInput.collaterals[d.assetId]!;
      const value = (d.amountNative * c.priceWad) / 10n ** BigInt(c.decimals);
      return sum + (value * c.weightWad) / WAD;
    }, 0n);
}

describe("planSeed", () => {
  const plan = planSeed(fixtureInput);
  const sizes = finalSizes(plan);

  it("gives the same plan for the same seed and another plan for another seed", () => {
    expect(planSeed(fixtureInput)).toEqual(plan);
    expect(planSeed({ ...fixtureInput, seed: 12 }).trades).not.toEqual(plan.trades);
  });

  it("plans one account per requested account plus at least three market makers, all distinct", () => {
    expect(plan.accounts.length).toBeGreaterThanOrEqual(fixtureInput.accounts + 3);
    expect(plan.accounts.slice(fixtureInput.accounts)).toEqual(plan.marketMakers);
    expect(new Set(plan.accounts).size).toBe(plan.accounts.length);
  });

  it("never trades an account with itself and never plans an empty trade", () => {
    for (const t of plan.trades) {
      expect(t.taker).not.toBe(t.maker);
      expect(t.sizeDeltaBase).not.toBe(0n);
    }
  });

  it("leaves every market with total long size equal to total short size", () => {
    for (const m of fixtureInput.markets) {
      let net = 0n;
      for (const [key, size] of sizes) if (key.endsWith(`:${m.id}`)) net += size;
      expect(net).toBe(0n);
    }
  });

  it("keeps every account at or above initial margin at the planned prices", () => {
    for (const account of plan.accounts) {
      let im = 0n;
      for (const m of fixtureInput.markets) {
        const size = sizes.get(`${account}:${m.id}`) ?? 0n;
        const notional = ((size < 0n ? -size : size) * m.markPriceWad) / WAD;
        im += (notional * m.imrWad + WAD - 1n) / WAD;
      }
      expect(collateralUsd(plan, account) >= im, `${account} under IM`).toBe(true);
    }
  });

  it("keeps long open interest under the target share of each cap and every position under its concentration limit", () => {
    for (const m of fixtureInput.markets) {
      const limit = (m.concentrationCapWad * m.oiCapUsd) / WAD;
      let longNotional = 0n;
      for (const [key, size] of sizes) {
        if (!key.endsWith(`:${m.id}`)) continue;
        const notional = ((size < 0n ? -size : size) * m.markPriceWad) / WAD;
        if (size > 0n) longNotional += notional;
        expect(notional <= limit, `${key} over concentration limit`).toBe(true);
      }
      const cap = Number(m.oiCapUsd / WAD);
      expect(Number(longNotional / WAD)).toBeLessThanOrEqual(cap * (fixtureInput.targetOiShare + 0.05));
      expect(Number(longNotional / WAD)).toBeGreaterThan(cap * 0.3);
    }
  });

  it("puts whales within 12 % of their market's concentration limit", () => {
    expect(plan.whales).toHaveLength(fixtureInput.whales);
    plan.whales.forEach((whale, k) => {
      const m = fixtureInput.markets[k % fixtureInput.markets.length]!;
      const size = sizes.get(`${whale}:${m.id}`) ?? 0n;
      const notional = ((size < 0n ? -size : size) * m.markPriceWad) / WAD;
      const limit = (m.concentrationCapWad * m.oiCapUsd) / WAD;
      expect(Number((notional * 1000n) / limit) / 1000).toBeGreaterThan(0.87);
    });
  });

  it("spreads leverage from near 1x to near the maximum", () => {
    const usage = plan.accounts.slice(fixtureInput.whales, fixtureInput.accounts).map((account) => {
      let im = 0;
      for (const m of fixtureInput.markets) {
        const size = sizes.get(`${account}:${m.id}`) ?? 0n;
        im += (Number(size < 0n ? -size : size) / 1e18) * (Number(m.markPriceWad) / 1e18) * (Number(m.imrWad) / 1e18);
      }
      return im / (Number(collateralUsd(plan, account)) / 1e18);
    });
    expect(usage.filter((u) => u > 0.85).length).toBeGreaterThan(fixtureInput.accounts * 0.02);
    expect(usage.filter((u) => u < 0.2).length).toBeGreaterThan(fixtureInput.accounts * 0.1);
  });
});
