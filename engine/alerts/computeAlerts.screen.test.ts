/**
 * computeAlerts' account-by-account alerts (liquidatable, negative equity, concentration), now read
 * off the columns, against the definition they replace: every account valued by the bigint engine.
 * Fake venues (engine/testing/adversarialVenue): accounts on the margin line, and venues whose caps
 * and open interest put positions exactly on each concentration threshold, one wei either side.
 */

import fc from "fast-check";
import { expect, it } from "vitest";
import { computeEngineHealth } from "../health/computeEngineHealth.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { isLiquidatable } from "../margin/isLiquidatable.ts";
import { abs, mulDivDown, WAD } from "../math/wad.ts";
import { adversarialAccount, arbitraryAccountShape, arbitraryVenue } from "../testing/adversarialVenue.ts";
import type { ProtocolSnapshot } from "../types.ts";
import { computeAlerts } from "./computeAlerts.ts";

/** The three alerts' accounts as the bigint engine finds them, account by account. */
function byEveryAccount(snapshot: ProtocolSnapshot) {
  const liquidatable: string[] = [];
  const negative: string[] = [];
  let negativeUsd = 0n;
  const concentrated = new Map<number, string[]>();
  for (const account of snapshot.accounts) {
    const risk = computeAccountRisk(snapshot, account);
    if (isLiquidatable(risk)) liquidatable.push(account.address);
    if (risk.equityUsd < 0n) {
      negative.push(account.address);
      negativeUsd -= risk.equityUsd;
    }
    for (const p of risk.positions) {
      const market = snapshot.markets[p.marketId]!;
      const sideOi = p.sizeBase > 0n ? market.longOpenInterestBase : market.shortOpenInterestBase;
      if (p.notionalUsd > mulDivDown(market.params.concentrationCapWad, market.params.oiCapUsd, WAD) || (sideOi > 0n && abs(p.sizeBase) * 2n >= sideOi && p.notionalUsd * 20n >= market.params.oiCapUsd)) {
        concentrated.set(p.marketId, [...(concentrated.get(p.marketId) ?? []), account.address]);
      }
    }
  }
  return { liquidatable, negative, negativeUsd, concentrated: [...concentrated] };
}

function byAlerts(snapshot: ProtocolSnapshot, withHealth: boolean) {
  const health = withHealth ? computeEngineHealth(snapshot, { gasPriceWei: 0n }) : undefined;
  const alerts = computeAlerts(snapshot, { health });
  const accountsOf = (id: string) => alerts.find((a) => a.id === id)?.accounts ?? [];
  return {
    liquidatable: accountsOf("liquidatable"),
    negative: accountsOf("negative-equity"),
    negativeUsd: health?.negativeEquity.usd,
    concentrated: alerts.filter((a) => a.id.startsWith("concentration-")).map((a) => [a.marketId!, a.accounts!] as const),
  };
}

/** Where each threshold lies for one account's position (its notional ⌊|s|·mark/1e18⌋ and size), δ wei off. */
const threshold = fc.record({ kind: fc.constantFrom("limit", "share", "side"), delta: fc.constantFrom(-1n, 0n, 1n, 7n) });

const arbitraryVenueSnapshot = fc
  .tuple(arbitraryVenue, fc.array(arbitraryAccountShape, { minLength: 1, maxLength: 25 }), fc.array(threshold, { minLength: 3, maxLength: 3 }), fc.nat(), fc.boolean())
  .map(([venue, shapes, thresholds, pick, wideCaps]) => {
    const accounts = shapes.map((shape, n) => adversarialAccount(venue, shape, n));
    const markets = venue.markets.map((market, m) => {
      const holders = accounts.flatMap((a) => a.positions.filter((p) => p.marketId === m));
      const held = holders[pick % Math.max(1, holders.length)];
      // A cap of 0 is not a listed market (the OI-near-cap alert divides by it).
      let [oiCapUsd, concentrationCapWad] = [10n ** 40n, market.params.concentrationCapWad];
      let [longOi, shortOi] = [0n, 0n];
      for (const p of holders) {
        if (p.sizeBase > 0n) longOi += p.sizeBase;
        else shortOi -= p.sizeBase;
      }
      if (held) {
        const size = abs(held.sizeBase);
        const notional = (size * market.markPriceWad) / WAD;
        const { kind, delta } = thresholds[m]!;
        oiCapUsd = wideCaps || notional === 0n ? 10n ** 40n : notional * 20n;
        concentrationCapWad = WAD;
        if (kind === "limit") oiCapUsd = notional + delta > 0n ? notional + delta : 1n;
        if (kind === "share") oiCapUsd = notional * 20n + delta > 0n ? notional * 20n + delta : 1n;
        if (kind !== "limit") concentrationCapWad = WAD * 10n ** 6n;
        const side = 2n * size + delta > 0n ? 2n * size + delta : 1n;
        if (kind === "side" && held.sizeBase > 0n) longOi = side;
        if (kind === "side" && held.sizeBase < 0n) shortOi = side;
      }
      return { ...market, longOpenInterestBase: longOi, shortOpenInterestBase: shortOi, params: { ...market.params, oiCapUsd, concentrationCapWad } };
    });
    return { ...venue, markets, accounts } as ProtocolSnapshot;
  });

it("liquidatable, negative-equity and concentration alerts name the accounts the bigint engine names, with health given or not", () => {
  fc.assert(
    fc.property(arbitraryVenueSnapshot, fc.boolean(), (snapshot, withHealth) => {
      const expected = byEveryAccount(snapshot);
      const actual = byAlerts(snapshot, withHealth);
      expect({ ...actual, negativeUsd: actual.negativeUsd ?? expected.negativeUsd }).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});

it("finds concentrated positions at all: the thresholds the venues are built on are hit", () => {
  let found = 0;
  fc.assert(fc.property(arbitraryVenueSnapshot, (snapshot) => void (found += byEveryAccount(snapshot).concentrated.length)), { numRuns: 200 });
  expect(found).toBeGreaterThan(20);
});
