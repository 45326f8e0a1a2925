import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeAddress, fakeLong, fakeSnapshot, usd } from "../testing/fakes.ts";
import { syntheticVenueParams } from "../testing/syntheticVenue.ts";
import type { Account, ProtocolSnapshot } from "../types.ts";
import {
  buildColumnarSnapshot,
  columnarAccount,
  columnarAddress,
  copyColumnarSnapshot,
  createColumnarSnapshot,
  indexOfAddress,
  setColumnarAccount,
  type Venue,
} from "./columnarSnapshot.ts";

/** The fake venue (one market, USDC and WETH): everything of its snapshot but the accounts. */
const venue: Venue = (() => {
  const s: Partial<ProtocolSnapshot> = fakeSnapshot([]);
  delete s.accounts;
  return s as Venue;
})();
/** A venue with three markets (ids 0–2), for positions out of order. */
const wideVenue = syntheticVenueParams();
const rowsOf = (columnar: ReturnType<typeof buildColumnarSnapshot>) => Array.from({ length: columnar.count }, (_, row) => columnarAccount(columnar, row));

describe("columnarSnapshot", () => {
  it("an account goes in and comes back field for field: cash, balances, positions, address", () => {
    const accounts = [fakeLong(1, 100, 2, 0.5), fakeLong(2, -30, 0), { ...fakeLong(3, 0, -1), cashUsd: -(2n ** 200n) }];
    const columnar = buildColumnarSnapshot(venue, accounts);
    expect(columnar.count).toBe(3);
    expect(rowsOf(columnar)).toEqual(accounts);
  });

  it("positions come back ascending by market whatever order they went in, and a missing balance reads 0", () => {
    const account: Account = {
      address: fakeAddress(7),
      cashUsd: usd(5),
      balancesNative: [usd(1)],
      positions: [
        { marketId: 2, sizeBase: -usd(3), openNotionalUsd: -usd(450) },
        { marketId: 0, sizeBase: usd(1), openNotionalUsd: usd(3000) },
      ],
    };
    const columnar = buildColumnarSnapshot(wideVenue, [account]);
    expect(columnarAccount(columnar, 0)).toEqual({ ...account, balancesNative: [usd(1), 0n], positions: [account.positions[1], account.positions[0]] });
  });

  it("addresses are stored as bytes and read back lower-case; found in any case; an unknown one is −1", () => {
    const mixed = "0xAbCdEf0123456789aBcDeF0123456789ABCDEF01" as const;
    const columnar = buildColumnarSnapshot(venue, [fakeLong(1, 0, 0), { ...fakeLong(2, 0, 0), address: mixed }]);
    expect(columnarAddress(columnar, 1)).toBe(mixed.toLowerCase());
    expect(indexOfAddress(columnar, mixed.toLowerCase())).toBe(1);
    expect(indexOfAddress(columnar, mixed.toUpperCase().replace("0X", "0x"))).toBe(1);
    expect(indexOfAddress(columnar, fakeAddress(1))).toBe(0);
    expect(indexOfAddress(columnar, fakeAddress(3))).toBe(-1);
  });

  it("grows past its capacity, from a generator, keeping every row and its address index", () => {
    function* many() {
      for (let n = 1; n <= 300; n++) yield fakeLong(n, n, n % 3 === 0 ? 0 : n / 100);
    }
    const columnar = buildColumnarSnapshot(venue, many(), 1);
    expect(columnar.count).toBe(300);
    expect(rowsOf(columnar)).toEqual([...many()]);
    for (const n of [1, 2, 150, 300]) expect(indexOfAddress(columnar, fakeAddress(n))).toBe(n - 1);
  });

  it("overwriting a row replaces its positions (an old one is cleared), appending at count adds one, past it throws", () => {
    const columnar = buildColumnarSnapshot(venue, [fakeLong(1, 10, 1)]);
    setColumnarAccount(columnar, 0, fakeLong(1, 20, 0));
    expect(columnarAccount(columnar, 0)).toEqual(fakeLong(1, 20, 0));
    expect(columnarAccount(columnar, 0).positions).toEqual([]);
    setColumnarAccount(columnar, 1, fakeLong(2, 5, 3));
    expect(columnar.count).toBe(2);
    expect(columnarAccount(columnar, 1).positions).toHaveLength(1);
    expect(() => setColumnarAccount(columnar, 3, fakeLong(3, 0, 0))).toThrow(RangeError);
  });

  it("refuses a position in a market the venue does not have", () => {
    const columnar = createColumnarSnapshot(venue, 4);
    expect(() => setColumnarAccount(columnar, 0, { ...fakeLong(1, 0, 0), positions: [{ marketId: 1, sizeBase: 1n, openNotionalUsd: 1n }] })).toThrow(/market 1/);
  });

  it("a copy holds the same rows and changes independently of the original, wide values included", () => {
    const original = buildColumnarSnapshot(venue, [fakeLong(1, 10, 1), { ...fakeLong(2, 0, 0), cashUsd: 2n ** 300n }]);
    const copy = copyColumnarSnapshot(original);
    expect(rowsOf(copy)).toEqual(rowsOf(original));
    setColumnarAccount(copy, 0, fakeLong(1, 99, 0));
    setColumnarAccount(copy, 1, fakeLong(2, 1, 0));
    setColumnarAccount(copy, 2, fakeLong(3, 1, 0));
    expect(rowsOf(original)).toEqual([fakeLong(1, 10, 1), { ...fakeLong(2, 0, 0), cashUsd: 2n ** 300n }]);
    expect(indexOfAddress(original, fakeAddress(3))).toBe(-1);
    expect(indexOfAddress(copy, fakeAddress(3))).toBe(2);
  });

  it("test_fuzz_any_account_round_trips: random addresses, int256 cash, balances and positions", () => {
    const int256 = fc.bigInt({ min: -(2n ** 255n), max: 2n ** 255n - 1n });
    const account = fc.record({
      address: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as const),
      cashUsd: int256,
      balancesNative: fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })),
      sizes: fc.tuple(int256, int256, int256),
      notionals: fc.tuple(int256, int256, int256),
    });
    fc.assert(
      fc.property(fc.uniqueArray(account, { selector: (a) => a.address, maxLength: 40 }), (drawn) => {
        const accounts: Account[] = drawn.map((a) => ({
          address: a.address,
          cashUsd: a.cashUsd,
          balancesNative: [...a.balancesNative],
          positions: a.sizes.flatMap((sizeBase, marketId) => (sizeBase === 0n ? [] : [{ marketId, sizeBase, openNotionalUsd: a.notionals[marketId]! }])),
        }));
        const columnar = buildColumnarSnapshot(wideVenue, accounts);
        expect(rowsOf(columnar)).toEqual(accounts);
        accounts.forEach((a, row) => expect(indexOfAddress(columnar, a.address)).toBe(row));
      }),
      { numRuns: 200, seed: 41 },
    );
  });
});
