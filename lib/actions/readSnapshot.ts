/**
 * readSnapshot(client, { deployment, blockNumber }) — the whole protocol state at one block, as
 * the engine's ProtocolSnapshot. Every read is pinned to that block (so the figures on one
 * screen are consistent) and batched through Multicall3: the markets, collaterals, reserves and
 * account count in one eth_call, then the accounts in pages of `pageSize`, `pagesPerCall` pages
 * per eth_call.
 */

import type { Hash, PublicClient } from "viem";
import { clearinghouseLensAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import type { ProtocolSnapshot } from "../../engine/types.ts";
import { reshapeAccount, reshapeCollateral, reshapeMarket, reshapeReserves } from "../mappers/snapshot.ts";

export interface ReadSnapshotParameters {
  deployment: Deployment;
  /** Default: the latest block. */
  blockNumber?: bigint;
  /**
   * The block's header when the caller already has it (the server fetches the head first to key
   * its cache by hash): saves the header request, and the snapshot carries that hash.
   */
  block?: { number: bigint; hash: Hash; timestamp: bigint };
  pageSize?: number;
  pagesPerCall?: number;
}

export type ReadSnapshotReturnType = ProtocolSnapshot;

export async function readSnapshot(
  client: PublicClient,
  { deployment, blockNumber, block: known, pageSize = 500, pagesPerCall = 2 }: ReadSnapshotParameters,
): Promise<ReadSnapshotReturnType> {
  const block = known ?? (await client.getBlock(blockNumber === undefined ? { blockTag: "latest" } : { blockNumber }));
  const lens = { address: deployment.contracts.lens, abi: clearinghouseLensAbi } as const;
  const [markets, collaterals, reserves, accountCount] = await client.multicall({
    contracts: [
      { ...lens, functionName: "getMarkets" },
      { ...lens, functionName: "getCollaterals" },
      { ...lens, functionName: "getReserves" },
      { ...lens, functionName: "accountCount" },
    ],
    allowFailure: false,
    blockNumber: block.number,
    multicallAddress: deployment.contracts.multicall3,
  });
  const pages = Math.ceil(Number(accountCount) / pageSize);
  const calls = Array.from({ length: pages }, (_, i) => ({ ...lens, functionName: "getAccounts" as const, args: [BigInt(i * pageSize), BigInt(pageSize)] as const }));
  const groups: (typeof calls)[] = [];
  for (let i = 0; i < calls.length; i += pagesPerCall) groups.push(calls.slice(i, i + pagesPerCall));
  const results = await Promise.all(
    groups.map((contracts) =>
      client.multicall({ contracts, allowFailure: false, blockNumber: block.number, multicallAddress: deployment.contracts.multicall3 }),
    ),
  );
  const { reserves: reserveState, global } = reshapeReserves(reserves);
  return {
    chainId: deployment.chainId,
    blockNumber: block.number,
    blockHash: block.hash,
    timestamp: block.timestamp,
    markets: markets.map(reshapeMarket),
    collaterals: collaterals.map(reshapeCollateral),
    accounts: results.flat(2).map(reshapeAccount),
    reserves: reserveState,
    global,
  };
}
