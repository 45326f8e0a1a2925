import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountOf, applyTrade, setPosition, workingCopy } from "../liquidation/applyTrade.ts";
import { syntheticSnapshot } from "../testing/syntheticVenue.ts";
import { addRoundSize, createKeeperLog, logTakeover, replayKeeperLog, unwindLoggedKeeper } from "./keeperLog.ts";
import { CASCADE_KEEPER, unwindKeeperAccount } from "./simulateCascade.ts";

const WAD = 10n ** 18n;

/** Rounds of takeovers (market, signed size, mark) with rewards; after some rounds the log is replayed (a liquidation that goes the whole way). */
const arbitraryRounds = fc.array(
  fc.record({
    takeovers: fc.array(
      fc.record({
        marketId: fc.integer({ min: 0, max: 2 }),
        sizeBase: fc.oneof(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.constantFrom(1n, -1n, WAD, -WAD, 3n, -7n)).filter((x) => x !== 0n),
        rewardUsd: fc.bigInt({ min: 0n, max: 10n ** 21n }),
      }),
      { maxLength: 12 },
    ),
    marksWad: fc.array(fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.constantFrom(1n, WAD, 3000n * WAD + 1n)), { minLength: 3, maxLength: 3 }),
    replayAfter: fc.boolean(),
    slowTakeover: fc.option(fc.record({ marketId: fc.integer({ min: 0, max: 2 }), sizeBase: fc.constantFrom(WAD, -WAD, 5n) }), { nil: undefined }),
  }),
  { maxLength: 8 },
);

describe("keeperLog", () => {
  it("test_fuzz_logged_then_replayed_equals_applied_at_once: keeper cash, positions and open interest to the wei, and the same sizes at every unwind", () => {
    fc.assert(
      fc.property(arbitraryRounds, (rounds) => {
        const snapshot = syntheticSnapshot(3, { seed: 5 });
        // Each takeover is an account's (one position) at a row of its own: the log reads it there on replay.
        let row = snapshot.accounts.length;
        const takeovers = rounds.flatMap((round) => round.takeovers);
        snapshot.accounts.push(
          ...takeovers.map(({ marketId, sizeBase }, i) => ({ address: `0x${(0xabc000 + i).toString(16).padStart(40, "0")}` as const, cashUsd: 0n, balancesNative: snapshot.collaterals.map(() => 0n), positions: [{ marketId, sizeBase, openNotionalUsd: 0n }] })),
        );
        const eager = workingCopy(snapshot);
        const lazy = workingCopy(snapshot);
        accountOf(eager, CASCADE_KEEPER).cashUsd = 10n ** 40n;
        accountOf(lazy, CASCADE_KEEPER).cashUsd = 10n ** 40n;
        const log = createKeeperLog(CASCADE_KEEPER, snapshot.markets.length);
        for (const round of rounds) {
          for (const { marketId, sizeBase, rewardUsd } of round.takeovers) {
            const markPriceWad = round.marksWad[marketId]!;
            accountOf(eager, CASCADE_KEEPER).cashUsd += rewardUsd;
            applyTrade(eager, CASCADE_KEEPER, marketId, sizeBase, markPriceWad);
            logTakeover(log, rewardUsd, row, round.marksWad.map((mark) => ({ markPriceWad: mark })));
            addRoundSize(log, marketId, sizeBase);
            row++;
          }
          if (round.slowTakeover) {
            // A liquidation that goes the whole way: the log is replayed first, then the keeper trades on its account.
            const { marketId, sizeBase } = round.slowTakeover;
            replayKeeperLog(lazy, log);
            expect(accountOf(lazy, CASCADE_KEEPER)).toEqual(accountOf(eager, CASCADE_KEEPER));
            applyTrade(eager, CASCADE_KEEPER, marketId, sizeBase, round.marksWad[marketId]!);
            applyTrade(lazy, CASCADE_KEEPER, marketId, sizeBase, round.marksWad[marketId]!);
          }
          expect(unwindLoggedKeeper(lazy, log)).toEqual(unwindKeeperAccount(eager));
          // The account is never ahead of the real keeper, and flat at the next round's start.
          expect(lazy.snapshot.accounts.find((a) => a.address === CASCADE_KEEPER)!.positions).toEqual([]);
          expect(lazy.snapshot.accounts.find((a) => a.address === CASCADE_KEEPER)!.cashUsd <= accountOf(eager, CASCADE_KEEPER).cashUsd).toBe(true);
          if (round.replayAfter) replayKeeperLog(lazy, log);
        }
        replayKeeperLog(lazy, log);
        expect(accountOf(lazy, CASCADE_KEEPER)).toEqual(accountOf(eager, CASCADE_KEEPER));
        expect(lazy.snapshot.markets).toEqual(eager.snapshot.markets);
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it("an unwind with nothing logged drops the account's own positions, as runCascade always did", () => {
    const state = workingCopy(syntheticSnapshot(1, { seed: 2 }));
    const keeper = accountOf(state, CASCADE_KEEPER);
    setPosition(state, keeper, 1, -2n * WAD, -120_000n * WAD);
    expect(unwindLoggedKeeper(state, createKeeperLog(CASCADE_KEEPER, 3))).toEqual([0n, -2n * WAD, 0n]);
    expect(keeper.positions).toEqual([]);
  });
});
