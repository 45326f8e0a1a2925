/**
 * readDefaultFundQueue(client, { deployment, toBlock }) — default-fund withdrawals waiting out
 * their cooldown, per member: requested minus withdrawn shares, with the time each becomes
 * withdrawable (from DefaultFundWithdrawalRequested / DefaultFundWithdrawn events).
 */

import type { PublicClient } from "viem";
import { clearinghouseAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface QueuedWithdrawal {
  member: `0x${string}`;
  shares: bigint;
  availableAt: bigint;
}

export async function readDefaultFundQueue(client: PublicClient, { deployment, toBlock }: { deployment: Deployment; toBlock: bigint }): Promise<QueuedWithdrawal[]> {
  const range = { address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, fromBlock: BigInt(deployment.deployBlock), toBlock } as const;
  const [requested, withdrawn] = await Promise.all([
    client.getContractEvents({ ...range, eventName: "DefaultFundWithdrawalRequested" }),
    client.getContractEvents({ ...range, eventName: "DefaultFundWithdrawn" }),
  ]);
  const queue = new Map<string, QueuedWithdrawal>();
  for (const e of requested) {
    const member = e.args.member!.toLowerCase() as `0x${string}`;
    const q = queue.get(member) ?? { member, shares: 0n, availableAt: 0n };
    q.shares += e.args.shares!;
    q.availableAt = e.args.availableAt!;
    queue.set(member, q);
  }
  for (const e of withdrawn) queue.delete(e.args.member!.toLowerCase());
  return [...queue.values()].sort((a, b) => (a.availableAt < b.availableAt ? -1 : 1));
}
