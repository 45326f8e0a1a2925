"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSignTypedData } from "wagmi";
import type { DraftContentWire, DraftWire } from "@/lib/api/wire";
import { draftTypedData } from "@/lib/drafts/draftTypedData";
import { DRAFT_TEMPLATES } from "@/lib/drafts/draftTemplates";
import { readSafeBatchFile, toSafeBatchFile } from "@/lib/drafts/safeBatchFile";
import { actionsFromCalls, proposalCalls, type BuildProposalContext, type BuildProposalReturnType } from "@/lib/forms/buildProposal";
import { draftsQueryOptions, putDraft } from "@/lib/query/drafts";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { useHydrated } from "@/lib/hooks/useWalletAccount";

type Notice = { kind: "error" | "done"; message: string } | null;

/** 16 random bytes as 32 hexadecimal characters: a draft's id, made where its author signs it. */
const newDraftId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The builder's draft controls: save (signed by the author) and share by link, start from a
 * template, export and import a Safe Transaction Builder file, and the wallet's own drafts.
 * Whoever is not the author of the draft on screen reads it and may save a copy of their own.
 */
export function DraftBar({ content, built, context, chainId, address, walletChainId, draft, readOnly, onDraft, onLoad }: {
  content: DraftContentWire;
  built: BuildProposalReturnType;
  context: BuildProposalContext;
  /** The deployment's chain: what a save is signed for. */
  chainId: number;
  address: `0x${string}` | undefined;
  walletChainId: number | undefined;
  draft: DraftWire | undefined;
  readOnly: boolean;
  onDraft(draft: DraftWire): void;
  onLoad(content: DraftContentWire): void;
}) {
  const [notice, setNotice] = useState<Notice>(null);
  const [saving, setSaving] = useState(false);
  // What a template or an import replaced, until the author takes it back.
  const [replaced, setReplaced] = useState<DraftContentWire | null>(null);
  const { signTypedDataAsync } = useSignTypedData();
  const queryClient = useQueryClient();
  const mine = useQuery(draftsQueryOptions(address));
  const hydrated = useHydrated();

  async function save(asNew: boolean) {
    if (!address) return setNotice({ kind: "error", message: "Connect a wallet to save: a draft is saved under its author's signature." });
    // Wallets refuse to sign typed data for a chain they are not on.
    if (walletChainId !== chainId) return setNotice({ kind: "error", message: `Switch your wallet to chain ${chainId} to save: the signature names the chain.` });
    const id = asNew || !draft ? newDraftId() : draft.id;
    const version = asNew || !draft ? 1 : draft.version + 1;
    const text = JSON.stringify(content);
    setSaving(true);
    setNotice(null);
    try {
      const signature = await signTypedDataAsync({ ...draftTypedData({ id, content: text, version, chainId }), account: address });
      const saved = await putDraft(id, { author: address, chainId, version, content: text, signature });
      onDraft(saved);
      // The address bar becomes the draft's link, without reloading the builder.
      window.history.replaceState(null, "", `/governance/new?draft=${saved.id}`);
      setReplaced(null);
      setNotice({ kind: "done", message: `Saved as version ${saved.version}. Anyone with the link can read it; only you can change it.` });
      void queryClient.invalidateQueries({ queryKey: draftsQueryOptions(address).queryKey });
    } catch (error) {
      setNotice({ kind: "error", message: `Not saved: ${describeWalletError(error)}` });
    } finally {
      setSaving(false);
    }
  }

  function exportFile() {
    if (built.errors.length) return setNotice({ kind: "error", message: "Fix the values marked below first; nothing was exported." });
    const calls = proposalCalls(built, context.deployment);
    if (!calls.length) return setNotice({ kind: "error", message: "Add at least one action to export." });
    const file = toSafeBatchFile(calls, { chainId, name: content.title.trim() || "Backstop proposal", description: content.body, createdAt: Date.now() });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
    link.download = `backstop-${draft?.id ?? "draft"}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
    setNotice({ kind: "done", message: `Exported ${calls.length} transaction${calls.length === 1 ? "" : "s"} as a Safe Transaction Builder file.` });
  }

  async function importFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const read = readSafeBatchFile(await file.text(), { chainId });
    // A file that cannot be read changes nothing in the builder.
    if (!read.ok) return setNotice({ kind: "error", message: `${file.name} was not imported: ${read.error}` });
    const actions = actionsFromCalls(read.calls, context);
    const raw = actions.filter((a) => a.option === "raw").length;
    setReplaced(content);
    onLoad({ title: content.title || read.name, body: content.body || read.description, actions });
    setNotice({ kind: "done", message: [`Imported ${actions.length} action${actions.length === 1 ? "" : "s"} from ${file.name}, in place of the builder's${raw ? `; ${raw} stay${raw === 1 ? "s" : ""} a raw call (not a governance action Backstop can read)` : ""}.`, ...read.warnings].join(" ") });
  }

  const button = "rounded border border-neutral-700 px-3 py-1.5 text-sm text-neutral-200 hover:bg-neutral-800 disabled:opacity-50";
  // The origin is the browser's, known after hydration (the server may be behind a proxy).
  const link = draft && hydrated ? `${window.location.origin}/governance/new?draft=${draft.id}` : undefined;
  return (
    <section aria-label="Draft" className="space-y-3 rounded-lg border border-neutral-800 p-4">
      {draft ? (
        <p className="text-sm text-neutral-300">
          Draft “{draft.content.title || "untitled"}”, version {draft.version}, by <span className="break-all font-mono text-xs">{draft.author}</span>
        </p>
      ) : (
        <p className="text-sm text-neutral-400">Not saved yet. Save a draft to share it by link; only you will be able to change it.</p>
      )}
      {readOnly && draft ? (
        <p role="note" className="text-sm text-amber-300">
          Read-only: only its author, <span className="break-all font-mono text-xs">{draft.author}</span>, can edit this draft{address ? <> (you are <span className="break-all font-mono text-xs">{address.toLowerCase()}</span>)</> : " (no wallet is connected)"}. Save a copy to make your own.
        </p>
      ) : null}
      {/* Disabled until hydrated: a choice or a click before it would never reach the builder's state. */}
      <fieldset disabled={!hydrated} aria-label="Draft controls" className="flex min-w-0 flex-wrap items-end gap-3">
        {readOnly ? (
          <button type="button" onClick={() => save(true)} disabled={saving} className={button}>Save a copy as my draft</button>
        ) : (
          <>
            <button type="button" onClick={() => save(false)} disabled={saving} className={button}>{draft ? "Save changes" : "Save draft"}</button>
            {draft ? <button type="button" onClick={() => save(true)} disabled={saving} className={button}>Save as a new draft</button> : null}
          </>
        )}
        <button type="button" onClick={exportFile} className={button}>Export Safe batch</button>
        <label className={`${button} cursor-pointer focus-within:outline focus-within:outline-2 focus-within:outline-emerald-400 ${readOnly ? "pointer-events-none opacity-50" : ""}`}>
          Import Safe batch
          <input type="file" accept="application/json,.json" onChange={importFile} disabled={readOnly} className="sr-only" />
        </label>
        <label className="flex w-full min-w-0 flex-col gap-1 text-xs text-neutral-400 sm:w-auto">
          Start from a template
          <select value="" disabled={readOnly} onChange={(e) => {
            const template = DRAFT_TEMPLATES.find((t) => t.id === e.target.value);
            if (!template) return;
            setReplaced(content);
            onLoad(template.fill(context));
            setNotice({ kind: "done", message: `Filled from the template “${template.label}”: adjust the values below.` });
          }} className="w-full min-w-0 rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100 disabled:opacity-50">
            <option value="">Choose…</option>
            {DRAFT_TEMPLATES.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
          </select>
        </label>
      </fieldset>
      {saving ? <p role="status" className="text-sm text-neutral-400">Saving: sign the draft in your wallet (a signature, not a transaction)…</p> : null}
      {notice ? <p role={notice.kind === "error" ? "alert" : "status"} className={`text-sm ${notice.kind === "error" ? "text-red-300" : "text-emerald-300"}`}>{notice.message}</p> : null}
      {replaced && !readOnly ? (
        <button type="button" onClick={() => {
          onLoad(replaced);
          setReplaced(null);
          setNotice({ kind: "done", message: "The builder is back as it was before." });
        }} className={button}>Undo: put back the actions and text it replaced</button>
      ) : null}
      {link ? (
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Link to this draft
          <input readOnly value={link} onFocus={(e) => e.target.select()} className="rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 font-mono text-xs text-neutral-100" />
        </label>
      ) : null}
      {mine.data?.drafts.length ? (
        <details className="text-sm text-neutral-300">
          <summary className="cursor-pointer">Your drafts ({mine.data.drafts.length})</summary>
          <ul className="mt-2 space-y-1">
            {mine.data.drafts.map((d) => (
              <li key={d.id}>
                <Link href={`/governance/new?draft=${d.id}`} className="text-emerald-300 underline">{d.title || "untitled"}</Link> <span className="text-xs text-neutral-400">version {d.version}, saved {new Date(d.updatedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : mine.error ? <p className="text-xs text-neutral-400">Your drafts could not be listed: {mine.error.message}</p> : null}
    </section>
  );
}
