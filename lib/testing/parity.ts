/**
 * Differential test, engine ⇄ contract, on random states of a real anvil.
 *
 * Each run reverts to a fresh deployment and builds a random state from its seed: random risk
 * parameters (with arbitrary low digits, to exercise rounding), collateral weights, ADL mode,
 * prices, 3–10 accounts with USDC and WETH, random trades (whatever the chain accepts), random
 * insurance and default funds (often empty, to reach ADL and bad debt), then a price shock. The
 * engine reads the snapshot, lists the liquidatable accounts and predicts the outcome of
 * liquidating them in order; the keeper then liquidates them on chain in that order. The run
 * passes when the chain's state afterwards equals the engine's prediction field for field, to
 * the wei, and the contract's Liquidated / DeficitAbsorbed / AdlFill events equal the ledgers.
 */

import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  encodeFunctionData,
  http,
  keccak256,
  maxUint256,
  parseEther,
  stringToHex,
  type Address,
  type Hex,
} from "viem";
import { foundry } from "viem/chains";
import { findLiquidatable, simulateLiquidations, type LiquidationLedger } from "../../engine/liquidation/simulateLiquidation.ts";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { deployProtocol, installMulticall3 } from "../contracts/deployProtocol.ts";
import { seededRandom, type Random } from "../../engine/math/random.ts";
import { readSnapshot } from "../actions/readSnapshot.ts";
import { clearinghouseAbi, clearinghouseLensAbi, priceOracleAbi, testTokenAbi } from "../contracts/abis.ts";
import { startAnvil } from "../local/anvil.ts";
import { sendCalls, type Call } from "../local/sendCalls.ts";
import { WAD } from "../../engine/math/wad.ts";


export interface ParityMismatch {
  run: number;
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface RunParityParameters {
  runs: number;
  seed: number;
  onRun?: (run: number, liquidations: number) => void;
}

export interface RunParityReturnType {
  runs: number;
  liquidations: number;
  bankruptcies: number;
  adlFills: number;
  mismatches: ParityMismatch[];
}

/** A random WAD in [lo, hi) with arbitrary low digits. */
function randomWad(rng: Random, lo: number, hi: number): bigint {
  const whole = BigInt(Math.floor((lo + rng.next() * (hi - lo)) * 1e6)) * 10n ** 12n;
  return whole + BigInt(Math.floor(rng.next() * 1e12));
}

const bigintReplacer = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
const same = (a: unknown, b: unknown) => JSON.stringify(a, bigintReplacer) === JSON.stringify(b, bigintReplacer);

/** The parts of a snapshot a liquidation can change, in a canonical order. */
function comparable(s: ProtocolSnapshot) {
  return {
    accounts: [...s.accounts].sort((a, b) => (a.address < b.address ? -1 : 1)).map((a) => ({ ...a, positions: [...a.positions] })),
    openInterest: s.markets.map((m) => [m.longOpenInterestBase, m.shortOpenInterestBase]),
    collaterals: s.collaterals.map((c) => [c.totalDepositsNative, c.seizedNative]),
    reserves: s.reserves,
  };
}

export async function runParity({ runs, seed, onRun }: RunParityParameters): Promise<RunParityReturnType> {
  const anvil = await startAnvil({ args: ["--gas-limit", "100000000"] });
  try {
    const transport = http(anvil.rpcUrl);
    const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 20 });
    const testClient = createTestClient({ chain: foundry, mode: "anvil", transport });
    const dev = await createWalletClient({ chain: foundry, transport }).getAddresses();
    const [deployer, funder, keeper] = [dev[0]!, dev[7]!, dev[9]!];
    const walletClient = createWalletClient({ chain: foundry, account: deployer, transport });
    await installMulticall3(publicClient, walletClient);
    const deployment = await deployProtocol({ publicClient, walletClient, deployer });
    const c = deployment.contracts;
    await testClient.impersonateAccount({ address: c.timelock });
    await testClient.setBalance({ address: c.timelock, value: parseEther("1000") });
    let base = await testClient.snapshot();
    const markets = await publicClient.readContract({ address: c.lens, abi: clearinghouseLensAbi, functionName: "getMarkets" });

