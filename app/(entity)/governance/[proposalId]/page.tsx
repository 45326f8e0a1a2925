import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { applyChanges, formatDuration, formatPercent, phaseChange, previewBand, previewChanges } from "@/engine/index";
import { ExecutionWindow } from "@/components/governance/execution-window";
import { ForkSimulation } from "@/components/governance/fork-simulation";
import { GuardianCancel } from "@/components/governance/guardian-cancel";
import { monitorWithin } from "@/lib/server/monitor";
import { horizonSec, readExecutionWindow } from "@/lib/actions/readExecutionWindow";
import { readProposalRecord, readProposalStages, type ProposalRecord } from "@/lib/actions/readProposalRecord";
import { PredictionRecord, StageTable } from "@/components/governance/prediction-record";
import { publicErrorMessage } from "@/lib/server/publicError";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { ProposalActions } from "@/components/governance/proposal-actions";
import { relayEnabled } from "@/lib/server/relay";
import { Tally, tokens } from "@/components/governance/tally";
import { PreviewSummary } from "@/components/governance/preview-summary";
import { YourAccount } from "@/components/governance/your-account";
import { Badge } from "@/components/ui/badge";
import { decodeCall } from "@/lib/codec/governanceCodec";
import { describeChange, describeRecorded } from "@/lib/governance/actions";
import { readProposals, readVotes } from "@/lib/actions/readProposals";
import { readProposalForensics } from "@/lib/actions/readProposalForensics";
import { detectGovernanceRisks } from "@/lib/governance/detectors";
import { AlertList } from "@/components/alerts/alert-list";
import { findInLatest, getContext } from "@/lib/server/snapshot";
import { messageOf } from "@/lib/errors/messageOf";

export const metadata: Metadata = { title: "Proposal" };
export const dynamic = "force-dynamic";


