import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { ProposalBuilder } from "@/components/governance/proposal-builder";
import { getContext, tryLatestSnapshot } from "@/lib/server/snapshot";
import { horizonSec, readExecutionWindow } from "@/lib/actions/readExecutionWindow";
import { engineSideOf, marketsForClient } from "@/lib/server/views";
import { serverDatabase } from "@/lib/server/database";
import { publicErrorMessage } from "@/lib/server/publicError";
import { readDraft } from "@/lib/drafts/readDrafts";
import { draftId, type DraftWire } from "@/lib/api/wire";

export const metadata: Metadata = { title: "New proposal" };
export const dynamic = "force-dynamic";

export default async function NewProposalPage({ searchParams }: { searchParams: Promise<{ draft?: string | string[] }> }) {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const opened = await openDraft((await searchParams).draft);
  const markets = marketsForClient(read.snapshot);
  // A draft executes at the earliest after the whole voting delay and period and the timelock delay.
  const window = await readExecutionWindow((await getContext()).client, { deployment: read.deployment, snapshot: read.snapshot }).catch(() => undefined);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">New proposal</h1>
        <p className="max-w-3xl text-sm text-neutral-400">Draft the change, see who it would liquidate and what that would cost before anyone votes, then publish it from your wallet. Values the contract would refuse are refused here first.</p>
      </div>
      {"error" in opened ? <p role="alert" className="text-sm text-red-300">{opened.error}</p> : null}
      <ProposalBuilder
        key={"draft" in opened ? opened.draft.id : "new"}
        draft={"draft" in opened ? opened.draft : undefined}
        markets={markets}
        engine={engineSideOf(read.views.accountCount)}
        executionWindow={
          window && {
            blockNumber: read.snapshot.blockNumber.toString(),
            horizonSec: horizonSec(window, read.snapshot),
            process: { volPerSqrtSec: window.process.volPerSqrtSec, correlation: window.process.correlation },
            volatility: read.snapshot.markets.map((m, i) => ({ symbol: m.symbol, dailyPct: window.process.volPerSqrtSec[i]! * Math.sqrt(86_400) * 100, fallback: window.process.fallback[i]! })),
            timing: { votingBlocks: (window.votingDelayBlocks + window.votingPeriodBlocks).toString(), blockTimeSec: window.blockTimeSec, timelockDelaySec: window.timelockDelaySec.toString() },
          }
        }
        collaterals={read.snapshot.collaterals.map((c) => ({ id: c.id, symbol: c.symbol, decimals: c.decimals, weightWad: c.params.weightWad.toString(), depositCapNative: c.params.depositCapNative.toString(), oracleMaxAgeSec: c.params.oracleMaxAgeSec.toString() }))}
      />
    </div>
  );
}

/** The draft the link names (?draft=ID), none, or why it cannot be opened — the builder starts empty then. */
async function openDraft(id: string | string[] | undefined): Promise<{ draft: DraftWire } | { error: string } | { none: true }> {
  if (id === undefined) return { none: true };
  if (typeof id !== "string" || !draftId.safeParse(id).success) return { error: "The link's draft id is not one (32 hexadecimal characters); the builder starts empty." };
  try {
    const draft = await readDraft(await serverDatabase(), id);
    return draft ? { draft } : { error: `There is no draft ${id}: it may have been mistyped. The builder starts empty.` };
  } catch (error) {
    return { error: `The draft could not be read: ${publicErrorMessage(error)}. The builder starts empty.` };
  }
}
