import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathFromMoves } from "../../engine/scenarios/scenarios.ts";
import { simulateCascade, type CascadeParameters } from "../../engine/cascade/simulateCascade.ts";
import { simulateCascadeExact } from "../../engine/reference/simulateCascadeExact.ts";
import type { RowScanPartnerFactory } from "../../engine/cascade/rowScan.ts";
import { arbitraryAdversarialCascade, arbitraryCascade } from "../../engine/testing/arbitraryCascades.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { columnarOf } from "../../engine/columnar/columnarOf.ts";
import { allocateBytes, buildColumnarSnapshot, setColumnarAccount } from "../../engine/columnar/columnarSnapshot.ts";
import { createRowScan } from "../../engine/cascade/rowScan.ts";
import { computeAccountRisk } from "../../engine/margin/computeAccountRisk.ts";
import { isLiquidatable } from "../../engine/margin/isLiquidatable.ts";
import { prepareMarginScreen } from "../../engine/screen/marginScreen.ts";
import { threadedLedger } from "./threadedLedger.ts";
import { threadedScan } from "./threadedScan.ts";

/** threadedScan at every size, counting the cascades whose upper half ran on the thread. */
function countingScan() {
  const factory = threadedScan({ minRows: 0 });
  const counts = { thread: 0 };
  const scanPartner: RowScanPartnerFactory = (...args) => {
    const made = factory(...args);
    if (made) counts.thread++;
    return made;
  };
  return { scanPartner, counts };
}

describe("the cascade's upper half of rows re-valued on a worker thread", () => {
  it("test_fuzz_threaded_scan_equals_the_full_rescan: random venues, liquidations that go the whole way touching rows of both halves, to the wei", () => {
    const { scanPartner, counts } = countingScan();
    let liquidations = 0;
    fc.assert(
      fc.property(arbitraryCascade, (parameters) => {
        const threaded = simulateCascade({ ...parameters, scanPartner });
        expect(threaded).toEqual(simulateCascadeExact(parameters));
        liquidations += threaded.totals.liquidations;
      }),
      { numRuns: 80, seed: 41 },
    );
    expect(counts.thread).toBe(80);
    expect(liquidations).toBeGreaterThan(0);
  });

  it("adversarial venues (values too wide for the shared floats sent with their rows): the outcome is the full rescan's", () => {
    const { scanPartner, counts } = countingScan();
    fc.assert(
      fc.property(arbitraryAdversarialCascade, (parameters) => {
        expect(simulateCascade({ ...parameters, scanPartner, ledger: threadedLedger({ minRows: 0 }) })).toEqual(simulateCascadeExact(parameters));
      }),
      { numRuns: 80, seed: 43 },
    );
    expect(counts.thread).toBe(80);
  });

  it("a long book falling 30 % over 48 steps, with the ledger's thread too: the same cascade as on one thread, final state included", () => {
    const snapshot = syntheticSnapshot(3000, { seed: 5, nearMaintenance: 0.3 });
    const parameters: CascadeParameters = { snapshot, path: pathFromMoves(snapshot.markets.map(() => -0.3), 48), impact: snapshot.markets.map(() => ({ model: "sqrt" as const, depthUsd: 7.5e6 })), keeper: { gasCostUsd: 5 } };
    const { scanPartner, counts } = countingScan();
    const threaded = simulateCascade({ ...parameters, scanPartner, ledger: threadedLedger({ minRows: 0 }) });
    expect(counts.thread).toBe(1);
    expect(threaded.totals.liquidations).toBeGreaterThan(300);
    expect(threaded).toEqual(simulateCascade(parameters));
  });

  it("a venue under minRows is scanned on the cascade's thread alone", () => {
    const snapshot = syntheticSnapshot(50, { seed: 3 });
    const setup = { from: 25, to: 50, skip: -1, fixedPrice: [false, true], fallShare: 0.9, parkBankrupt: true };
    expect(threadedScan({ minRows: 100 })(setup, 3, columnarOf(snapshot))).toBeUndefined();
    expect(threadedScan({ minRows: 50 })(setup, 3, columnarOf(snapshot))).toBeDefined();
  });

  it("a touched row whose values are too wide for the shared floats, a wei below maintenance: the thread is sent them and lists it, as a scan on this thread does", () => {
    const snapshot = syntheticSnapshot(40, { seed: 7 });
    const columns = buildColumnarSnapshot(snapshot, snapshot.accounts);
    const setup = { from: 20, to: 40, skip: -1, fixedPrice: snapshot.collaterals.map(() => true), fallShare: 0.9, parkBankrupt: true };
    const partner = threadedScan({ minRows: 0 })(setup, snapshot.markets.length, columns)!;
    const here = createRowScan(setup, snapshot.markets.length);
    const cleared = allocateBytes(40);
    const round = (touched: number[]) => {
      const input = { columns, screen: prepareMarginScreen(snapshot), equity: prepareMarginScreen(snapshot, { maintenance: false }), cleared, parked: allocateBytes(40), touched, moved: [] };
      partner.begin(input);
      const theirs = partner.end();
      expect(theirs).toEqual(here.round({ ...input, parked: allocateBytes(40) }));
      return theirs;
    };
    round([]);
    // Long 1 unit of market 0 with 2¹¹⁰ + 2⁵⁶ + 2⁵⁵ wei of cash (2⁵⁶ + 2⁵⁵ off its float: too wide) and an open notional 1 wei under
    // maintenance: the float's bound is far wider than that, so the exact engine decides, from the
    // values only the columns' maps hold.
    const market = snapshot.markets[0]!;
    const valueUsd = market.markPriceWad;
    const maintenanceUsd = (valueUsd * market.params.mmrWad + 10n ** 18n - 1n) / 10n ** 18n;
    const cashUsd = 2n ** 110n + 2n ** 56n + 2n ** 55n;
    const account = { ...snapshot.accounts[30]!, cashUsd, balancesNative: snapshot.collaterals.map(() => 0n), positions: [{ marketId: 0, sizeBase: 10n ** 18n, openNotionalUsd: cashUsd + valueUsd - maintenanceUsd + 1n }] };
    setColumnarAccount(columns, 30, account);
    expect(columns.cashUsd.wide.has(30)).toBe(true);
    expect(isLiquidatable(computeAccountRisk(snapshot, account))).toBe(true);
    expect(round([30]).listed).toContain(30);
    partner.release();
  });
});
