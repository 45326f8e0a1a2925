import { expect, it } from "vitest";
import { AdlMode, type ProtocolSnapshot } from "../types.ts";
import { simulateLiquidations } from "./simulateLiquidation.ts";

const WAD = 10n ** 18n;
const A = "0x000000000000000000000000000000000000000a" as const;
const B = "0x000000000000000000000000000000000000000b" as const;
const POOR_KEEPER = "0x00000000000000000000000000000000000000cc" as const;

/** Fake market for this test: A is long 2 ETH from $3,000 with $100 left at $2,500, B short. */
const fixtureSnapshot: ProtocolSnapshot = {
  chainId: 1, blockNumber: 1n, blockHash: "0x00", timestamp: 0n,
  markets: [{ id: 0, symbol: "ETH-PERP", feedId: "0x00", markPriceWad: 2500n * WAD, priceUpdatedAt: 0n, frozen: false, paused: false, unpausedAt: 0n, longOpenInterestBase: 2n * WAD, shortOpenInterestBase: 2n * WAD, params: { imrWad: WAD / 10n, mmrWad: WAD / 20n, liquidationPenaltyWad: WAD / 50n, keeperShareWad: WAD / 2n, oiCapUsd: 10n ** 30n, concentrationCapWad: WAD, oracleMaxAgeSec: 3600n } }],
  collaterals: [{ id: 0, symbol: "USDC", token: "0x00", decimals: 6, feedId: "0x00", priceWad: WAD, priceUpdatedAt: 0n, params: { weightWad: WAD, depositCapNative: 0n, oracleMaxAgeSec: 3600n }, frozen: false, totalDepositsNative: 0n, seizedNative: 0n }],
  accounts: [
    { address: A, cashUsd: 1100n * WAD, balancesNative: [0n], positions: [{ marketId: 0, sizeBase: 2n * WAD, openNotionalUsd: 6000n * WAD }] },
    { address: B, cashUsd: 10_000n * WAD, balancesNative: [0n], positions: [{ marketId: 0, sizeBase: -2n * WAD, openNotionalUsd: -6000n * WAD }] },
  ],
  reserves: { insuranceFundUsd: 0n, defaultFundUsd: 0n, defaultFundShares: 0n, pendingWithdrawalShares: 0n, badDebtUsd: 0n },
  global: { adlMode: AdlMode.Queue, gracePeriodSec: 0n, defaultFundCooldownSec: 0n },
};

it("a keeper who cannot carry the positions is refused and the state is left exactly as it was", () => {
  const { snapshot, ledgers, skipped } = simulateLiquidations(fixtureSnapshot, [A], POOR_KEEPER);
  expect(ledgers).toEqual([]);
  expect(skipped).toEqual([{ account: A, errorName: "InsufficientMargin" }]);
  expect(snapshot).toEqual(fixtureSnapshot);
});

it("an account that is not liquidatable is skipped as the contract would revert it, and the next one still goes through", () => {
  const rich = { ...fixtureSnapshot, accounts: [...fixtureSnapshot.accounts, { address: POOR_KEEPER, cashUsd: 10n ** 30n, balancesNative: [0n], positions: [] }] };
  const { ledgers, skipped, snapshot } = simulateLiquidations(rich, [B, A], POOR_KEEPER);
  expect(skipped).toEqual([{ account: B, errorName: "AccountHealthy" }]);
  // A: equity 1,100 + 5,000 − 6,000 = $100 < MM $250; penalty min(2 % of 5,000 = 100, 100) = $100
  expect(ledgers.map((l) => [l.account, l.equityUsd, l.penaltyUsd])).toEqual([[A, 100n * WAD, 100n * WAD]]);
  expect(snapshot.accounts.find((a) => a.address === POOR_KEEPER)!.positions).toEqual([{ marketId: 0, sizeBase: 2n * WAD, openNotionalUsd: 5000n * WAD }]);
});
