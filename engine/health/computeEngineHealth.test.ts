import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { computeEngineHealth, gasCostUsd } from "./computeEngineHealth.ts";

const GWEI = 10n ** 9n;
const addr = fakeAddress;
const long = (n: number, cash: number, eth: number) => fakeLong(n, cash, eth);

// 100 gwei × 250k gas at ETH $1,000 = $25 a liquidation; reward at maintenance = 1 % of notional,
// so every account under $2,500 of notional is dust.
const gas = { gasPriceWei: 100n * GWEI };

describe("computeEngineHealth", () => {
  it("prices a liquidation's gas in dollars", () => {
    expect(gasCostUsd(100n * GWEI, 250_000n, usd(1000))).toBe(usd(25));
  });

  it("counts as dust the accounts whose reward at maintenance does not pay the gas, and the liquidatable ones among them", () => {
    // 2 ETH ($2,000 notional, reward $20 < $25) twice — one liquidatable at a $900 mark; 3 ETH ($30 reward) is not dust.
    const s = fakeSnapshot([long(1, 1000, 2), long(2, -100, 2), long(3, 1000, 3)], { mark: 900 });
    const h = computeEngineHealth(s, gas);
    expect(h.dust.accounts).toBe(2);
    expect(h.dust.notionalUsd).toBe(usd(1800 + 1800));
    // account 2: equity = −100 + 2·(900 − 1000) = −300 < MM 90 → liquidatable, reward 0 (negative equity)
    expect(h.dust.liquidatableNow).toEqual([addr(2)]);
    expect(h.dust.liquidatableDeficitUsd).toBe(usd(300));
    expect(h.dust.status).toBe("warning");
  });

  it("finds no dust when gas is cheap (a bankrupt account still pays its keeper nothing)", () => {
    // account 2 at $960: equity 100 − 80 = $20 < MM $96 → liquidatable, reward = $19.20 × 20 / 38.40 = $10 > $0.25
    const h = computeEngineHealth(fakeSnapshot([long(1, 1000, 2), long(2, 100, 2)], { mark: 960 }), { gasPriceWei: 1n * GWEI });
    expect(h.dust.accounts).toBe(0);
    expect(h.dust.liquidatableNow).toEqual([]);
    expect(h.dust.status).toBe("ok");
    const bankrupt = computeEngineHealth(fakeSnapshot([long(2, -100, 2)], { mark: 900 }), { gasPriceWei: 1n * GWEI });
    expect(bankrupt.dust.liquidatableNow).toEqual([addr(2)]);
  });

  it("reports negative equity not yet recognised, and is quiet without it", () => {
    const s = fakeSnapshot([long(1, -100, 2), long(2, 1000, 2)], { mark: 900 });
    expect(computeEngineHealth(s, gas).negativeEquity).toEqual({ accounts: [addr(1)], usd: usd(300), status: "critical" });
    expect(computeEngineHealth(fakeSnapshot([long(2, 1000, 2)], { mark: 900 }), gas).negativeEquity.status).toBe("ok");
  });

  it("measures keeper lag: waiting accounts past the limit are critical, recent lags summarised", () => {
    const keeperLag = {
      waiting: [{ account: addr(1), onsetBlock: 90n }],
      recent: [{ account: addr(2), onsetBlock: 50n, liquidatedBlock: 51n }, { account: addr(3), onsetBlock: 60n, liquidatedBlock: 63n }, { account: addr(4), onsetBlock: 70n, liquidatedBlock: 72n }],
    };
    const lag = computeEngineHealth(fakeSnapshot([]), { ...gas, keeperLag }).keeperLag;
    expect(lag).toMatchObject({ waiting: 1, maxWaitingBlocks: 10n, recent: 3, maxRecentBlocks: 3n, medianRecentBlocks: 2n, laggingAccounts: [addr(1)], status: "critical" });
    const prompt = computeEngineHealth(fakeSnapshot([]), { ...gas, keeperLag: { waiting: [{ account: addr(1), onsetBlock: 99n }], recent: keeperLag.recent } }).keeperLag;
    expect(prompt.laggingAccounts).toEqual([]);
    expect(prompt.status).toBe("ok");
  });

  it("rates each oracle's age against its maximum", () => {
    const ages = (sec: bigint) => computeEngineHealth(fakeSnapshot([], { priceAgeSec: sec }), gas).oracles.find((o) => o.kind === "market")!;
    expect(ages(60n)).toMatchObject({ ageSec: 60n, maxAgeSec: 3600n, status: "ok" });
    expect(ages(3000n).status).toBe("warning");
    expect(ages(3601n).status).toBe("critical");
  });

  it("gives the reserves' runway under each scenario and flags a shortfall", () => {
    // 100 ETH long on $10k: a −50 % move loses $50k, $40k beyond its collateral.
    const scenarios: { id: string; moves: Record<string, number> }[] = [{ id: "halving", moves: { ETH: -50 } }, { id: "calm", moves: { BTC: -50 } }];
    const thin = computeEngineHealth(fakeSnapshot([long(1, 10_000, 100)], { reserves: 30_000 }), { ...gas, scenarios });
    expect(thin.runway[0]).toEqual({ id: "halving", lossUsd: usd(40_000), eventsAbsorbed: 0.75, shortfallUsd: usd(10_000) });
    expect(thin.runway[1]).toMatchObject({ id: "calm", lossUsd: 0n, eventsAbsorbed: Infinity });
    const deep = computeEngineHealth(fakeSnapshot([long(1, 10_000, 100)], { reserves: 400_000 }), { ...gas, scenarios });
    expect(deep.runway[0]!.eventsAbsorbed).toBe(10);
    expect(deep.runway[0]!.shortfallUsd).toBe(0n);
  });

  it("flags a market whose own worst move would cost half the reserves or more", () => {
    // ETH's worst recorded move in the library is −55 %: 100 ETH on $10k loses $55k, $45k beyond collateral.
    const exposed = computeEngineHealth(fakeSnapshot([long(1, 10_000, 100)], { reserves: 60_000 }), gas).exposure[0]!;
    expect(exposed).toMatchObject({ symbol: "ETH-PERP", move: 0.55, lossUsd: usd(45_000), shareOfReserves: 0.75, status: "warning" });
    const covered = computeEngineHealth(fakeSnapshot([long(1, 10_000, 100)], { reserves: 1_000_000 }), gas).exposure[0]!;
    expect(covered.status).toBe("ok");
  });
});

describe("computeEngineHealth, exposure and runway", () => {
  it("count only the loss a move adds: negative equity already there is not exposure to every market", () => {
    // Account 1 is $300 under water with no move; a BTC move (no BTC positions) adds nothing.
    const s = fakeSnapshot([fakeLong(1, -100, 2)], { mark: 900, reserves: 1000 });
    const h = computeEngineHealth(s, { gasPriceWei: 1n, scenarios: [{ id: "btc-only", moves: { BTC: -50 } }, { id: "eth", moves: { ETH: -10 } }] });
    expect(h.runway.find((r) => r.id === "btc-only")!.lossUsd).toBe(0n);
    // ETH −10 % at $900 → $810: the position loses $180 more.
    expect(h.runway.find((r) => r.id === "eth")!.lossUsd).toBe(usd(180));
  });
});
