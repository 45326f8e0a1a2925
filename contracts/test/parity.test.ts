import { expect, it } from "vitest";
import { runParity } from "../../lib/testing/parity.ts";

const bigintReplacer = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

it("test_differential_engine_matches_the_contract_to_the_wei on 500 random states", async () => {
  const result = await runParity({ runs: 500, seed: 1 });
  expect(result.mismatches.map((m) => JSON.stringify(m, bigintReplacer).slice(0, 2000))).toEqual([]);
  // The states must reach every layer of the waterfall, or agreement proves little.
  expect(result.liquidations).toBeGreaterThan(300);
  expect(result.bankruptcies).toBeGreaterThan(100);
  expect(result.adlFills).toBeGreaterThan(100);
}, 300_000);
