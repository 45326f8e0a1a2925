/**
 * readRecentHistory(client, { deployment, snapshot, blocks }) — the recent past the alerts compare
 * the present with: the markets as they were `blocks` blocks before the snapshot (open interest,
 * marks; one Multicall3 call pinned to that block) and every price the oracle posted since, per
 * feed, oldest first (its PriceUpdated events).
 */

import type { PublicClient } from "viem";
import type { ProtocolSnapshot } from "../../engine/index.ts";
import { clearinghouseLensAbi, priceOracleAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { reshapeMarket } from "../mappers/snapshot.ts";

export interface RecentHistory {
  blocksAgo: bigint;
  markets: ProtocolSnapshot["markets"];
  prices: Map<`0x${string}`, bigint[]>;
}

export async function readRecentHistory(client: PublicClient, { deployment, snapshot, blocks = 256n }: { deployment: Deployment; snapshot: ProtocolSnapshot; blocks?: bigint }): Promise<RecentHistory> {
  const floor = BigInt(deployment.deployBlock);
  const from = snapshot.blockNumber - blocks > floor ? snapshot.blockNumber - blocks : floor;
  const [markets, logs] = await Promise.all([
    client.readContract({ address: deployment.contracts.lens, abi: clearinghouseLensAbi, functionName: "getMarkets", blockNumber: from }).catch(() => []),
    client.getContractEvents({ address: deployment.contracts.oracle, abi: priceOracleAbi, eventName: "PriceUpdated", fromBlock: from, toBlock: snapshot.blockNumber }),
  ]);
  const prices = new Map<`0x${string}`, bigint[]>();
  for (const log of logs) {
    const feed = log.args.feedId!;
    prices.set(feed, [...(prices.get(feed) ?? []), log.args.priceWad!]);
  }
  return { blocksAgo: snapshot.blockNumber - from, markets: markets.map(reshapeMarket), prices };
}
