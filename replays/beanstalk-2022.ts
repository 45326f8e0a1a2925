/**
 * beanstalk-2022 (2022-04-17): an attacker flash-borrowed enough governance power to pass and
 * execute, in one transaction, a proposal that sent the protocol's $182M to itself — the
 * governance counted the votes of tokens acquired in the very block of the vote.
 *
 * Staged against this governor (votes counted at a snapshot block before voting opens):
 * - the proposer receives 2M tokens in the blocks just before the proposal's snapshot and
 *   proposes an insurance payout of $1M to itself, described as a "keeper gas reimbursement"
 *   that never names the recipient;
 * - during the vote, a second account borrows 40M tokens, delegates and votes — all in one
 *   block — and its vote counts zero;
 * - an honest delegate votes against; the proposal fails quorum.
 * Backstop must flag the proposal (power jump before the snapshot, a vote bought after it, a
 * payout the description hides) while the vote is open.
 */

import { encodeChange } from "../lib/codec/governanceCodec.ts";
import { backstopGovernorAbi, backstopTokenAbi } from "../lib/contracts/abis.ts";
import type { Alert } from "../engine/index.ts";
import { encodeFunctionData, parseEther } from "viem";
import { usd } from "./harness.ts";
import type { Replay } from "./replay.ts";

export interface BeanstalkResult {
  proposalId: bigint;
  proposer: `0x${string}`;
  flashBorrower: `0x${string}`;
  flagsDuringVote: Alert[];
}

export const beanstalk2022: Replay<BeanstalkResult> = {
  name: "beanstalk-2022",
  date: "2022-04-17",
  summary: "Tokens acquired in the voting block vote with zero weight; the proposal — power bought before its snapshot, a payout its description hides — is flagged while the vote is open.",
  async run(h, log) {
    const { deployment, publicClient, testClient, deployer } = h.fixture;
    await h.fundReserves(2_000_000, 0);
    const [honest, proposer, borrower] = await Promise.all([h.actor("honest-delegate"), h.actor("beanstalk-proposer"), h.actor("flash-borrower")]);
    await h.giveVotes(honest, 3_000_000);
    await h.mine(250);
    await h.giveVotes(proposer, 2_000_000);
    const payout = encodeChange({ kind: "withdrawInsurance", to: proposer.toLowerCase() as `0x${string}`, amountUsd: usd(1_000_000) }, deployment);
    const proposalId = await h.propose(proposer, [payout], "# Keeper gas reimbursement\n\nReimburse the keepers for the gas they spent during the last crash.");
    await h.mine(2);
    log(`proposal ${proposalId} by ${proposer}, who got 2M votes just before its snapshot`);

    // The flash loan: tokens in, delegation, vote — one block.
    await testClient.setAutomine(false);
    const send = (from: `0x${string}`, to: `0x${string}`, data: `0x${string}`) => publicClient.request({ method: "eth_sendTransaction", params: [{ from, to, data, gas: "0x1e8480" }] } as never);
    await send(deployer, deployment.contracts.governanceToken, encodeFunctionData({ abi: backstopTokenAbi, functionName: "transfer", args: [borrower, parseEther("40000000")] }));
    await send(borrower, deployment.contracts.governanceToken, encodeFunctionData({ abi: backstopTokenAbi, functionName: "delegate", args: [borrower] }));
    await send(borrower, deployment.contracts.governor, encodeFunctionData({ abi: backstopGovernorAbi, functionName: "castVote", args: [proposalId, 1] }));
    await h.mine(1);
    await testClient.setAutomine(true);
    await h.vote(proposer, proposalId, "For");
    await h.vote(honest, proposalId, "Against");
    const flagsDuringVote = await h.proposalFlags(proposalId);
    log(`flagged while open: ${flagsDuringVote.map((f) => f.title).join(" | ")}`);
    await h.mine(60);
    log(`state at the end of the vote: ${await h.proposalState(proposalId)}`);
    return { proposalId, proposer: proposer.toLowerCase() as `0x${string}`, flashBorrower: borrower.toLowerCase() as `0x${string}`, flagsDuringVote };
  },
};
