import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildColumnarSnapshot, columnarAccount, indexOfAddress } from "../columnar/columnarSnapshot.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { findLiquidatableAcross, pricesOf } from "./findLiquidatableAcross.ts";
import { findRowsBelow } from "./findRowsBelow.ts";
import { packMarginRows, prepareMarginScreen, repackMarginRow, screenMargin, screenPackedMargin, screenVerdict } from "./marginScreen.ts";
import { setColumnarAccount } from "../columnar/columnarSnapshot.ts";

const venueWithAccounts = fc.tuple(arbitraryVenue, fc.array(arbitraryAccountShape, { minLength: 1, maxLength: 12 }), fc.boolean());

describe("columnar snapshot", () => {
  it("test_fuzz_columnar_round_trip: every account reads back exactly, found by its address", () => {
    fc.assert(
      fc.property(venueWithAccounts, ([venue, shapes]) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n));
        const columnar = buildColumnarSnapshot(venue, accounts, 1);
        accounts.forEach((account, row) => {
          expect(columnarAccount(columnar, row)).toEqual(account);
          expect(indexOfAddress(columnar, account.address.toUpperCase().replace("0X", "0x"))).toBe(row);
        });
        expect(indexOfAddress(columnar, "0x00000000000000000000000000000000deadbeef")).toBe(-1);
      }),
      { numRuns: 200, seed: 15 },
    );
  });
});

describe("float screen + exact re-check", () => {
  it("test_fuzz_screen_never_contradicts_the_exact_engine: at maintenance, one wei either side, extreme sizes and prices, dust", () => {
    fc.assert(
      fc.property(venueWithAccounts, ([venue, shapes, maintenance]) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n, maintenance));
        const columnar = buildColumnarSnapshot(venue, accounts);
        const screen = prepareMarginScreen(venue, { maintenance });
        const exact = accounts.map((a) => {
          const risk = computeAccountRisk(venue, a);
          return maintenance ? isLiquidatable(risk) : risk.equityUsd < 0n;
        });
        accounts.forEach((_, row) => {
          const v = screenVerdict(columnar, row, screen);
          if (v !== 0) expect(v < 0).toBe(exact[row]);
        });
        expect([...findRowsBelow(columnar, [screen])[0]!]).toEqual(exact.flatMap((below, row) => (below ? [row] : [])));
      }),
      { numRuns: 1500, seed: 15 },
    );
  });

  it("test_fuzz_packed_rows_screen_to_the_bit: D̃, M̃ and positions from the packed rows equal the columns', after a row is rewritten too", () => {
    fc.assert(
      fc.property(venueWithAccounts, ([venue, shapes, maintenance]) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n, maintenance));
        const columnar = buildColumnarSnapshot(venue, accounts);
        const screen = prepareMarginScreen(venue, { maintenance });
        const packed = packMarginRows(columnar);
        const same = (row: number) => {
          const d = screenMargin(columnar, row, screen);
          const { magnitude, positions } = screen;
          screenPackedMargin(packed, row, screen);
          expect(Object.is(screen.margin, d)).toBe(true);
          expect([screen.magnitude, screen.positions]).toEqual([magnitude, positions]);
        };
        accounts.forEach((_, row) => same(row));
        // The last row takes the first's account: its columns rewritten, then its packed row.
        const last = accounts.length - 1;
        setColumnarAccount(columnar, last, { ...accounts[0]!, address: accounts[last]!.address });
        repackMarginRow(packed, columnar, last);
        same(last);
      }),
      { numRuns: 500, seed: 16 },
    );
  });

  it("the screen settles ordinary accounts itself: none of 2,000 synthetic ones is ambiguous", () => {
    const snapshot = syntheticSnapshot(2000, { seed: 4 });
    const columnar = buildColumnarSnapshot(snapshot, snapshot.accounts);
    const screen = prepareMarginScreen(snapshot);
    expect(snapshot.accounts.filter((_, row) => screenVerdict(columnar, row, screen) === 0)).toEqual([]);
  });

  it("an account exactly at maintenance is left to the exact engine, and found safe", () => {
    const snapshot = syntheticSnapshot(1, { seed: 2 });
    const [account] = snapshot.accounts;
    const risk = computeAccountRisk(snapshot, account!);
    const atLine = { ...account!, cashUsd: account!.cashUsd + risk.maintenanceMarginUsd - risk.equityUsd };
    const columnar = buildColumnarSnapshot(snapshot, [atLine, { ...atLine, address: "0x00000000000000000000000000000000000000ff", cashUsd: atLine.cashUsd - 1n }]);
    const screen = prepareMarginScreen(snapshot);
    expect(screenVerdict(columnar, 0, screen)).toBe(0);
    expect([...findRowsBelow(columnar, [screen])[0]!]).toEqual([1]);
  });
});

describe("findLiquidatableAcross", () => {
  it("test_fuzz_many_price_vectors_in_one_pass_equal_one_exact_scan_each", () => {
    const moves = fc.array(fc.array(fc.integer({ min: 1, max: 3_000_000 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(venueWithAccounts, moves, ([venue, shapes], vectors) => {
        const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n));
        const columnar = buildColumnarSnapshot(venue, accounts);
        const scenarios = vectors.map((v) => ({ markPricesWad: venue.markets.map((m, i) => (m.markPriceWad * BigInt(v[i]!)) / 1_000_000n), collateralPricesWad: venue.collaterals.map((c, i) => (c.priceWad * BigInt(v[2 - i]!)) / 1_000_000n) }));
        const found = findLiquidatableAcross(columnar, scenarios);
        scenarios.forEach((scenario, k) => {
          const prices = pricesOf(venue, scenario);
          expect([...found[k]!]).toEqual(accounts.flatMap((a, row) => (isLiquidatable(computeAccountRisk(prices, a)) ? [row] : [])));
        });
      }),
      { numRuns: 400, seed: 16 },
    );
  });
});