export default async function ProposalPage({ params }: { params: Promise<{ proposalId: string }> }) {
  const { proposalId } = await params;
  const wanted = /^\d+$/.test(proposalId) ? BigInt(proposalId) : undefined;
  const result = await findInLatest(async ({ snapshot, deployment }) => (wanted === undefined ? undefined : (await readProposals((await getContext()).client, { deployment, blockNumber: snapshot.blockNumber })).find((p) => p.id === wanted)));
  if ("error" in result) return <ChainUnavailable message={result.error} />;
  const { read, found: proposal } = result;
  const { snapshot, deployment } = read;
  const client = (await getContext()).client;
  if (!proposal) notFound();
  const decoded = proposal.targets.map((target, i) => decodeCall({ target, value: proposal.values[i]!, calldata: proposal.calldatas[i]! }, deployment));
  const changes = decoded.flatMap((d) => (d.kind === "change" ? [d.change] : []));
  const preview = previewChanges(snapshot, changes);
  const votes = await readVotes(client, { deployment, proposalId: proposal.id, blockNumber: snapshot.blockNumber });
  // Until it executes: the same change across the price moves plausible before it can.
  // Not yet executed, and still able to be: what it would do is the question.
  const stillAhead = ["Pending", "Active", "Succeeded", "Queued"].includes(proposal.state);
  const pendingEffect = changes.length > 0 && stillAhead;
  const [window, stages] = pendingEffect
    ? await Promise.all([
        readExecutionWindow(client, { deployment, snapshot }).catch((error: unknown) => ({ error: publicErrorMessage(error) })),
        readProposalStages(client, { deployment, proposal, changes, snapshot }).catch(() => undefined),
      ])
    : [undefined, undefined];
  const band = window && !("error" in window) ? previewBand(snapshot, applyChanges(snapshot, changes).snapshot, { process: window.process, horizonSec: horizonSec(window, snapshot, proposal), seed: Number(proposal.id % 2_147_483_647n) }) : undefined;
  // Where a small move flips many accounts: the same market change in three steps, each previewed.
  const marketChange = changes.find((c) => c.kind === "setMarketParams");
  const phased =
    band?.cliffs.length && marketChange?.kind === "setMarketParams" && snapshot.markets[marketChange.marketId]
      ? phaseChange(snapshot.markets[marketChange.marketId]!.params, marketChange.params, 3).map((params, i) => ({
          label: `Step ${i + 1}: IMR ${formatPercent(params.imrWad)}, MMR ${formatPercent(params.mmrWad)}, penalty ${formatPercent(params.liquidationPenaltyWad)}`,
          newlyLiquidatable: previewChanges(snapshot, [{ ...marketChange, params }]).newlyLiquidatable.length,
        }))
      : undefined;
  const record: ProposalRecord | { error: string } | undefined =
    proposal.state === "Executed" ? await readProposalRecord(client, { deployment, proposal, changes, snapshot }).catch((error: unknown) => ({ error: publicErrorMessage(error) })) : undefined;
  const flags = await readProposalForensics(client, { deployment, proposal, votes, snapshot })
    .then((forensics) => detectGovernanceRisks(forensics, deployment))
    .catch((error: unknown) => ({ error: messageOf(error) }));
  // The fork watchdog's finding on this proposal, from the latest block's detectors (lib/fork/createWatchdog).
  const watched = proposal.state === "Queued" ? await monitorWithin(read.monitor, 2000) : undefined;
  const watchdogAlert = watched && "alerts" in watched ? watched.alerts.find((a) => a.id === `watchdog:${proposal.id}`) : undefined;
  const watchdogFailed = watched && "alerts" in watched ? watched.alerts.find((a) => a.id === `watchdog-failed:${proposal.id}`) : undefined;
  const timeline: [string, string, boolean][] = [
    ["Created", `block #${proposal.createdBlock}`, true],
    ["Voting", `blocks #${proposal.voteStart} – #${proposal.voteEnd}`, snapshot.blockNumber > proposal.voteStart],
    [proposal.state === "Defeated" ? "Defeated" : "Succeeded", proposal.state === "Defeated" ? "did not pass" : "passed", ["Succeeded", "Queued", "Executed", "Defeated"].includes(proposal.state)],
    ["Queued", proposal.eta > 0n ? `executable from ${new Date(Number(proposal.eta) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC${proposal.eta > snapshot.timestamp ? ` (in ${formatDuration(proposal.eta - snapshot.timestamp)})` : ""}` : "after it passes", proposal.eta > 0n],
    ["Executed", proposal.state === "Executed" ? "the parameters are in force" : "not yet", proposal.state === "Executed"],
  ];
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-xs text-neutral-400">
          <Link href="/governance" className="hover:underline">Governance</Link> / proposal
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={proposal.state === "Executed" ? "ok" : proposal.state === "Defeated" || proposal.state === "Canceled" ? "danger" : "warn"}>{proposal.state}</Badge>
          <h1 className="text-lg font-semibold text-neutral-50">{proposal.description.split("\n")[0]!.replace(/^#\s*/, "")}</h1>
        </div>
        <p className="break-all font-mono text-xs text-neutral-400">id {proposal.id.toString()} · by {proposal.proposer}</p>
      </div>
      <section aria-labelledby="actions" className="space-y-2">
        <h2 id="actions" className="text-base font-semibold text-neutral-50">What it does</h2>
        {record && !("error" in record) ? (
          <>
            <p className="text-xs text-neutral-400">Executed at block #{record.executedBlock.toString()}: what it changed, from that transaction&apos;s own events.</p>
            <ol className="space-y-2">
              {record.changed.map((c, i) => (
                <li key={i} className="rounded border border-neutral-800 p-3 text-sm">
                  <p className="font-medium text-neutral-100">{describeRecorded(c, snapshot).title}</p>
                  <ul className="mt-1 space-y-0.5 font-mono text-xs text-neutral-300">
                    {describeRecorded(c, snapshot).lines.map((l) => <li key={l}>{l}</li>)}
                  </ul>
                </li>
              ))}
            </ol>
          </>
        ) : null}
        <ol className="space-y-2">
          {decoded.map((d, i) =>
            d.kind === "change" ? (
              // Executed: what it changed is the record above, not a diff against today's values.
              record && !("error" in record) ? null : (
              <li key={i} className="rounded border border-neutral-800 p-3 text-sm">
                <p className="font-medium text-neutral-100">{describeChange(d.change, snapshot).title}</p>
                <ul className="mt-1 space-y-0.5 font-mono text-xs text-neutral-300">
                  {describeChange(d.change, snapshot).lines.map((l) => <li key={l}>{l}</li>)}
                </ul>
              </li>
              )
            ) : (
              <li key={i} role="alert" className="rounded border border-red-700 bg-red-950/40 p-3 text-sm">
                <p className="font-semibold text-red-200">Not a known governance action: {d.reason}</p>
                <p className="mt-1 break-all font-mono text-xs text-red-100/80">target {d.call.target} · value {d.call.value.toString()} · calldata {d.call.calldata}</p>
              </li>
            ),
          )}
        </ol>
      </section>
      <section aria-labelledby="detectors" className="space-y-2">
        <h2 id="detectors" className="text-base font-semibold text-neutral-50" title="Voting power that jumped before the snapshot, votes bought after it, unknown or mutable targets, code changed since the proposal, actions outside the governable set, a late swing to quorum, a description that does not match the calldata">
          Attack detectors
        </h2>
        {"error" in flags ? (
          <p role="alert" className="text-sm text-amber-300">The detectors could not read the chain: {flags.error}</p>
        ) : (
          <AlertList alerts={flags} quiet="Nothing flagged: known, immutable targets; governable actions the description names; no power jump before the snapshot; no late swing." />
        )}
      </section>
{proposal.state === "Executed" ? null : (
              <section aria-labelledby="impact" className="space-y-2">
          <h2 id="impact" className="text-base font-semibold text-neutral-50">Impact at block #{snapshot.blockNumber.toString()} (from the on-chain calldata)</h2>
          <PreviewSummary preview={{ newlyLiquidatable: preview.newlyLiquidatable.map((a) => ({ address: a.address, equityUsd: a.equityUsd.toString(), maintenanceMarginAfterUsd: a.maintenanceMarginAfterUsd.toString(), notionalUsd: a.notionalUsd.toString() })), newlySafe: preview.newlySafe.length, issues: preview.issues.map((i) => i.message), before: preview.before.current, after: preview.afterChanges.current, afterOther: preview.afterChanges.otherAdlMode, oiCapBreaches: preview.oiCapBreaches.length, concentrationBreaches: preview.concentrationBreaches.length }} />
        </section>
      )}
      {proposal.state === "Queued" ? (
        <section aria-labelledby="watchdog" className="space-y-2">
          <h2 id="watchdog" className="text-base font-semibold text-neutral-50">Watchdog</h2>
          {watchdogAlert ? (
            <div role="alert" className="space-y-2 rounded border border-red-700 bg-red-950/40 p-3 text-sm text-red-100">
              <p className="font-semibold">{watchdogAlert.title}</p>
              <p>{watchdogAlert.detail}</p>
              <GuardianCancel targets={proposal.targets} values={proposal.values.map(String)} calldatas={proposal.calldatas} description={proposal.description} />
            </div>
          ) : (
            <p className="text-sm text-neutral-300">
              Until it runs, it is re-executed on a fork of the live chain every few blocks and compared with the execution at the block it was queued in. {watched && "error" in watched ? `The latest check is not in yet: ${watched.error}.` : watchdogFailed ? watchdogFailed.detail : "Nothing has departed from what voters saw."}
            </p>
          )}
        </section>
      ) : null}
      {stillAhead ? (
        <section aria-labelledby="fork" className="space-y-2">
          <h2 id="fork" className="text-base font-semibold text-neutral-50">Executed on a fork</h2>
          <ForkSimulation proposalId={proposal.id.toString()} />
        </section>
      ) : null}
      {pendingEffect ? (
        <section aria-labelledby="window" className="space-y-2">
          <h2 id="window" className="text-base font-semibold text-neutral-50">Across the execution window</h2>
          {band && window && !("error" in window) ? (
            <ExecutionWindow
              band={band}
              phased={phased}
              blockNumber={snapshot.blockNumber.toString()}
              volatility={snapshot.markets.map((m, i) => ({ symbol: m.symbol, dailyPct: window.process.volPerSqrtSec[i]! * Math.sqrt(86_400) * 100, fallback: window.process.fallback[i]! }))}
              timing={proposal.state === "Pending" || proposal.state === "Active" ? { votingBlocks: (proposal.voteEnd > snapshot.blockNumber ? proposal.voteEnd - snapshot.blockNumber : 0n).toString(), blockTimeSec: window.blockTimeSec, timelockDelaySec: window.timelockDelaySec.toString() } : null}
            />
          ) : (
            <p role="alert" className="text-sm text-amber-300">The band could not be computed: {window && "error" in window ? window.error : "no price history"}.</p>
          )}
          {stages ? (
            <>
              <h3 className="pt-2 text-sm font-semibold text-neutral-100">What voters were shown, and now</h3>
              <StageTable stages={stages} now={{ blockNumber: snapshot.blockNumber, newlyLiquidatable: preview.newlyLiquidatable.length, band: band && { p5: band.p5, p95: band.p95, expected: band.expected, horizonSec: band.horizonSec } }} />
            </>
          ) : null}
        </section>
      ) : null}
      {record ? (
        <section aria-labelledby="record" className="space-y-2">
          <h2 id="record" className="text-base font-semibold text-neutral-50">Predicted and what happened</h2>
          {"error" in record ? <p role="alert" className="text-sm text-amber-300">The record could not be read: {record.error}</p> : <PredictionRecord record={record} />}
        </section>
      ) : null}
      <section aria-labelledby="yours" className="space-y-2">
        <h2 id="yours" className="text-base font-semibold text-neutral-50">Your account under this proposal</h2>
        <YourAccount proposalId={proposal.id.toString()} />
      </section>
      <section aria-labelledby="votes" className="space-y-2">
        <h2 id="votes" className="text-base font-semibold text-neutral-50">Votes</h2>
        <Tally forVotes={proposal.forVotes} againstVotes={proposal.againstVotes} abstainVotes={proposal.abstainVotes} quorum={proposal.quorum} />
        <ul className="space-y-1 text-sm">
          {votes.map((v) => (
            <li key={v.voter} className="border-b border-neutral-800 py-1">
              <span className="font-mono text-xs">{v.voter}</span> <span className={v.support === "For" ? "text-emerald-300" : v.support === "Against" ? "text-red-300" : "text-neutral-400"}>{v.support}</span>{" "}
              <span className="font-mono text-xs text-neutral-400">{tokens(v.weight)} votes</span>
              {v.reason ? <span className="text-neutral-400"> — “{v.reason}”</span> : null}
            </li>
          ))}
        </ul>
        <ProposalActions proposalId={proposal.id.toString()} state={proposal.state} etaSeconds={proposal.eta.toString()} chainTimeSeconds={snapshot.timestamp.toString()} proposer={proposal.proposer} targets={proposal.targets} values={proposal.values.map(String)} calldatas={proposal.calldatas} description={proposal.description} relay={relayEnabled()} />
      </section>
      <section aria-labelledby="timeline" className="space-y-2">
        <h2 id="timeline" className="text-base font-semibold text-neutral-50">Timeline</h2>
        <ol className="space-y-1 text-sm">
          {timeline.map(([step, detail, done]) => (
            <li key={step} className={done ? "text-neutral-200" : "text-neutral-400"}>
              {done ? "●" : "○"} <strong className="font-medium">{step}</strong> — {detail}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="description" className="space-y-2">
        <h2 id="description" className="text-base font-semibold text-neutral-50">Description</h2>
        <pre className="whitespace-pre-wrap rounded border border-neutral-800 p-3 text-xs text-neutral-300">{proposal.description}</pre>
      </section>
    </div>
  );
}
