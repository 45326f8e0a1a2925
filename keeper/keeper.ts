/**
 * The liquidation keeper: on every new block it reads the snapshot, asks the engine which
 * accounts are liquidatable, and liquidates those whose keeper reward beats the estimated gas
 * cost, at most `capacityPerBlock` a block, riskiest first. A failed liquidation is retried on
 * later blocks (up to `maxAttempts`), then left and logged. Every decision is one JSON log line.
 */

import { createPublicClient, createWalletClient, encodeFunctionData, http, type Account, type Address, type PublicClient } from "viem";
import { computeAccountRisk, findLiquidatableRows, gasCostUsd, keeperReward, nativePriceWad, type ProtocolSnapshot } from "../engine/index.ts";
import { MAX_RPC_ANSWER_BYTES } from "../lib/chain.ts";
import { followSnapshot } from "../lib/actions/followSnapshot.ts";
import { clearinghouseAbi } from "../lib/contracts/abis.ts";
import { describeRevert } from "../lib/errors/describeRevert.ts";
import type { Deployment } from "../lib/contracts/deployment.ts";
import { BackstopError } from "../lib/errors/backstopError.ts";
import { waitForReceipt } from "../lib/contracts/waitForReceipt.ts";

export interface KeeperOptions {
  rpcUrl: string;
  deployment: Deployment;
  /**
   * The keeper's account — it must carry the positions it takes: an unlocked node account (local
   * chain) or a local account holding its key (any chain; `npm run keeper` reads BACKSTOP_KEEPER_KEY).
   */
  account: Account | Address;
  capacityPerBlock?: number;
  /** Gas a liquidation uses, to price it (measured ~250k on the local chain). */
  gasPerLiquidation?: bigint;
  /** USD per native coin (WAD), to turn gas into dollars; default the oracle's ETH-PERP mark. */
  nativePriceWad?: bigint;
  maxAttempts?: number;
  pollMs?: number;
  /**
   * Also liquidate bankrupt accounts, which pay the keeper nothing (the penalty is capped at
   * equity): the protocol's own backstop keeper, there to recognise deficits before they grow.
   * A third-party keeper leaves them — the dust of the engine-health panel.
   */
  liquidateBankrupt?: boolean;
  /** false: no polling; the caller drives `tick()` (the incident replays do). */
  poll?: boolean;
  log?: (entry: Record<string, unknown>) => void;
}

export interface Candidate {
  address: `0x${string}`;
  rewardUsd: bigint;
  health: number;
}

/**
 * Liquidatable accounts whose estimated keeper reward beats the gas cost (and, with
 * `liquidateBankrupt`, every account with negative equity), riskiest first.
 */
export function profitableCandidates(snapshot: ProtocolSnapshot, gasCostUsd: bigint, keeper: string, { liquidateBankrupt = false } = {}): { candidates: Candidate[]; unprofitable: Candidate[] } {
  const candidates: Candidate[] = [];
  const unprofitable: Candidate[] = [];
  // The columnar screen finds the liquidatable few at float speed (exactly); only those are valued in bigint.
  for (const row of findLiquidatableRows(snapshot)) {
    const account = snapshot.accounts[row]!;
    if (account.address === keeper.toLowerCase()) continue;
    const risk = computeAccountRisk(snapshot, account);
    const { rewardUsd } = keeperReward(snapshot, risk);
    const health = risk.maintenanceMarginUsd === 0n ? 0 : Number((risk.equityUsd * 1_000_000n) / risk.maintenanceMarginUsd) / 1e6;
    (rewardUsd >= gasCostUsd || (liquidateBankrupt && risk.equityUsd < 0n) ? candidates : unprofitable).push({ address: account.address, rewardUsd, health });
  }
  candidates.sort((a, b) => a.health - b.health || (a.address < b.address ? -1 : 1));
  return { candidates, unprofitable };
}

export function startKeeper(options: KeeperOptions) {
  const { rpcUrl, deployment, account, capacityPerBlock = 20, gasPerLiquidation = 250_000n, maxAttempts = 3, pollMs = 1000, poll = true, liquidateBankrupt = false, log = (e) => console.log(JSON.stringify({ t: new Date().toISOString(), ...e })) } = options;
  const transport = http(rpcUrl, { timeout: 15_000, maxResponseBodySize: MAX_RPC_ANSWER_BYTES });
  const client = createPublicClient({ transport, pollingInterval: 250 }) as PublicClient;
  const wallet = createWalletClient({ account, transport });
  const attempts = new Map<string, number>();
  let lastBlock = -1n;
  const follower = followSnapshot(client, { deployment });
  let busy = false;
  let stopped = false;

  async function tick() {
    if (busy || stopped) return;
    busy = true;
    try {
      const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
      if (blockNumber === lastBlock) return;
      lastBlock = blockNumber;
      // Only the accounts the new blocks named are read again (followSnapshot).
      const snapshot = await follower.read(await client.getBlock({ blockNumber }));
      const gasPrice = await client.getGasPrice();
      const gasUsd = gasCostUsd(gasPrice, gasPerLiquidation, options.nativePriceWad ?? nativePriceWad(snapshot));
      const { candidates, unprofitable } = profitableCandidates(snapshot, gasUsd, typeof account === "string" ? account : account.address, { liquidateBankrupt });
      if (unprofitable.length) log({ event: "unprofitable", block: Number(blockNumber), accounts: unprofitable.length, gasCostUsd: Number(gasUsd) / 1e18 });
      for (const candidate of candidates.filter((c) => (attempts.get(c.address) ?? 0) < maxAttempts).slice(0, capacityPerBlock)) {
        try {
          const call = { account: wallet.account, to: deployment.contracts.clearinghouse, data: encodeFunctionData({ abi: clearinghouseAbi, functionName: "liquidate", args: [candidate.address] }) };
          // Checked first, as a call: a liquidation that would revert costs no gas and says why.
          await client.call(call).catch((error: unknown) => {
            throw new BackstopError(`would revert: ${describeRevert(error)}`);
          });
          const hash = await wallet.sendTransaction({ ...call, gas: gasPerLiquidation * 4n, chain: null });
          const receipt = await waitForReceipt(client, { hash });
          if (receipt.status !== "success") {
            // Replayed where it ran, to read the reason a receipt does not carry.
            const why = await client.call({ ...call, blockNumber: receipt.blockNumber }).then(() => "the state changed between the check and the block", describeRevert);
            throw new BackstopError(`reverted in block ${receipt.blockNumber}: ${why}`);
          }
          attempts.delete(candidate.address);
          log({ event: "liquidated", block: Number(receipt.blockNumber), account: candidate.address, health: candidate.health, rewardUsd: Number(candidate.rewardUsd) / 1e18, tx: hash });
        } catch (error) {
          const n = (attempts.get(candidate.address) ?? 0) + 1;
          attempts.set(candidate.address, n);
          log({ event: n >= maxAttempts ? "gave-up" : "failed", account: candidate.address, attempt: n, error: error instanceof Error ? error.message.split("\n")[0] : String(error) });
        }
      }
    } catch (error) {
      log({ event: "error", error: error instanceof Error ? error.message.split("\n")[0] : String(error) });
    } finally {
      busy = false;
    }
  }

  const timer = poll ? setInterval(() => void tick(), pollMs) : undefined;
  if (poll) void tick();
  return {
    tick,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
