import { describe, expect, it } from "vitest";
import { computeEngineHealth } from "../health/computeEngineHealth.ts";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { computeAlerts, type ComputeAlertsOptions } from "./computeAlerts.ts";

const ids = (s: ReturnType<typeof fakeSnapshot>, options: ComputeAlertsOptions = {}) => computeAlerts(s, options).map((a) => a.id);
const GWEI = 10n ** 9n;
const history = (prices: number[], oiBefore = 0) => ({ blocksAgo: 256n, markets: [{ id: 0, longOpenInterestBase: usd(oiBefore), markPriceWad: usd(1000) }], prices: new Map([["0x01" as const, prices.map(usd)]]) });

describe("computeAlerts", () => {
  it("says nothing about a calm, well-reserved market", () => {
    const s = fakeSnapshot([fakeLong(1, 10_000, 10), fakeLong(2, 10_000, -10)], { longOi: 10, shortOi: 10 });
    const health = computeEngineHealth(s, { gasPriceWei: GWEI, keeperLag: { waiting: [], recent: [] } });
    expect(computeAlerts(s, { health, cover2Usd: 0n, history: history([1000, 1010, 990], 10) })).toEqual([]);
  });

  it("keeper lag: fires for an account waiting past the limit, quiet for one just turned liquidatable", () => {
    const s = fakeSnapshot([fakeLong(1, 100, 2)], { mark: 960 });
    const lagging = computeEngineHealth(s, { gasPriceWei: GWEI, keeperLag: { waiting: [{ account: fakeAddress(1), onsetBlock: 90n }], recent: [] } });
    expect(computeAlerts(s, { health: lagging }).find((a) => a.id === "keeper-lag")).toMatchObject({ severity: "critical", accounts: [fakeAddress(1)] });
    const fresh = computeEngineHealth(s, { gasPriceWei: GWEI, keeperLag: { waiting: [{ account: fakeAddress(1), onsetBlock: 99n }], recent: [] } });
    expect(ids(s, { health: fresh })).not.toContain("keeper-lag");
  });

  it("dust: fires when gas outprices the reward of a liquidatable account, quiet when gas is cheap", () => {
    const s = fakeSnapshot([fakeLong(1, 100, 2)], { mark: 960 }); // reward $10
    expect(ids(s, { health: computeEngineHealth(s, { gasPriceWei: 100n * GWEI }) })).toContain("dust"); // gas $24
    expect(ids(s, { health: computeEngineHealth(s, { gasPriceWei: GWEI }) })).not.toContain("dust");
  });

  it("OI growth: fires at 10× with OI ≥ 10 % of the cap, quiet at 5× or from nothing", () => {
    const s = fakeSnapshot([], { longOi: 2000 }); // $2M of a $10M cap
    expect(computeAlerts(s, { history: history([], 200) }).find((a) => a.id === "oi-growth-0")?.title).toBe("ETH-PERP open interest grew 10×");
    expect(ids(s, { history: history([], 400) })).not.toContain("oi-growth-0");
    expect(ids(s, { history: history([], 0) })).not.toContain("oi-growth-0");
  });

  it("concentration: fires for one account holding half of a side's open interest, quiet when spread", () => {
    // 600 ETH = $600k, 6 % of the cap; 60 % of the long OI.
    expect(ids(fakeSnapshot([fakeLong(1, 100_000, 600)], { longOi: 1000 }))).toContain("concentration-0");
    expect(ids(fakeSnapshot([fakeLong(1, 100_000, 600)], { longOi: 1300 }))).not.toContain("concentration-0");
  });

  it("price deviation: warning at 30 % from the recent median, critical at 100 %, quiet within range", () => {
    const at = (mark: number) => computeAlerts(fakeSnapshot([], { mark }), { history: history([1000, 1020, 980, 1000]) }).find((a) => a.id === "price-deviation-0x01");
    expect(at(1300)?.severity).toBe("warning");
    expect(at(2000)?.severity).toBe("critical");
    expect(at(700)?.severity).toBe("warning");
    expect(at(1200)).toBeUndefined();
    // Fewer than three updates: no range to compare with.
    expect(ids(fakeSnapshot([], { mark: 5000 }), { history: history([1000, 1000]) })).not.toContain("price-deviation-0x01");
  });

  it("collateral concentration: fires when one account holds most of a haircut collateral, quiet when spread or small", () => {
    const big = fakeSnapshot([fakeLong(1, 0, 0, 600), fakeLong(2, 0, 0, 400), fakeLong(3, 1_000_000, 0)]);
    expect(computeAlerts(big).find((a) => a.id === "collateral-concentration-1")).toMatchObject({ accounts: [fakeAddress(1)], title: "One account holds 60% of the WETH collateral" });
    expect(ids(fakeSnapshot([fakeLong(1, 0, 0, 400), fakeLong(2, 0, 0, 400), fakeLong(3, 0, 0, 200)]))).not.toContain("collateral-concentration-1");
    // 1 WETH ($1k) of $1M of collateral (USDC deposits) is below 1 %.
    expect(ids(fakeSnapshot([fakeLong(1, 0, 0, 1)]))).not.toContain("collateral-concentration-1");
  });

  it("runway and exposure: fire when a recorded crash costs more than the reserves, quiet when they are deep", () => {
    const s = (reserves: number) => fakeSnapshot([fakeLong(1, 10_000, 100)], { reserves });
    const thin = ids(s(30_000), { health: computeEngineHealth(s(30_000), { gasPriceWei: GWEI }) });
    expect(thin).toEqual(expect.arrayContaining(["runway", "exposure"]));
    const deep = ids(s(1_000_000), { health: computeEngineHealth(s(1_000_000), { gasPriceWei: GWEI }) });
    expect(deep).not.toContain("runway");
    expect(deep).not.toContain("exposure");
  });
});
