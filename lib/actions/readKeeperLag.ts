/**
 * readKeeperLag(client, { deployment, snapshot }) — how long keepers take, measured on the chain:
 * for every account liquidatable in `snapshot` and every `Liquidated` event of the last
 * `recentBlocks` blocks, the block at which the account became liquidatable. Found by walking
 * back one block at a time (state at the end of each block: markets, collaterals and the account,
 * one Multicall3 call per block for all the accounts still unresolved) until the account was
 * safe, at most `lookbackBlocks` back (beyond that the record says `atLeast`).
 *
 * A liquidation's onset never changes once found, so a `KeeperLagCache` kept by the caller
 * makes each later call cost only the new liquidations and the newly liquidatable accounts.
 */

import type { PublicClient } from "viem";
import { computeAccountRisk, findLiquidatable, isLiquidatable, type Account, type KeeperLagRecord, type ProtocolSnapshot } from "../../engine/index.ts";
import { clearinghouseAbi, clearinghouseLensAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { reshapeCollateral, reshapeMarket } from "../mappers/snapshot.ts";

export interface KeeperLagCache {
  /** Liquidation log id (tx hash:log index) → its record. */
  liquidations: Map<string, KeeperLagRecord>;
  /** Liquidatable account → onset block, while it stays liquidatable. */
  waiting: Map<`0x${string}`, { onsetBlock: bigint; atLeast: boolean }>;
}

export const createKeeperLagCache = (): KeeperLagCache => ({ liquidations: new Map(), waiting: new Map() });

export interface ReadKeeperLagParameters {
  deployment: Deployment;
  snapshot: ProtocolSnapshot;
  recentBlocks?: bigint;
  lookbackBlocks?: bigint;
  cache?: KeeperLagCache;
}

/**
 * For each (account, block) query, the first block of the run of liquidatable blocks that ends at
 * `block` (inclusive): walk back while liquidatable.
 */
async function findOnsets(client: PublicClient, deployment: Deployment, queries: { account: `0x${string}`; block: bigint }[], lookbackBlocks: bigint) {
  const floor = BigInt(deployment.deployBlock);
  const result = new Map<number, { onsetBlock: bigint; atLeast: boolean }>();
  // Every query walks its own block: b = block − k for k = 1, 2, … ; queries sharing a block share a call.
  let pending = queries.map((q, i) => ({ ...q, i, onset: q.block }));
  for (let k = 1n; pending.length && k <= lookbackBlocks; k++) {
    const byBlock = new Map<bigint, typeof pending>();
    for (const q of pending) {
      const b = q.block - k;
      if (b < floor) {
        result.set(q.i, { onsetBlock: q.onset, atLeast: false });
        continue;
      }
      byBlock.set(b, [...(byBlock.get(b) ?? []), q]);
    }
    const next: typeof pending = [];
    await Promise.all(
      [...byBlock].map(async ([blockNumber, group]) => {
        const pinned = { allowFailure: false, blockNumber, multicallAddress: deployment.contracts.multicall3 } as const;
        const lens = { address: deployment.contracts.lens, abi: clearinghouseLensAbi } as const;
        const [[markets, collaterals], accounts] = await Promise.all([
          client.multicall({ ...pinned, contracts: [{ ...lens, functionName: "getMarkets" }, { ...lens, functionName: "getCollaterals" }] }),
          client.multicall({ ...pinned, contracts: group.map((q) => ({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, functionName: "getAccount" as const, args: [q.account] as const })) }),
        ]);
        const prices = { markets: markets.map(reshapeMarket), collaterals: collaterals.map(reshapeCollateral) };
        group.forEach((q, j) => {
          const [cash, balances, positions] = accounts[j]!;
          const account: Account = { address: q.account, cashUsd: cash, balancesNative: [...balances], positions: positions.map((p) => ({ marketId: Number(p.marketId), sizeBase: p.size, openNotionalUsd: p.openNotional })) };
          if (positions.length > 0 && isLiquidatable(computeAccountRisk(prices, account))) next.push({ ...q, onset: blockNumber });
          else result.set(q.i, { onsetBlock: q.onset, atLeast: false });
        });
      }),
    );
    pending = next;
  }
  for (const q of pending) result.set(q.i, { onsetBlock: q.onset, atLeast: true });
  return queries.map((_, i) => result.get(i)!);
}

export async function readKeeperLag(
  client: PublicClient,
  { deployment, snapshot, recentBlocks = 256n, lookbackBlocks = 64n, cache = createKeeperLagCache() }: ReadKeeperLagParameters,
): Promise<{ waiting: KeeperLagRecord[]; recent: KeeperLagRecord[] }> {
  const from = snapshot.blockNumber - recentBlocks > BigInt(deployment.deployBlock) ? snapshot.blockNumber - recentBlocks : BigInt(deployment.deployBlock);
  const logs = await client.getContractEvents({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName: "Liquidated", fromBlock: from, toBlock: snapshot.blockNumber });
  const liquidated = logs.map((log) => ({ id: `${log.transactionHash}:${log.logIndex}`, account: log.args.account!.toLowerCase() as `0x${string}`, block: log.blockNumber }));

  // The screen with its exact re-check (engine findLiquidatable), not a bigint valuation of every account.
  const liquidatable = findLiquidatable(snapshot);
  const now = new Set(liquidatable);
  for (const address of [...cache.waiting.keys()]) if (!now.has(address)) cache.waiting.delete(address);
  // Liquidated since its onset was found (between two snapshots this reader saw): a new run.
  for (const l of liquidated) if ((cache.waiting.get(l.account)?.onsetBlock ?? l.block + 1n) <= l.block) cache.waiting.delete(l.account);

  const newLiquidations = liquidated.filter((l) => !cache.liquidations.has(l.id));
  const newWaiting = liquidatable.filter((a) => !cache.waiting.has(a));
  // A liquidation's run ends the block before it (or starts in its own block); a waiting account's run includes now.
  const onsets = await findOnsets(client, deployment, [...newLiquidations.map((l) => ({ account: l.account, block: l.block })), ...newWaiting.map((account) => ({ account, block: snapshot.blockNumber }))], lookbackBlocks);
  newLiquidations.forEach((l, i) => cache.liquidations.set(l.id, { account: l.account, onsetBlock: onsets[i]!.onsetBlock, liquidatedBlock: l.block, atLeast: onsets[i]!.atLeast }));
  newWaiting.forEach((a, i) => cache.waiting.set(a, onsets[newLiquidations.length + i]!));

  return {
    waiting: liquidatable.map((account) => ({ account, ...cache.waiting.get(account)! })),
    recent: liquidated.map((l) => cache.liquidations.get(l.id)!),
  };
}
