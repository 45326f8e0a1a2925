"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { TransactionStatusLine, type TransactionStatus } from "@/components/wallet/transaction-status";
import { decodeEventLog, type Hex } from "viem";
import { useConfig } from "wagmi";
import { formatCountdown, formatUsd, fromJson, toJson, type PreviewBand, type PreviewBandOptions, type ProposalPreview } from "@/engine/index";
import { backstopGovernorAbi } from "@/lib/contracts/abis";
import { actionFields, BUILDER_MENU, buildProposal, proposalCalls, setField, startAction, validateProposalText, type BuilderAction, type BuilderCollateral, type BuilderMarket, type FormField } from "@/lib/forms/buildProposal";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { ForkSimulation } from "./fork-simulation";
import { PreviewSummary } from "./preview-summary";
import { DraftBar } from "./draft-bar";
import type { DraftContentWire, DraftWire } from "@/lib/api/wire";
import { ExecutionWindow, type ExecutionWindowProps } from "./execution-window";
import type { PreviewRequest } from "./preview.worker";

/** What the page read of the window a draft would wait through (lib/actions/readExecutionWindow). */
export type DraftWindow = Pick<ExecutionWindowProps, "volatility" | "timing"> & Pick<PreviewBandOptions, "process" | "horizonSec"> & { blockNumber: string };
import { StressLab, type EngineSide } from "@/components/stress/stress-lab";
import { useHydrated, useWalletAccount } from "@/lib/hooks/useWalletAccount";
import { ApiError, fetchApiText, snapshotFailure } from "@/lib/query/fetchApi";
import { fetchServerPreview } from "@/lib/query/serverEngine";
import { messageOf } from "@/lib/errors/messageOf";

export type { BuilderCollateral, BuilderMarket } from "@/lib/forms/buildProposal";

type Action = BuilderAction;

/**
 * The proposal builder: actions, validation as the contract does it, a live preview in a worker —
 * a Web Worker, or for a venue too big to send the browser (`engine` "server", or the snapshot
 * route's 413) the server's engine pool (POST /api/preview) — and publication.
 */
