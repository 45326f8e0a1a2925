/**
 * readProposalRecord(client, { deployment, proposal, changes, snapshot }) — an executed
 * proposal's record, from chain history alone (so it survives any restart):
 * - what it changed, from the execution transaction's own events (old → new), each read by its
 *   governance action (lib/governance/actions);
 * - what voters were shown, stage by stage: the accounts newly liquidatable at creation (with the
 *   band across the execution window as it was then), at the end of voting and at queueing —
 *   each the engine on the chain's state at that block;
 * - what the execution made newly liquidatable, on the state of its own block (liquidatable
 *   under the new parameters and not under the old);
 * - what happened: every Liquidated event since, and for each predicted account its outcome in
 *   words (liquidated; recovered before a keeper came; not reached yet; or, predicted earlier but
 *   not at execution: it deposited or traded, or the price moved).
 * Stage computations are remembered per proposal and block (history does not change).
 */

import type { PublicClient } from "viem";
import { applyChanges, findLiquidatable, previewBand, previewChanges, type ParamChange, type ProtocolSnapshot } from "../../engine/index.ts";
import { backstopGovernorAbi, clearinghouseAbi } from "../contracts/abis.ts";
import type { Deployment } from "../contracts/deployment.ts";
import { readSnapshot } from "./readSnapshot.ts";
import { horizonSec, readExecutionWindow } from "./readExecutionWindow.ts";
import type { ProposalSummary } from "./readProposals.ts";
import { recordedIn } from "../governance/actions/index.ts";
import type { RecordedChange } from "../governance/actions/action.ts";

export type { RecordedChange } from "../governance/actions/action.ts";

export interface StagePrediction {
  stage: "created" | "voting ended" | "queued" | "executed";
  blockNumber: bigint;
  newlyLiquidatable: `0x${string}`[];
  /** The band across the execution window as it stood then (creation and end of voting). */
  band?: { p5: number; p95: number; expected: number; horizonSec: number };
}

export type Outcome = "liquidated" | "recovered" | "not reached yet" | "deposited or traded" | "price moved";

export interface ProposalRecord {
  executedBlock: bigint;
  transactionHash: `0x${string}`;
  changed: RecordedChange[];
  stages: StagePrediction[];
  /** Liquidated events since execution, oldest first. */
  liquidations: { account: `0x${string}`; blockNumber: bigint }[];
  outcomes: { account: `0x${string}`; predictedAt: StagePrediction["stage"][]; outcome: Outcome; detail: string }[];
}

const lower = (a: string) => a.toLowerCase() as `0x${string}`;
const stageCache = new Map<string, StagePrediction>();

/** The changes the execution made, as engine changes that undo them (the old values back, latest first). */
function undo(changed: RecordedChange[]): ParamChange[] {
  return [...changed].reverse().flatMap((c) => (c.before ? [c.before] : []));
}

/** What a stage prediction needs of a proposal. */
export type StagedProposal = Pick<ProposalSummary, "id" | "createdBlock" | "voteEnd">;

async function stageAt(client: PublicClient, deployment: Deployment, proposal: StagedProposal, changes: ParamChange[], stage: StagePrediction["stage"], blockNumber: bigint, withBand: boolean): Promise<StagePrediction> {
  const key = `${proposal.id}:${stage}:${blockNumber}`;
  const cached = stageCache.get(key);
  if (cached) return cached;
  const snapshot = await readSnapshot(client, { deployment, blockNumber });
  const preview = previewChanges(snapshot, changes);
  let band: StagePrediction["band"];
  if (withBand) {
    const window = await readExecutionWindow(client, { deployment, snapshot });
    const horizon = horizonSec(window, snapshot, stage === "created" ? undefined : { state: "Succeeded", voteEnd: proposal.voteEnd, eta: 0n });
    const b = previewBand(snapshot, preview.after, { process: window.process, horizonSec: horizon, seed: Number(proposal.id % 2_147_483_647n) });
    band = { p5: b.p5, p95: b.p95, expected: b.expected, horizonSec: horizon };
  }
  const result: StagePrediction = { stage, blockNumber, newlyLiquidatable: preview.newlyLiquidatable.map((a) => lower(a.address)), band };
  stageCache.set(key, result);
  return result;
}

/**
 * What voters were shown at each stage a proposal has passed (before its execution): created, voting
 * ended, queued — the engine on the chain's state at each block, with the band at the first two.
 * Any proposal has them; the page shows them beside the impact now.
 */
export async function readProposalStages(client: PublicClient, { deployment, proposal, changes, snapshot, until = snapshot.blockNumber }: { deployment: Deployment; proposal: StagedProposal; changes: ParamChange[]; snapshot: Pick<ProtocolSnapshot, "blockNumber">; until?: bigint }): Promise<StagePrediction[]> {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const queuedAt = (await client.getContractEvents({ ...governor, eventName: "ProposalQueued", fromBlock: proposal.createdBlock, toBlock: snapshot.blockNumber })).find((e) => e.args.proposalId === proposal.id)?.blockNumber;
  return Promise.all([
    stageAt(client, deployment, proposal, changes, "created", proposal.createdBlock, true),
    ...(proposal.voteEnd < until && proposal.voteEnd <= snapshot.blockNumber ? [stageAt(client, deployment, proposal, changes, "voting ended", proposal.voteEnd, true)] : []),
    ...(queuedAt !== undefined && queuedAt < until ? [stageAt(client, deployment, proposal, changes, "queued", queuedAt, false)] : []),
  ]);
}

