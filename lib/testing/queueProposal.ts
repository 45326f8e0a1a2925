/**
 * queueProposal({ rpcUrl, deployment, targets, values, calldatas, description }) — a proposal
 * taken through the governor on a seeded local chain (scripts/chain.ts): proposed by dev account
 * 3, voted For by the seed's delegates 1 and 2, the voting period mined through, and queued in
 * the timelock. Resolves with its id. For tests and the bench, which need a queued proposal.
 */

import { createPublicClient, createTestClient, createWalletClient, decodeEventLog, http, keccak256, stringToHex, type Address, type Hex, type TransactionReceipt } from "viem";
import { foundry } from "viem/chains";
import { backstopGovernorAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";

export interface QueueProposalParameters {
  rpcUrl: string;
  deployment: Deployment;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

/** The id of the proposal a `propose` transaction created, from its ProposalCreated log. */
export function createdProposalId(receipt: TransactionReceipt): bigint {
  const id = receipt.logs.flatMap((l) => {
    try {
      const e = decodeEventLog({ abi: backstopGovernorAbi, data: l.data, topics: l.topics as never });
      return e.eventName === "ProposalCreated" ? [(e.args as { proposalId: bigint }).proposalId] : [];
    } catch {
      return [];
    }
  })[0];
  if (id === undefined) throw new Error("the propose transaction emitted no ProposalCreated");
  return id;
}

export async function queueProposal({ rpcUrl, deployment, targets, values, calldatas, description }: QueueProposalParameters): Promise<bigint> {
  const transport = http(rpcUrl);
  const client = createPublicClient({ transport });
  const test = createTestClient({ mode: "anvil", transport });
  const dev = await createWalletClient({ transport }).getAddresses();
  const as = (account: Address) => createWalletClient({ chain: foundry, account, transport });
  const mined = (hash: Hex) => client.waitForTransactionReceipt({ hash });
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi, chain: foundry } as const;
  const proposed = await mined(await as(dev[3]!).writeContract({ ...governor, functionName: "propose", args: [targets, values, calldatas, description] }));
  const id = createdProposalId(proposed);
  const votingDelay = await client.readContract({ ...governor, functionName: "votingDelay" });
  await test.mine({ blocks: Number(votingDelay) + 1 });
  for (const voter of [dev[1]!, dev[2]!]) await mined(await as(voter).writeContract({ ...governor, functionName: "castVote", args: [id, 1] }));
  const deadline = await client.readContract({ ...governor, functionName: "proposalDeadline", args: [id] });
  const now = await client.getBlockNumber();
  if (deadline >= now) await test.mine({ blocks: Number(deadline - now) + 1 });
  await mined(await as(dev[3]!).writeContract({ ...governor, functionName: "queue", args: [targets, values, calldatas, keccak256(stringToHex(description))] }));
  return id;
}
