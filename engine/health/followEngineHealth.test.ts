import fc from "fast-check";
import { expect, it } from "vitest";
import { arbitraryBlockChange, nextBlock } from "../testing/blockChanges.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { computeEngineHealth, followEngineHealth } from "./computeEngineHealth.ts";

const options = { gasPriceWei: 3n * 10n ** 9n };

it("test_fuzz_followed_health_equals_from_scratch: block after block of edits, new accounts, deficits, price moves", () => {
  let negativeBlocks = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(arbitraryBlockChange, { minLength: 1, maxLength: 8 }), (seed, changes) => {
      let s = syntheticSnapshot(150, { seed, nearMaintenance: 0.3 });
      let last = followEngineHealth(s, options, undefined);
      for (const change of changes) {
        const previous = s;
        s = nextBlock(s, change);
        last = followEngineHealth(s, options, { snapshot: previous, rows: last.rows });
        expect(last.health).toEqual(computeEngineHealth(s, options));
        if (change.kind === "edit" && last.health.negativeEquity.accounts.length > 0) negativeBlocks++;
      }
    }),
    { numRuns: 120, seed: 15 },
  );
  // Books with accounts in negative equity, edited: what the carried sums must take out and put back.
  expect(negativeBlocks).toBeGreaterThan(100);
});