    const tx = (from: Address, to: Address, abi: readonly unknown[], functionName: string, args: unknown[], label = functionName): Call => ({
      from,
      to,
      data: encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]) as Hex,
      label,
    });
    const ch = (from: Address, functionName: string, args: unknown[]) => tx(from, c.clearinghouse, clearinghouseAbi, functionName, args);

    const result: RunParityReturnType = { runs, liquidations: 0, bankruptcies: 0, adlFills: 0, mismatches: [] };
    for (let run = 0; run < runs; run++) {
      await testClient.revert({ id: base });
      base = await testClient.snapshot(); // a revert consumes the snapshot
      const rng = seededRandom(seed * 100_003 + run);
      const accounts = Array.from({ length: 3 + Math.floor(rng.next() * 8) }, (_, j) => `0x${keccak256(stringToHex(`parity-${seed}-${run}-${j}`)).slice(26)}` as Address);
      const prices = [randomWad(rng, 500, 5000), randomWad(rng, 10_000, 100_000), randomWad(rng, 5, 500)];
      const wethPrice = prices[0]!;

      // Governance: parameters, weights, ADL mode (the timelock, impersonated).
      const setup: Call[] = [
        tx(deployer, c.oracle, priceOracleAbi, "setPrices", [[...markets.map((m) => m.feedId)], prices]),
        ...markets.map((m, i) => {
          const imr = randomWad(rng, 0.02, 0.5);
          const mmr = (imr * BigInt(Math.floor((0.3 + rng.next() * 0.6) * 1e6))) / 1_000_000n + 1n;
          const penalty = (mmr * BigInt(Math.floor(rng.next() * 0.9 * 1e6))) / 1_000_000n;
          const params = { imr, mmr, liquidationPenalty: penalty, keeperShare: randomWad(rng, 0, 1), oiCapUsd: 10n ** 33n, concentrationCap: WAD, oracleMaxAge: 7n * 86_400n };
          return ch(c.timelock, "setMarketParams", [BigInt(i), params]);
        }),
        ch(c.timelock, "setCollateralParams", [0n, { weight: randomWad(rng, 0.8, 1), depositCap: maxUint256 / 2n, oracleMaxAge: 7n * 86_400n }]),
        ch(c.timelock, "setCollateralParams", [1n, { weight: randomWad(rng, 0.3, 0.95), depositCap: maxUint256 / 2n, oracleMaxAge: 7n * 86_400n }]),
        ch(c.timelock, "setAdlMode", [rng.next() < 0.5 ? 0 : 1]),
        tx(deployer, c.usdc, testTokenAbi, "mint", [deployer, 10n ** 18n]),
        tx(deployer, c.weth, testTokenAbi, "mint", [deployer, 10n ** 30n]),
        tx(deployer, c.usdc, testTokenAbi, "approve", [c.clearinghouse, maxUint256]),
        tx(deployer, c.weth, testTokenAbi, "approve", [c.clearinghouse, maxUint256]),
        tx(deployer, c.usdc, testTokenAbi, "mint", [funder, 10n ** 15n]),
        tx(funder, c.usdc, testTokenAbi, "approve", [c.clearinghouse, maxUint256]),
      ];
      await sendCalls(publicClient, { calls: setup, gasPerCall: 10_000_000n });
      // Transactions of different senders may land in any order within a block: what depends on
      // another sender's transaction goes in the next round.
      const funding: Call[] = [ch(deployer, "depositFor", [keeper, 0n, 10n ** 16n])];
      const equityUsd = accounts.map(() => 100 + rng.next() * 100_000);
      for (const [j, account] of accounts.entries()) {
        const wethShare = rng.next() < 0.3 ? rng.next() : 0;
        funding.push(ch(deployer, "depositFor", [account, 0n, BigInt(Math.floor(equityUsd[j]! * (1 - wethShare) * 1e6)) + 1n]));
        if (wethShare > 0) funding.push(ch(deployer, "depositFor", [account, 1n, (BigInt(Math.floor(equityUsd[j]! * wethShare * 1e6)) * WAD * 10n ** 12n) / wethPrice]));
      }
      const insurance = rng.next() < 0.4 ? 0 : Math.floor(rng.next() * 50_000);
      const defaultFund = rng.next() < 0.4 ? 0 : Math.floor(rng.next() * 50_000);
      if (insurance) funding.push(ch(funder, "fundInsurance", [BigInt(insurance) * 10n ** 6n]));
      if (defaultFund) funding.push(ch(funder, "stakeDefaultFund", [BigInt(defaultFund) * 10n ** 6n]));
      await sendCalls(publicClient, { calls: funding, gasPerCall: 10_000_000n });

      // Random trades: sized against the taker's equity so most pass; the chain keeps what it accepts.
      const trades: Call[] = [];
      for (let k = 0; k < accounts.length * 3; k++) {
        const taker = Math.floor(rng.next() * accounts.length);
        const maker = (taker + 1 + Math.floor(rng.next() * (accounts.length - 1))) % accounts.length;
        const market = Math.floor(rng.next() * 3);
        const notional = equityUsd[Math.min(taker, maker)]! * (0.5 + rng.next() * 4) * (rng.next() < 0.5 ? -1 : 1);
        const size = (BigInt(Math.round(notional * 1e6)) * 10n ** 12n * WAD) / prices[market]!;
        if (size !== 0n) trades.push(ch(deployer, "trade", [accounts[taker], accounts[maker], BigInt(market), size]));
      }
      await sendCalls(publicClient, { calls: trades, mode: "lenient", gasPerCall: 10_000_000n });

      const shocked = prices.map((p) => (p * BigInt(Math.floor((0.55 + rng.next() * 0.9) * 1e6))) / 1_000_000n + 1n);
      await sendCalls(publicClient, { calls: [tx(deployer, c.oracle, priceOracleAbi, "setPrices", [[...markets.map((m) => m.feedId)], shocked])] });

      const before = await readSnapshot(publicClient, { deployment });
      const order = findLiquidatable(before);
      const predicted = simulateLiquidations(before, order, keeper);
      const liquidations = order.map((a) => ch(keeper, "liquidate", [a]));
      const { reverted } = await sendCalls(publicClient, { calls: liquidations, mode: "lenient", gasPerCall: 30_000_000n });
      const after = await readSnapshot(publicClient, { deployment });

      const mismatch = (what: string, expected: unknown, actual: unknown) => result.mismatches.push({ run, what, expected, actual });
      const revertedAccounts = reverted.map((call) => order[liquidations.indexOf(call)]);
      const skippedAccounts = predicted.skipped.map((s) => s.account);
      if (!same(skippedAccounts, revertedAccounts)) mismatch("accounts the keeper could not liquidate", skippedAccounts, revertedAccounts);
      const expectedState = comparable(predicted.snapshot);
      const actualState = comparable(after);
      for (const key of Object.keys(expectedState) as (keyof typeof expectedState)[]) {
        if (!same(expectedState[key], actualState[key])) mismatch(`state: ${key}`, expectedState[key], actualState[key]);
      }
      const events = after.blockNumber > before.blockNumber ? await eventLedgers(publicClient, c.clearinghouse, before.blockNumber + 1n) : [];
      const expectedEvents = predicted.ledgers.map(ledgerEvents);
      if (!same(expectedEvents, events)) mismatch("liquidation events", expectedEvents, events);

      result.liquidations += predicted.ledgers.length;
      result.bankruptcies += predicted.ledgers.filter((l) => l.deficitUsd > 0n).length;
      result.adlFills += predicted.ledgers.reduce((n, l) => n + l.adlFills.length, 0);
      onRun?.(run, predicted.ledgers.length);
    }
    return result;
  } finally {
    await anvil.stop();
  }
}