export function ProposalBuilder({ markets, collaterals, executionWindow, draft: opened, engine = "browser" }: { markets: BuilderMarket[]; collaterals: BuilderCollateral[]; executionWindow?: DraftWindow; draft?: DraftWire; engine?: EngineSide }) {
  const config = useConfig();
  const router = useRouter();
  const deployment = useDeployment();
  const { isConnected, chainId: walletChainId, address } = useWalletAccount();
  const context = useMemo(() => ({ markets, collaterals, deployment }), [markets, collaterals, deployment]);
  const [actions, setActions] = useState<Action[]>(() => opened?.content.actions ?? [startAction("params", context)]);
  const [title, setTitle] = useState(opened?.content.title ?? "");
  const [body, setBody] = useState(opened?.content.body ?? "");
  // The draft on screen, as last saved; only its author edits it here (the server checks the signature).
  const [draft, setDraft] = useState(opened);
  const readOnly = draft !== undefined && draft.author !== address?.toLowerCase();
  // The form takes input once React owns it: a market chosen or a value typed into the server's
  // HTML before hydration was put back to the initial state, and lost, when React took over.
  const hydrated = useHydrated();
  const load = (content: DraftContentWire) => {
    setActions(content.actions.length ? content.actions : [startAction("params", context)]);
    setTitle(content.title);
    setBody(content.body);
  };
  const [preview, setPreview] = useState<(Omit<ProposalPreview, "after"> & { band?: PreviewBand; ms: number }) | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  // The calls last sent to a fork (a fork run costs seconds: on request, not on every keystroke).
  const [forkCalls, setForkCalls] = useState<ReturnType<typeof proposalCalls> | null>(null);
  const [status, setStatus] = useState<TransactionStatus>({ kind: "idle" });
  const worker = useRef<Worker | null>(null);
  const requestId = useRef(0);
  // Where the preview runs: the page's word, or the server once the snapshot route said the venue is too big to send.
  const [side, setSide] = useState<EngineSide>(engine);

  // Every action turned into a ParamChange, or the reasons it cannot be (lib/forms/buildProposal).
  const built = useMemo(() => buildProposal(actions, context), [actions, context]);

  useEffect(() => {
    if (side !== "browser") return;
    const w = new Worker(new URL("./preview.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (event: MessageEvent<{ type: string; id: number; json?: string; ms?: number; message?: string }>) => {
      if (event.data.id !== requestId.current) return;
      if (event.data.type === "preview") setPreview({ ...fromJson<Omit<ProposalPreview, "after"> & { band?: PreviewBand }>(event.data.json!), ms: event.data.ms! });
      else setPreviewError(event.data.message ?? "the preview failed");
    };
    fetchApiText("/api/snapshot")
      .then((json) => w.postMessage({ type: "snapshot", json }))
      .catch((e: unknown) => (e instanceof ApiError && e.status === 413 ? setSide("server") : setPreviewError(snapshotFailure(e))));
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, [side]);

  useEffect(() => {
    if (built.errors.length) return;
    const id = ++requestId.current;
    const window = executionWindow && { process: executionWindow.process, horizonSec: executionWindow.horizonSec };
    if (side === "server") {
      // The latest edit wins: an edit in the meantime aborts the request, and the server drops its task.
      const controller = new AbortController();
      const timer = setTimeout(() => {
        fetchServerPreview(built.changes, window, controller.signal).then(
          ({ preview, ms }) => {
            if (id !== requestId.current) return;
            setPreview({ ...preview, ms });
            setPreviewError(null);
          },
          (e: unknown) => {
            if (!controller.signal.aborted && id === requestId.current) setPreviewError(`The preview failed: ${messageOf(e)}`);
          },
        );
      }, 120);
      return () => {
        clearTimeout(timer);
        controller.abort();
      };
    }
    if (!worker.current) return;
    const timer = setTimeout(() => worker.current?.postMessage({ type: "preview", id, changesJson: toJson(built.changes), window } satisfies { type: "preview" } & PreviewRequest), 120);
    return () => clearTimeout(timer);
  }, [built, executionWindow, side]);

  const summary = preview
    ? [
        "",
        "## Impact (generated by Backstop at submission)",
        `- Accounts newly liquidatable at today's prices: ${preview.newlyLiquidatable.length}${preview.newlyLiquidatable.length ? ` (${preview.newlyLiquidatable.map((a) => a.address).join(", ")})` : ""}`,
        ...(preview.band ? [`- At execution (earliest, in ~${formatCountdown(BigInt(Math.round(preview.band.horizonSec)))}), over ${preview.band.paths} simulated price paths: ${preview.band.p5}–${preview.band.p95} newly liquidatable (5–95 %), ${preview.band.expected.toFixed(1)} expected`, ...preview.band.cliffs.map((c) => `- Cliff: ${c.symbol} from ${c.fromPct}% to ${c.toPct}% takes the count from ${c.from} to ${c.to}`)] : []),
        `- Liquidating everything liquidatable after it: ${preview.afterChanges.current.accounts} accounts, ${formatUsd(preview.afterChanges.current.notionalUsd, { compact: false })} notional, reserves drawn ${formatUsd(preview.afterChanges.current.insuranceDrawUsd + preview.afterChanges.current.defaultFundDrawUsd, { compact: false })}, bad debt ${formatUsd(preview.afterChanges.current.badDebtUsd, { compact: false })}`,
        ...built.warnings.map((w) => `- Preflight: ${w}`),
      ].join("\n")
    : "";

  async function publish(event: React.FormEvent) {
    event.preventDefault();
    const titleError = validateProposalText(title);
    if (titleError) return setStatus({ kind: "failed", message: titleError });
    if (built.errors.length) return setStatus({ kind: "failed", message: "Fix the values marked above first; nothing was sent." });
    if (built.changes.length + built.rawCalls.length === 0) return setStatus({ kind: "failed", message: "Add at least one action." });
    const calls = proposalCalls(built, deployment);
    const description = `# ${title.trim()}\n\n${body.trim()}\n${summary}`;
    setStatus({ kind: "pending" });
    try {
      const receipt = await sendContractWrite(config, {
        address: deployment.contracts.governor,
        abi: backstopGovernorAbi,
        functionName: "propose",
        args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.calldata), description],
        account: address!,
      });
      const created = receipt.logs
        .map((log) => {
          try {
            return decodeEventLog({ abi: backstopGovernorAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
          } catch {
            return null;
          }
        })
        .find((e) => e?.eventName === "ProposalCreated");
      const id = created && "proposalId" in created.args ? (created.args.proposalId as bigint) : undefined;
      router.push(id === undefined ? "/governance" : `/governance/${id}`);
    } catch (error) {
      setStatus({ kind: "failed", message: describeWalletError(error) });
    }
  }

  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100 disabled:opacity-60";
  const update = (i: number, next: (a: Action) => Action) => setActions((all) => all.map((a, k) => (k === i ? next(a) : a)));
  // Every kind's fields come from its form in the registry (lib/governance/actions): the builder renders them, it knows no kind.
  const renderField = (a: Action, i: number, f: FormField) => {
    const error = built.errors.find((e) => e.action === i && e.field === f.key);
    const value = a.values[f.key] ?? "";
    const onChange = (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => update(i, (x) => setField(x, f.key, e.target.value, context));
    const invalid = error ? "border-red-500" : "";
    return (
      <label key={f.key} className="flex flex-col gap-1 text-xs text-neutral-400">
        {f.label}
        {f.input === "select" ? (
          <select value={value} onChange={onChange} aria-invalid={Boolean(error)} className={`${field} ${invalid}`}>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>{o.label}</option>
            ))}
          </select>
        ) : f.input === "textarea" ? (
          <textarea value={value} onChange={onChange} rows={3} aria-invalid={Boolean(error)} placeholder={f.placeholder} className={`${field} ${invalid} ${f.monospace ? "font-mono" : ""}`} />
        ) : (
          <input value={value} onChange={onChange} aria-invalid={Boolean(error)} placeholder={f.placeholder} className={`${field} ${invalid} ${f.monospace ? "font-mono" : ""}`} />
        )}
        {f.input !== "select" && f.hint ? <span className="text-[11px] text-neutral-400">{f.hint}</span> : null}
      </label>
    );
  };
  return (
    <form onSubmit={publish} className="space-y-6" aria-label="New proposal">
      <DraftBar content={{ title, body, actions }} built={built} context={context} chainId={deployment.chainId} address={address} walletChainId={walletChainId} draft={draft} readOnly={readOnly} onDraft={setDraft} onLoad={load} />
      <fieldset disabled={readOnly || !hydrated} className="min-w-0 space-y-6">
        <section className="space-y-3" aria-label="Actions">
          {actions.map((a, i) => {
            const fields = actionFields(a, context);
            const beside = fields.filter((f) => f.input === "select" && f.beside);
            const rest = fields.filter((f) => !(f.input === "select" && f.beside));
            return (
              <fieldset key={i} className="space-y-3 rounded-lg border border-neutral-800 p-4">
                <legend className="px-1 text-sm font-medium text-neutral-200">Action {i + 1}</legend>
                <div className="flex flex-wrap gap-3">
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    What
                    {/* A new kind starts from the current values of the market or asset the action was about. */}
                    <select value={a.option} onChange={(e) => update(i, (x) => startAction(e.target.value, context, x.values))} className={field}>
                      {BUILDER_MENU.map((o) => (
                        <option key={o.value} value={o.value}>{o.label}</option>
                      ))}
                    </select>
                  </label>
                  {beside.map((f) => renderField(a, i, f))}
                  {actions.length > 1 ? (
                    <button type="button" onClick={() => setActions((all) => all.filter((_, k) => k !== i))} className="self-end rounded border border-neutral-700 px-2 py-1.5 text-xs text-neutral-300">
                      Remove
                    </button>
                  ) : null}
                </div>
                {rest.length ? <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">{rest.map((f) => renderField(a, i, f))}</div> : null}
              </fieldset>
            );
          })}
          <button type="button" onClick={() => setActions((all) => [...all, startAction("freeze", context)])} className="rounded border border-neutral-700 px-3 py-1.5 text-sm text-neutral-300">
            Add an action
          </button>
          {built.errors.length ? (
            <ul role="alert" className="space-y-1 text-sm text-red-300">
              {built.errors.map((e) => <li key={e.message}>{e.message}</li>)}
            </ul>
          ) : null}
          {built.warnings.length ? (
            <ul className="space-y-1 text-sm text-amber-300" aria-label="Preflight warnings">
              {built.warnings.map((w) => <li key={w}>⚠ {w}</li>)}
            </ul>
          ) : null}
        </section>
      </fieldset>

      <section aria-labelledby="live-preview" className="space-y-2">
        <h2 id="live-preview" className="text-base font-semibold text-neutral-50">Live preview</h2>
        {previewError ? <p role="alert" className="text-sm text-red-300">{previewError}</p> : null}
        {preview ? (
          <>
            <PreviewSummary preview={{ newlyLiquidatable: preview.newlyLiquidatable.map((a) => ({ address: a.address, equityUsd: a.equityUsd.toString(), maintenanceMarginAfterUsd: a.maintenanceMarginAfterUsd.toString(), notionalUsd: a.notionalUsd.toString() })), newlySafe: preview.newlySafe.length, issues: preview.issues.map((x) => x.message), before: preview.before.current, after: preview.afterChanges.current, afterOther: preview.afterChanges.otherAdlMode, oiCapBreaches: preview.oiCapBreaches.length, concentrationBreaches: preview.concentrationBreaches.length }} />
            {preview.band && executionWindow ? (
              <>
                <h3 className="pt-2 text-sm font-semibold text-neutral-100">Across the execution window</h3>
                <ExecutionWindow band={preview.band} blockNumber={executionWindow.blockNumber} volatility={executionWindow.volatility} timing={executionWindow.timing} />
              </>
            ) : null}
            <p className="text-xs text-neutral-400">Computed in {preview.ms.toFixed(0)} ms {side === "server" ? "on the server" : "in a Web Worker"}.</p>
          </>
        ) : built.errors.length ? null : <p className="text-sm text-neutral-400">Computing…</p>}
      </section>

      <section aria-labelledby="fork-run" className="space-y-2">
        <h2 id="fork-run" className="text-base font-semibold text-neutral-50">Executed on a fork</h2>
        <p className="text-sm text-neutral-400">The draft&apos;s exact calls run on a fork of the latest block as the timelock: what they really change and who they liquidate, whatever the decoder reads.</p>
        <button
          type="button"
          disabled={built.errors.length > 0 || built.changes.length + built.rawCalls.length === 0}
          onClick={() => setForkCalls(proposalCalls(built, deployment))}
          className="rounded border border-neutral-700 px-3 py-1.5 text-sm text-neutral-100 hover:bg-neutral-800 disabled:opacity-40"
        >
          {forkCalls ? "Execute again on a fork" : "Execute on a fork"}
        </button>
        {forkCalls ? <ForkSimulation calls={forkCalls} /> : null}
      </section>

      <section aria-labelledby="crash" className="space-y-2">
        <h2 id="crash" className="text-base font-semibold text-neutral-50">What a crash would do, today against proposed</h2>
        {built.errors.length ? (
          <p className="text-sm text-neutral-400">Fix the values above to compare.</p>
        ) : (
          <StressLab markets={markets} engine={side} variants={[{ label: "Current parameters", changes: [] }, { label: "Proposed parameters", changes: built.changes }]} />
        )}
      </section>

      <fieldset disabled={readOnly || !hydrated} className="min-w-0 space-y-6">
        <section className="space-y-3" aria-label="Description">
          <label className="flex flex-col gap-1 text-xs text-neutral-400">
            Title
            <input value={title} onChange={(e) => setTitle(e.target.value)} className={field} placeholder="Raise SOL-PERP maintenance margin to 12%" />
          </label>
          <label className="flex flex-col gap-1 text-xs text-neutral-400">
            Description (markdown; the impact summary is appended)
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={5} className={field} />
          </label>
          {summary ? <pre className="whitespace-pre-wrap rounded border border-neutral-800 p-2 text-xs text-neutral-400">{summary.trim()}</pre> : null}
        </section>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={status.kind === "pending" || !isConnected || walletChainId !== deployment.chainId} className="rounded bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50">
          Publish the proposal
        </button>
        {!isConnected ? <span className="text-sm text-neutral-400">Connect a wallet with voting power to publish.</span> : walletChainId !== deployment.chainId ? <span role="alert" className="text-sm text-amber-300">Switch your wallet to chain {deployment.chainId} to publish.</span> : null}
        <TransactionStatusLine as="span" status={status} pending="Publishing" failed="Not published" />
      </div>
    </form>
  );
}
