/**
 * readParameterHistory(client, { deployment, toBlock }) — every governance change to markets
 * and to the ADL mode since deployment, from the clearinghouse's events, oldest first, with the
 * timestamp of its block.
 */

import type { PublicClient } from "viem";
import { clearinghouseAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import type { MarketParams } from "../../engine/types.ts";
import { marketParamsFromStruct } from "../mappers/params.ts";

export type ParameterEvent =
  | { kind: "marketListed"; marketId: number; params: MarketParams }
  | { kind: "marketParams"; marketId: number; before: MarketParams; after: MarketParams }
  | { kind: "marketFrozen"; marketId: number; frozen: boolean }
  | { kind: "marketPaused"; marketId: number; paused: boolean }
  | { kind: "adlMode"; mode: number };

export type ParameterHistoryEntry = ParameterEvent & { blockNumber: bigint; timestamp: bigint; transactionHash: `0x${string}` };

export async function readParameterHistory(client: PublicClient, { deployment, toBlock }: { deployment: Deployment; toBlock: bigint }): Promise<ParameterHistoryEntry[]> {
  // One query per event kind: the clearinghouse logs thousands of deposits and trades besides.
  const names = ["MarketListed", "MarketParamsUpdated", "MarketFrozenSet", "MarketPausedSet", "AdlModeSet"] as const;
  const logs = (
    await Promise.all(names.map((eventName) => client.getContractEvents({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName, fromBlock: BigInt(deployment.deployBlock), toBlock })))
  )
    .flat()
    .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const events: (ParameterEvent & { blockNumber: bigint; transactionHash: `0x${string}` })[] = [];
  for (const log of logs) {
    const base = { blockNumber: log.blockNumber, transactionHash: log.transactionHash };
    switch (log.eventName) {
      case "MarketListed":
        events.push({ ...base, kind: "marketListed", marketId: Number(log.args.marketId), params: marketParamsFromStruct(log.args.params!) });
        break;
      case "MarketParamsUpdated":
        events.push({ ...base, kind: "marketParams", marketId: Number(log.args.marketId), before: marketParamsFromStruct(log.args.oldParams!), after: marketParamsFromStruct(log.args.newParams!) });
        break;
      case "MarketFrozenSet":
        events.push({ ...base, kind: "marketFrozen", marketId: Number(log.args.marketId), frozen: Boolean(log.args.frozen) });
        break;
      case "MarketPausedSet":
        events.push({ ...base, kind: "marketPaused", marketId: Number(log.args.marketId), paused: Boolean(log.args.paused) });
        break;
      case "AdlModeSet":
        events.push({ ...base, kind: "adlMode", mode: Number(log.args.newMode) });
        break;
      default:
        break;
    }
  }
  const blocks = [...new Set(events.map((e) => e.blockNumber))];
  const timestamps = new Map(await Promise.all(blocks.map(async (n) => [n, (await client.getBlock({ blockNumber: n })).timestamp] as const)));
  return events.map((e) => ({ ...e, timestamp: timestamps.get(e.blockNumber)! }));
}
