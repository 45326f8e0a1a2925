/**
 * readProposalForensics(client, { deployment, proposal, votes, snapshot }) — what the governance
 * detectors (lib/governance/detectors.ts) need to know about one proposal, read from the chain:
 * - every target's runtime code at the proposal's creation block and now (hashes, opcode scan),
 *   and its EIP-1967 implementation then and now (with that code's hash);
 * - the delegates whose votes changed in the `windowBlocks` before the proposal's snapshot, from
 *   the token's DelegateVotesChanged events (votes at the window's start and at the snapshot),
 *   with the tokens newly acquired in the window behind them (Transfer events) and their usual
 *   power before it;
 * - each voter's current voting power, and the quorum at the snapshot.
 */

import type { PublicClient } from "viem";
import { backstopGovernorAbi, backstopTokenAbi } from "../contracts/abis.ts";
import { codeHashOf, deploymentNames, type Deployment } from "../contracts/deployment.ts";
import type { ProtocolSnapshot } from "../../engine/index.ts";
import { addressInSlot, EIP1967_IMPLEMENTATION_SLOT, scanCode } from "../governance/bytecode.ts";
import type { PowerChange, ProposalForensics, TargetForensics } from "../governance/detectors.ts";
import type { ProposalSummary, VoteRecord } from "./readProposals.ts";


const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * For each delegate whose votes moved in the window: the tokens acquired in the window by the
 * accounts that vote through it at the snapshot (Transfer events in, minus out; mints included),
 * and its highest votes at three points before the window (its usual power).
 */
async function newPower(
  client: PublicClient,
  { token, moved, windowStart, snapshotBlock, windowBlocks, deployBlock }: { token: { address: `0x${string}`; abi: typeof backstopTokenAbi }; moved: Omit<PowerChange, "acquired" | "historyPeak">[]; windowStart: bigint; snapshotBlock: bigint; windowBlocks: bigint; deployBlock: bigint },
): Promise<PowerChange[]> {
  if (moved.length === 0) return [];
  const transfers = await client.getContractEvents({ ...token, eventName: "Transfer", fromBlock: windowStart, toBlock: snapshotBlock });
  const holders = [...new Set(transfers.flatMap((t) => [t.args.from!, t.args.to!]).map((a) => a.toLowerCase()).filter((a) => a !== ZERO))] as `0x${string}`[];
  const votesFor = new Map<string, string>(
    (await Promise.all(holders.map((holder) => client.readContract({ ...token, functionName: "delegates", args: [holder], blockNumber: snapshotBlock })))).map((d, i) => [holders[i]!, d.toLowerCase()]),
  );
  const acquired = new Map<string, bigint>();
  for (const t of transfers) {
    const to = votesFor.get(t.args.to!.toLowerCase());
    const from = votesFor.get(t.args.from!.toLowerCase());
    if (to === from) continue; // moved between accounts voting through the same delegate
    if (to) acquired.set(to, (acquired.get(to) ?? 0n) + t.args.value!);
    if (from) acquired.set(from, (acquired.get(from) ?? 0n) - t.args.value!);
  }
  const earlier = [1n, 2n, 3n].map((k) => windowStart - k * windowBlocks).filter((b) => b >= deployBlock);
  return Promise.all(
    moved.map(async (c) => {
      const past = await Promise.all(earlier.map((b) => client.readContract({ ...token, functionName: "getPastVotes", args: [c.delegate, b], blockNumber: snapshotBlock })));
      const net = acquired.get(c.delegate) ?? 0n;
      return { ...c, acquired: net > 0n ? net : 0n, historyPeak: past.reduce((m, v) => (v > m ? v : m), 0n) };
    }),
  );
}

export async function readProposalForensics(
  client: PublicClient,
  { deployment, proposal, votes, snapshot, windowBlocks = 200n }: { deployment: Deployment; proposal: ProposalSummary; votes: VoteRecord[]; snapshot: ProtocolSnapshot; windowBlocks?: bigint },
): Promise<ProposalForensics> {
  const now = snapshot.blockNumber;
  const created = proposal.createdBlock;
  const knownAs = deploymentNames(deployment);

  const targets = await Promise.all(
    [...new Set(proposal.targets.map((t) => t.toLowerCase() as `0x${string}`))].map(async (address): Promise<TargetForensics> => {
      const [codeThen, codeNow, implThenWord, implNowWord] = await Promise.all([
        client.getCode({ address, blockNumber: created }),
        client.getCode({ address, blockNumber: now }),
        client.getStorageAt({ address, slot: EIP1967_IMPLEMENTATION_SLOT, blockNumber: created }),
        client.getStorageAt({ address, slot: EIP1967_IMPLEMENTATION_SLOT, blockNumber: now }),
      ]);
      const implementationAtCreation = addressInSlot(implThenWord);
      const implementationNow = addressInSlot(implNowWord);
      const [implCodeThen, implCodeNow] = await Promise.all([
        implementationAtCreation ? client.getCode({ address: implementationAtCreation, blockNumber: created }) : undefined,
        implementationNow ? client.getCode({ address: implementationNow, blockNumber: now }) : undefined,
      ]);
      return {
        address,
        knownAs: knownAs(address),
        codeHashAtCreation: codeHashOf(codeThen),
        codeHashNow: codeHashOf(codeNow),
        features: scanCode(codeNow),
        implementationAtCreation,
        implementationNow,
        implementationCodeHashAtCreation: implementationAtCreation ? codeHashOf(implCodeThen) : undefined,
        implementationCodeHashNow: implementationNow ? codeHashOf(implCodeNow) : undefined,
      };
    }),
  );

  // Delegates whose votes moved in the window before the snapshot.
  const snapshotBlock = proposal.voteStart < now ? proposal.voteStart : now;
  const windowStart = snapshotBlock - windowBlocks > BigInt(deployment.deployBlock) ? snapshotBlock - windowBlocks : BigInt(deployment.deployBlock);
  const token = { address: deployment.contracts.governanceToken, abi: backstopTokenAbi } as const;
  const changes = await client.getContractEvents({ ...token, eventName: "DelegateVotesChanged", fromBlock: windowStart, toBlock: snapshotBlock });
  const byDelegate = new Map<`0x${string}`, Omit<PowerChange, "acquired" | "historyPeak">>();
  for (const log of changes) {
    const delegate = log.args.delegate!.toLowerCase() as `0x${string}`;
    const entry = byDelegate.get(delegate) ?? { delegate, before: log.args.previousVotes!, atSnapshot: 0n };
    entry.atSnapshot = log.args.newVotes!;
    byDelegate.set(delegate, entry);
  }
  const powerChanges = await newPower(client, { token, moved: [...byDelegate.values()], windowStart, snapshotBlock, windowBlocks, deployBlock: BigInt(deployment.deployBlock) });

  const [quorum, ...current] = await Promise.all([
    client.readContract({ address: deployment.contracts.governor, abi: backstopGovernorAbi, functionName: "quorum", args: [snapshotBlock < now ? snapshotBlock : now - 1n], blockNumber: now }),
    ...votes.map((v) => client.readContract({ ...token, functionName: "getVotes", args: [v.voter], blockNumber: now })),
  ]);

  return {
    proposal,
    votes,
    quorum,
    windowBlocks: snapshotBlock - windowStart,
    powerChanges,
    currentVotes: new Map(votes.map((v, i) => [v.voter, current[i]!])),
    targets,
    names: { markets: snapshot.markets.map((m) => m.symbol), collaterals: snapshot.collaterals.map((c) => c.symbol) },
  };
}
