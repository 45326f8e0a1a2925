/**
 * readDelegates(client, { deployment, blockNumber }) — every address holding delegated voting
 * power, from the token's DelegateVotesChanged events (the latest value per delegate), largest
 * first, with the total supply for shares.
 */

import type { PublicClient } from "viem";
import { backstopTokenAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface DelegateRow {
  delegate: `0x${string}`;
  votes: bigint;
}

export async function readDelegates(client: PublicClient, { deployment, blockNumber }: { deployment: Deployment; blockNumber: bigint }) {
  const token = { address: deployment.contracts.governanceToken, abi: backstopTokenAbi } as const;
  const [logs, totalSupply] = await Promise.all([
    client.getContractEvents({ ...token, eventName: "DelegateVotesChanged", fromBlock: BigInt(deployment.deployBlock), toBlock: blockNumber }),
    client.readContract({ ...token, functionName: "totalSupply", blockNumber }),
  ]);
  const latest = new Map<string, bigint>();
  for (const log of logs) latest.set(log.args.delegate!.toLowerCase(), log.args.newVotes!);
  const delegates: DelegateRow[] = [...latest.entries()]
    .filter(([, votes]) => votes > 0n)
    .map(([delegate, votes]) => ({ delegate: delegate as `0x${string}`, votes }))
    .sort((a, b) => (b.votes > a.votes ? 1 : b.votes < a.votes ? -1 : 0));
  return { delegates, totalSupply, delegated: delegates.reduce((s, d) => s + d.votes, 0n) };
}
