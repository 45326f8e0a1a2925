import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { AdlMode, type Account, type ProtocolSnapshot } from "../types.ts";
import { findLiquidatable, LiquidationError, simulateLiquidation } from "./simulateLiquidation.ts";

// The fake venue: ETH-PERP at $1,000, MMR 5 %, IMR 10 %, penalty 2 %, keeper share 50 %; WETH weighted 80 %.
const A = fakeAddress(1);
const B = fakeAddress(2);
const KEEPER = fakeAddress(9);
const keeper = (cash = 100_000) => fakeLong(9, cash, 0);
const short = (n: number, cash: number, eth: number, openedAt: number): Account => ({ ...fakeLong(n, cash, 0), positions: [{ marketId: 0, sizeBase: -usd(eth), openNotionalUsd: -usd(eth * openedAt) }] });
const find = (s: ProtocolSnapshot, address: string) => s.accounts.find((a) => a.address === address)!;
const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof LiquidationError ? error.errorName : error;
  }
  return "no error";
};

describe("simulateLiquidation", () => {
  it("solvent: long 10 ETH, $400 of equity under $500 maintenance — penalty $200, $100 to the keeper, $100 to insurance", () => {
    const before = fakeSnapshot([fakeLong(1, 400, 10), keeper()], { longOi: 10 });
    const { snapshot, ledger } = simulateLiquidation(before, A, KEEPER);
    expect(ledger).toEqual({
      account: A, keeper: KEEPER, equityUsd: usd(400), penaltyUsd: usd(200), keeperRewardUsd: usd(100), insuranceFeeUsd: usd(100), notionalUsd: usd(10_000),
      deficitUsd: 0n, collateralLostUsd: 0n, insuranceDrawUsd: 0n, defaultFundDrawUsd: 0n, adlAbsorbedUsd: 0n, badDebtUsd: 0n, adlFills: [],
    });
    expect(find(snapshot, A)).toMatchObject({ cashUsd: usd(200), positions: [] });
    // The keeper takes the 10 ETH at the $1,000 mark and its $100.
    expect(find(snapshot, KEEPER)).toMatchObject({ cashUsd: usd(100_100), positions: [{ marketId: 0, sizeBase: usd(10), openNotionalUsd: usd(10_000) }] });
    expect(snapshot.reserves.insuranceFundUsd).toBe(usd(1_000_100));
  });

  it("the penalty is capped by equity: $150 of equity pays $150, and the keeper's $100 shrinks to 150/200 of it, $75", () => {
    const { snapshot, ledger } = simulateLiquidation(fakeSnapshot([fakeLong(1, 150, 10), keeper()], { longOi: 10 }), A, KEEPER);
    expect([ledger.penaltyUsd, ledger.keeperRewardUsd, ledger.insuranceFeeUsd]).toEqual([usd(150), usd(75), usd(75)]);
    expect(find(snapshot, A).cashUsd).toBe(0n);
  });

  it("bankrupt, covered by insurance: $80 of WETH seized, the $220 deficit drawn from insurance, no penalty", () => {
    // Cash −$300, 0.1 WETH weighted at $80: equity −$220.
    const before = fakeSnapshot([fakeLong(1, -300, 10, 0.1), keeper()], { longOi: 10 });
    const { snapshot, ledger } = simulateLiquidation(before, A, KEEPER);
    expect(ledger).toMatchObject({ equityUsd: -usd(220), penaltyUsd: 0n, keeperRewardUsd: 0n, deficitUsd: usd(220), collateralLostUsd: usd(80), insuranceDrawUsd: usd(220), defaultFundDrawUsd: 0n, adlAbsorbedUsd: 0n, badDebtUsd: 0n });
    expect(find(snapshot, A)).toEqual({ ...fakeLong(1, 0, 0), balancesNative: [0n, 0n] });
    expect(snapshot.collaterals[1]).toMatchObject({ totalDepositsNative: 0n, seizedNative: usd(0.1) });
    expect(snapshot.reserves.insuranceFundUsd).toBe(usd(1_000_000 - 220));
  });

  it("the header's $1M loss: $200k seized, insurance $600k, default fund $300k, ADL $100k closing 10 % against the short", () => {
    const whale = { ...fakeLong(1, -1_200_000, 1000, 250) }; // 250 WETH weighted $200k: equity −$1M
    const before = fakeSnapshot([whale, short(2, 1_000_000, 1000, 1100), keeper()], { reserves: 600_000, longOi: 1000, shortOi: 1000 });
    before.reserves.defaultFundUsd = usd(300_000);
    const { snapshot, ledger } = simulateLiquidation(before, A, KEEPER);
    expect(ledger).toMatchObject({ deficitUsd: usd(1_000_000), collateralLostUsd: usd(200_000), insuranceDrawUsd: usd(600_000), defaultFundDrawUsd: usd(300_000), adlAbsorbedUsd: usd(100_000), badDebtUsd: 0n });
    expect(ledger.adlFills).toEqual([{ marketId: 0, counterparty: B, quantityBase: usd(100), haircutUsd: usd(100_000) }]);
    expect(ledger.insuranceDrawUsd + ledger.defaultFundDrawUsd + ledger.adlAbsorbedUsd + ledger.badDebtUsd).toBe(ledger.deficitUsd);
    // B's 100 ETH closed at $1,000 from $1,100 realises +$10k, less the $100k haircut; 900 ETH stay short.
    expect(find(snapshot, B)).toMatchObject({ cashUsd: usd(1_000_000 + 10_000 - 100_000), positions: [{ marketId: 0, sizeBase: -usd(900), openNotionalUsd: -usd(990_000) }] });
    // The keeper takes the other 900 ETH.
    expect(find(snapshot, KEEPER).positions).toEqual([{ marketId: 0, sizeBase: usd(900), openNotionalUsd: usd(900_000) }]);
    expect([snapshot.reserves.insuranceFundUsd, snapshot.reserves.defaultFundUsd]).toEqual([0n, 0n]);
  });

  it("pro-rata ADL takes the residual from profit without closing anything; the keeper takes the whole position", () => {
    const before = fakeSnapshot([fakeLong(1, -300, 10), short(2, 5000, 10, 1100), keeper()], { reserves: 0, longOi: 10, shortOi: 10 });
    before.global.adlMode = AdlMode.ProRata;
    const { snapshot, ledger } = simulateLiquidation(before, A, KEEPER);
    expect(ledger).toMatchObject({ deficitUsd: usd(300), adlAbsorbedUsd: usd(300), badDebtUsd: 0n, adlFills: [{ marketId: 0, counterparty: B, quantityBase: 0n, haircutUsd: usd(300) }] });
    expect(find(snapshot, B)).toMatchObject({ cashUsd: usd(4700), positions: [{ sizeBase: -usd(10) }] });
    expect(find(snapshot, KEEPER).positions).toEqual([{ marketId: 0, sizeBase: usd(10), openNotionalUsd: usd(10_000) }]);
  });

  it("pro-rata takes at most the counterparties' profit ($100 of $300); the rest is bad debt", () => {
    const before = fakeSnapshot([fakeLong(1, -300, 10), short(2, 5000, 10, 1010), keeper()], { reserves: 0, longOi: 10, shortOi: 10 });
    before.global.adlMode = AdlMode.ProRata;
    const { snapshot, ledger } = simulateLiquidation(before, A, KEEPER);
    expect([ledger.adlAbsorbedUsd, ledger.badDebtUsd]).toEqual([usd(100), usd(200)]);
    expect(snapshot.reserves.badDebtUsd).toBe(usd(200));
  });

  it("with no reserves and no one on the other side, the whole deficit is bad debt", () => {
    const { snapshot, ledger } = simulateLiquidation(fakeSnapshot([fakeLong(1, -300, 10), keeper()], { reserves: 0, longOi: 10 }), A, KEEPER);
    expect([ledger.deficitUsd, ledger.adlAbsorbedUsd, ledger.badDebtUsd]).toEqual([usd(300), 0n, usd(300)]);
    expect(snapshot.reserves.badDebtUsd).toBe(usd(300));
  });

  it.each<[string, () => [ProtocolSnapshot, `0x${string}`], string]>([
    ["exactly at maintenance ($500 of equity) is healthy", () => [fakeSnapshot([fakeLong(1, 500, 10), keeper()], { longOi: 10 }), KEEPER], "AccountHealthy"],
    ["an account cannot liquidate itself", () => [fakeSnapshot([fakeLong(1, 400, 10)], { longOi: 10 }), A], "SelfLiquidation"],
    [
      "a paused market blocks it",
      () => {
        const s = fakeSnapshot([fakeLong(1, 400, 10), keeper()], { longOi: 10 });
        s.markets[0]!.paused = true;
        return [s, KEEPER];
      },
      "MarketPaused",
    ],
    ["a keeper left with $900 (its $800 and the $100 reward) cannot carry $10,000 at 10 % initial margin", () => [fakeSnapshot([fakeLong(1, 400, 10), keeper(800)], { longOi: 10 }), KEEPER], "InsufficientMargin"],
  ])("refuses as the contract reverts: %s", (_name, make, error) => {
    const [s, by] = make();
    expect(errorOf(() => simulateLiquidation(s, A, by))).toBe(error);
  });

  it("never changes the snapshot it is given", () => {
    const before = fakeSnapshot([fakeLong(1, -300, 10, 0.1), short(2, 5000, 10, 1100), keeper()], { reserves: 100, longOi: 10, shortOi: 10 });
    const copy = structuredClone(before);
    simulateLiquidation(before, A, KEEPER);
    expect(before).toEqual(copy);
  });
});

describe("findLiquidatable", () => {
  it("lists the accounts below maintenance in snapshot order, not the one exactly at it nor one without positions", () => {
    const s = fakeSnapshot([fakeLong(1, 500, 10), fakeLong(2, 499, 10), fakeLong(3, -10, 0), fakeLong(4, -1, 1), keeper()]);
    expect(findLiquidatable(s)).toEqual([fakeAddress(2), fakeAddress(4)]);
  });
});
