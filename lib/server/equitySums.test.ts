import { describe, expect, it } from "vitest";
import { columnarOf, computeAccountRisk, unpricedEquity, type ProtocolSnapshot } from "../../engine/index.ts";
import { syntheticSnapshot } from "../../engine/testing/syntheticVenue.ts";
import { runUntilHelped } from "../testing/runUntilHelped.ts";
import { equitySumJobs, equitySumsOf, sumEquityJob } from "./equitySums.ts";

/** Σ equity and Σ weighted collateral account by account, in bigint (the engine's per-account path). */
function sumsAccountByAccount(s: ProtocolSnapshot) {
  let [equityUsd, collateralValueUsd] = [0n, 0n];
  for (const account of s.accounts) {
    const risk = computeAccountRisk(s, account);
    equityUsd += risk.equityUsd;
    collateralValueUsd += risk.collateralValueUsd;
  }
  return { equityUsd, collateralValueUsd };
}

describe("the sums of a block's equity as a job (equitySums), on the helper thread", () => {
  it("gives every account's equity and weighted collateral summed to the wei", { timeout: 60_000 }, () => {
    const s = syntheticSnapshot(2_000, { seed: 9 });
    const { jobs, helped } = runUntilHelped(() => equitySumJobs(columnarOf(s), s));
    expect(helped).toBe(1);
    expect(equitySumsOf(jobs)).toMatchObject(sumsAccountByAccount(s));
  });

  it("in parts, stretches of rows whose sums add up to the whole's, to the wei, whichever thread runs each", { timeout: 60_000 }, () => {
    const s = syntheticSnapshot(2_001, { seed: 5 });
    const columnar = columnarOf(s);
    const unpricedUsd = unpricedEquity(columnar);
    const whole = equitySumJobs(columnar, s);
    sumEquityJob(whole[0]!);
    for (const given of [undefined, unpricedUsd]) {
      const parts = equitySumJobs(columnar, s, given, 3);
      expect(parts.map((job) => [job.from, job.to])).toEqual([[0, 667], [667, 1334], [1334, 2001]]);
      const { helped } = runUntilHelped(() => parts);
      expect(helped).toBeGreaterThan(0);
      expect(equitySumsOf(parts)).toEqual({ ...sumsAccountByAccount(s), unpricedUsd });
      expect(equitySumsOf(parts)).toEqual(equitySumsOf(whole));
    }
  });

  it("given the rows' unpriced part (Σ cash − Σ open notional), sums the same without summing those columns", () => {
    const s = syntheticSnapshot(300, { seed: 21 });
    const columnar = columnarOf(s);
    const unpricedUsd = unpricedEquity(columnar);
    expect(unpricedUsd).toBe(s.accounts.reduce((sum, a) => a.positions.reduce((rest, p) => rest - p.openNotionalUsd, sum + a.cashUsd), 0n));
    const [whole, given] = [equitySumJobs(columnar, s), equitySumJobs(columnar, s, unpricedUsd)];
    for (const job of [...whole, ...given]) sumEquityJob(job);
    expect(equitySumsOf(given)).toEqual(equitySumsOf(whole));
    expect(equitySumsOf(whole)).toEqual({ ...sumsAccountByAccount(s), unpricedUsd });
    // It is taken as given: one wei off, the sum is one wei off.
    const off = equitySumJobs(columnar, s, unpricedUsd + 1n);
    sumEquityJob(off[0]!);
    expect(equitySumsOf(off).equityUsd).toBe(equitySumsOf(whole).equityUsd + 1n);
  });

  it("carries a negative sum (a venue in deficit) and one past 2⁶⁴ through its limbs", () => {
    const base = syntheticSnapshot(50, { seed: 3 });
    for (const cash of [-(10n ** 40n), 3n * 2n ** 190n + 7n]) {
      const s = { ...base, accounts: base.accounts.map((a, row) => (row === 7 ? { ...a, cashUsd: cash } : a)) };
      const jobs = equitySumJobs(columnarOf(s), s);
      sumEquityJob(jobs[0]!);
      expect(equitySumsOf(jobs)).toMatchObject(sumsAccountByAccount(s));
    }
  });

  it("refuses, in words, a sum too wide for its limbs", () => {
    const base = syntheticSnapshot(5, { seed: 3 });
    const s = { ...base, accounts: base.accounts.map((a, row) => (row === 1 ? { ...a, cashUsd: 2n ** 300n } : a)) };
    expect(() => sumEquityJob(equitySumJobs(columnarOf(s), s)[0]!)).toThrow(/^block views: a sum of equity of \d+ wei does not fit 256 bits$/);
  });
});