/** What the contract's events say of one liquidation, in the engine's ledger terms. */
function ledgerEvents(l: LiquidationLedger) {
  return {
    account: l.account,
    equity: l.equityUsd,
    penalty: l.penaltyUsd,
    keeperReward: l.keeperRewardUsd,
    insuranceFee: l.insuranceFeeUsd,
    deficit: l.deficitUsd > 0n ? [l.deficitUsd, l.collateralLostUsd, l.insuranceDrawUsd, l.defaultFundDrawUsd, l.adlAbsorbedUsd, l.badDebtUsd] : null,
    fills: canonicalFills(l.adlFills.map((f) => [f.marketId, f.counterparty, f.quantityBase, f.haircutUsd])),
  };
}

type Fill = [number, `0x${string}`, bigint, bigint];

/** Fills by market, then counterparty: pro-rata fills are emitted in the chain's holder order. */
function canonicalFills(fills: Fill[]): Fill[] {
  return [...fills].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

async function eventLedgers(client: ReturnType<typeof createPublicClient>, clearinghouse: Address, fromBlock: bigint) {
  const logs = await client.getLogs({ address: clearinghouse, fromBlock, toBlock: "latest" });
  const ledgers: ReturnType<typeof ledgerEvents>[] = [];
  for (const log of logs) {
    const event = decodeEventLog({ abi: clearinghouseAbi, data: log.data, topics: log.topics });
    const current = ledgers.at(-1);
    if (event.eventName === "Liquidated") {
      const a = event.args;
      ledgers.push({ account: a.account.toLowerCase() as `0x${string}`, equity: a.equity, penalty: a.penalty, keeperReward: a.keeperReward, insuranceFee: a.insuranceFee, deficit: null, fills: [] });
    } else if (event.eventName === "DeficitAbsorbed" && current) {
      const a = event.args;
      current.deficit = [a.deficit, a.collateralLost, a.insuranceDraw, a.defaultFundDraw, a.adlAbsorbed, a.badDebt];
    } else if (event.eventName === "AdlFill" && current) {
      const a = event.args;
      current.fills.push([Number(a.marketId), a.counterparty.toLowerCase() as `0x${string}`, a.quantity, a.haircut]);
    }
  }
  return ledgers.map((l) => ({ ...l, fills: canonicalFills(l.fills as Fill[]) }));
}