export async function readProposalRecord(client: PublicClient, { deployment, proposal, changes, snapshot }: { deployment: Deployment; proposal: ProposalSummary; changes: ParamChange[]; snapshot: ProtocolSnapshot }): Promise<ProposalRecord | undefined> {
  const governor = { address: deployment.contracts.governor, abi: backstopGovernorAbi } as const;
  const executed = await client.getContractEvents({ ...governor, eventName: "ProposalExecuted", fromBlock: proposal.createdBlock, toBlock: snapshot.blockNumber });
  const execution = executed.find((e) => e.args.proposalId === proposal.id);
  if (!execution) return undefined;
  const executedBlock = execution.blockNumber;
  const receipt = await client.getTransactionReceipt({ hash: execution.transactionHash });
  const changed: RecordedChange[] = [];
  // Each governance action's own event (lib/governance/actions), from whichever contract it calls.
  for (const log of receipt.logs) {
    const recorded = recordedIn(log, deployment);
    if (recorded) changed.push(recorded);
  }

  // What voters were shown at each stage, then what the execution itself made newly liquidatable.
  const stages = await readProposalStages(client, { deployment, proposal, changes, snapshot, until: executedBlock });
  const atExecutionKey = `${proposal.id}:executed:${executedBlock}`;
  let atExecution = stageCache.get(atExecutionKey);
  if (!atExecution) {
    const after = await readSnapshot(client, { deployment, blockNumber: executedBlock });
    const beforeParams = applyChanges(after, undo(changed)).snapshot;
    const was = new Set(findLiquidatable(beforeParams).map(lower));
    atExecution = { stage: "executed", blockNumber: executedBlock, newlyLiquidatable: findLiquidatable(after).map(lower).filter((a) => !was.has(a)) };
    stageCache.set(atExecutionKey, atExecution);
  }
  stages.push(atExecution);

  // What happened after: liquidations since, and what each predicted account did.
  const ch = { address: deployment.contracts.clearinghouse, abi: clearinghouseAbi } as const;
  const [liquidatedLogs, deposits, trades] = await Promise.all([
    client.getContractEvents({ ...ch, eventName: "Liquidated", fromBlock: executedBlock, toBlock: snapshot.blockNumber }),
    client.getContractEvents({ ...ch, eventName: "Deposited", fromBlock: proposal.createdBlock, toBlock: snapshot.blockNumber }),
    client.getContractEvents({ ...ch, eventName: "Traded", fromBlock: proposal.createdBlock, toBlock: snapshot.blockNumber }),
  ]);
  const liquidations = liquidatedLogs.map((l) => ({ account: lower(l.args.account!), blockNumber: l.blockNumber }));
  const liquidatedAt = new Map(liquidations.map((l) => [l.account, l.blockNumber]));
  const activeBeforeExecution = new Set([
    ...deposits.filter((d) => d.blockNumber < executedBlock).map((d) => lower(d.args.account!)),
    ...trades.filter((t) => t.blockNumber < executedBlock).flatMap((t) => [lower(t.args.taker!), lower(t.args.maker!)]),
  ]);
  const liquidatableNow = new Set(findLiquidatable(snapshot).map(lower));
  const predicted = new Map<`0x${string}`, StagePrediction["stage"][]>();
  for (const s of stages) for (const a of s.newlyLiquidatable) predicted.set(a, [...(predicted.get(a) ?? []), s.stage]);
  const executedSet = new Set(atExecution.newlyLiquidatable);
  const outcomes = [...predicted].map(([account, predictedAt]) => {
    const at = liquidatedAt.get(account);
    if (at !== undefined) return { account, predictedAt, outcome: "liquidated" as const, detail: `liquidated at block #${at}` };
    if (executedSet.has(account)) {
      return liquidatableNow.has(account)
        ? { account, predictedAt, outcome: "not reached yet" as const, detail: "liquidatable since the execution; no keeper has liquidated it yet" }
        : { account, predictedAt, outcome: "recovered" as const, detail: "liquidatable at execution, safe again before a keeper came (a deposit, a trade or the price)" };
    }
    return activeBeforeExecution.has(account)
      ? { account, predictedAt, outcome: "deposited or traded" as const, detail: "it deposited or traded between the proposal and its execution, and was safe when it ran" }
      : { account, predictedAt, outcome: "price moved" as const, detail: "prices moved between the proposal and its execution; it was safe when it ran" };
  });
  return { executedBlock, transactionHash: execution.transactionHash, changed, stages, liquidations, outcomes };
}
