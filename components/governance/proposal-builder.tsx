"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { decodeEventLog, isAddress, isHex, type Hex } from "viem";
import { useAccount, useConfig } from "wagmi";
import { fromJson, parsePercent, parseUsd, toJson, validateCollateralParams, validateDuration, validateMarketParams, type MarketParams, type ParamChange, type ProposalPreview } from "@/engine/index";
import { backstopGovernorAbi } from "@/lib/contracts/abis";
import { decodeCall, encodeChange, type ProposalCall } from "@/lib/codec/governanceCodec";
import { useDeployment } from "@/components/wallet/deployment-context";
import { describeWalletError } from "@/components/wallet/wallet-errors";
import { sendContractWrite } from "@/components/wallet/send-contract-write";
import { PreviewSummary } from "./preview-summary";
import { StressLab } from "@/components/stress/stress-lab";

export interface BuilderMarket {
  id: number;
  symbol: string;
  params: Record<keyof MarketParams, string>;
}

export interface BuilderCollateral {
  id: number;
  symbol: string;
  decimals: number;
  weightWad: string;
  depositCapNative: string;
  oracleMaxAgeSec: string;
}

type ActionKind = "params" | "freeze" | "unfreeze" | "pause" | "unpause" | "adl-queue" | "adl-pro-rata" | "collateral" | "grace" | "cooldown" | "move-reserves" | "raw";
interface Action {
  kind: ActionKind;
  marketId: number;
  fields: Record<"imr" | "mmr" | "penalty" | "keeperShare" | "oiCap" | "concentrationCap" | "oracleMaxAge", string>;
  /** Fields of the other kinds: asset, weight, cap, seconds, from/to/amount, target/calldata. */
  extra: typeof emptyExtra;
}

const emptyExtra = { assetId: "0", weight: "", depositCap: "", assetMaxAge: "", seconds: "", from: "insurance", to: "default", amount: "", target: "", calldata: "" };

const fieldInfo: { key: keyof Action["fields"]; param: keyof MarketParams; label: string; kind: "pct" | "usd" | "sec" }[] = [
  { key: "imr", param: "imrWad", label: "Initial margin (IMR, %)", kind: "pct" },
  { key: "mmr", param: "mmrWad", label: "Maintenance margin (MMR, %)", kind: "pct" },
  { key: "penalty", param: "liquidationPenaltyWad", label: "Liquidation penalty (%)", kind: "pct" },
  { key: "keeperShare", param: "keeperShareWad", label: "Keeper share (%)", kind: "pct" },
  { key: "oiCap", param: "oiCapUsd", label: "Open-interest cap (USD)", kind: "usd" },
  { key: "concentrationCap", param: "concentrationCapWad", label: "Concentration cap (%)", kind: "pct" },
  { key: "oracleMaxAge", param: "oracleMaxAgeSec", label: "Oracle max age (s)", kind: "sec" },
];

const shown = (m: BuilderMarket, f: (typeof fieldInfo)[number]) => {
  const v = BigInt(m.params[f.param]);
  return f.kind === "pct" ? String(Number(v) / 1e16) : f.kind === "usd" ? String(v / 10n ** 18n) : String(v);
};

function parseField(f: (typeof fieldInfo)[number], raw: string): bigint {
  if (f.kind === "pct") return parsePercent(raw.trim().endsWith("%") ? raw : `${raw}%`);
  if (f.kind === "usd") return parseUsd(raw);
  if (!/^\d+$/.test(raw.trim())) throw new Error(`"${raw}" is not a whole number of seconds`);
  return BigInt(raw.trim());
}

/** Steward-style preflight: a parameter moving more than half its value, or a margin more than 5 points, is worth saying. */
function preflight(before: MarketParams, after: MarketParams, symbol: string): string[] {
  const warnings: string[] = [];
  for (const f of fieldInfo) {
    const a = Number(before[f.param]);
    const b = Number(after[f.param]);
    if (a === b) continue;
    const relative = a === 0 ? Infinity : Math.abs(b - a) / a;
    const points = f.kind === "pct" ? Math.abs(b - a) / 1e16 : 0;
    if (relative > 0.5 || points > 5) warnings.push(`${symbol} ${f.label.replace(/ \(.*\)$/, "")} moves by ${Number.isFinite(relative) ? `${Math.round(relative * 100)}%` : "from zero"}${points > 5 ? ` (${points.toFixed(1)} points)` : ""}: more than the usual step; say why in the description.`);
  }
  return warnings;
}

/** The proposal builder: actions, validation as the contract does it, a live preview in a worker, and publication. */
export function ProposalBuilder({ markets, collaterals }: { markets: BuilderMarket[]; collaterals: BuilderCollateral[] }) {
  const config = useConfig();
  const router = useRouter();
  const deployment = useDeployment();
  const { isConnected, chainId: walletChainId, address } = useAccount();
  const newAction = (kind: ActionKind): Action => ({ kind, marketId: markets[0]?.id ?? 0, fields: Object.fromEntries(fieldInfo.map((f) => [f.key, shown(markets[0]!, f)])) as Action["fields"], extra: { ...emptyExtra } });
  const [actions, setActions] = useState<Action[]>(() => [newAction("params")]);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [preview, setPreview] = useState<(Omit<ProposalPreview, "after"> & { ms: number }) | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: "idle" | "pending" | "failed"; message?: string }>({ kind: "idle" });
  const worker = useRef<Worker | null>(null);
  const requestId = useRef(0);

  // Every action turned into a ParamChange, or the reasons it cannot be.
  const built = useMemo(() => {
    const changes: ParamChange[] = [];
    const rawCalls: ProposalCall[] = [];
    const errors: { action: number; field?: string; message: string }[] = [];
    const warnings: string[] = [];
    actions.forEach((a, i) => {
      const market = markets.find((m) => m.id === a.marketId)!;
      if (a.kind === "params") {
        const current = Object.fromEntries(Object.entries(market.params).map(([k, v]) => [k, BigInt(v)])) as unknown as MarketParams;
        const next = { ...current };
        for (const f of fieldInfo) {
          try {
            next[f.param] = parseField(f, a.fields[f.key]);
          } catch (e) {
            errors.push({ action: i, field: f.key, message: `${market.symbol} ${f.label.replace(/ \(.*\)$/, "")}: ${e instanceof Error ? e.message : String(e)}` });
          }
        }
        if (errors.some((e) => e.action === i)) return;
        const issues = validateMarketParams(next);
        issues.forEach((issue) => errors.push({ action: i, field: fieldInfo.find((f) => f.param === issue.field)?.key, message: `${market.symbol}: ${issue.message}` }));
        if (issues.length) return;
        warnings.push(...preflight(current, next, market.symbol));
        changes.push({ kind: "setMarketParams", marketId: market.id, params: next });
      } else if (a.kind === "collateral") {
        const asset = collaterals.find((c) => String(c.id) === a.extra.assetId)!;
        try {
          const weightWad = parsePercent(a.extra.weight.trim().endsWith("%") ? a.extra.weight : `${a.extra.weight}%`);
          if (!/^\d+(\.\d+)?$/.test(a.extra.depositCap.trim())) throw new Error(`deposit cap "${a.extra.depositCap}" is not an amount of ${asset.symbol}`);
          const [whole, fraction = ""] = a.extra.depositCap.trim().split(".");
          if (fraction.length > asset.decimals) throw new Error(`deposit cap has more than ${asset.decimals} decimals`);
          const depositCapNative = BigInt(whole!) * 10n ** BigInt(asset.decimals) + BigInt(fraction.padEnd(asset.decimals, "0") || "0");
          if (!/^\d+$/.test(a.extra.assetMaxAge.trim())) throw new Error(`oracle max age "${a.extra.assetMaxAge}" is not a whole number of seconds`);
          const params = { weightWad, depositCapNative, oracleMaxAgeSec: BigInt(a.extra.assetMaxAge.trim()) };
          const issue = validateCollateralParams(params)[0];
          if (issue) throw new Error(issue.message);
          changes.push({ kind: "setCollateralParams", assetId: asset.id, params });
        } catch (e) {
          errors.push({ action: i, message: `${asset.symbol} collateral: ${e instanceof Error ? e.message : String(e)}` });
        }
      } else if (a.kind === "grace" || a.kind === "cooldown") {
        const raw = a.extra.seconds.trim();
        if (!/^\d+$/.test(raw)) {
          errors.push({ action: i, message: `${a.kind === "grace" ? "Grace period" : "Cooldown"}: "${a.extra.seconds}" is not a whole number of seconds` });
          return;
        }
        const issue = validateDuration(a.kind === "grace" ? "gracePeriod" : "defaultFundCooldown", BigInt(raw))[0];
        if (issue) errors.push({ action: i, message: issue.message });
        else changes.push(a.kind === "grace" ? { kind: "setGracePeriod", seconds: BigInt(raw) } : { kind: "setDefaultFundCooldown", seconds: BigInt(raw) });
      } else if (a.kind === "move-reserves") {
        try {
          const amountUsd = parseUsd(a.extra.amount);
          if (amountUsd === 0n) throw new Error("the amount must be above zero");
          if (a.extra.from === a.extra.to) throw new Error("a reserve cannot be moved to itself");
          changes.push({ kind: "moveReserves", from: a.extra.from as "insurance" | "default", to: a.extra.to as "insurance" | "default", amountUsd });
        } catch (e) {
          errors.push({ action: i, message: `Reserve move: ${e instanceof Error ? e.message : String(e)}` });
        }
      } else if (a.kind === "raw") {
        const call = { target: a.extra.target.trim() as `0x${string}`, value: 0n, calldata: a.extra.calldata.trim() as Hex };
        if (!isAddress(call.target, { strict: false })) {
          errors.push({ action: i, message: `Raw call: the target "${a.extra.target}" is not an address` });
          return;
        }
        if (!isHex(call.calldata) || call.calldata.length % 2 !== 0) {
          errors.push({ action: i, message: "Raw call: the calldata must be 0x-prefixed hex bytes" });
          return;
        }
        const decoded = decodeCall(call, deployment);
        if (decoded.kind === "change") changes.push(decoded.change);
        else {
          warnings.push(`Raw call ${i + 1} is ${decoded.reason}: Backstop cannot preview it, and voters will see it flagged.`);
          rawCalls.push(call);
        }
      } else if (a.kind === "freeze" || a.kind === "unfreeze") changes.push({ kind: "setMarketFrozen", marketId: market.id, frozen: a.kind === "freeze" });
      else if (a.kind === "pause" || a.kind === "unpause") changes.push({ kind: "setMarketPaused", marketId: market.id, paused: a.kind === "pause" });
      else changes.push({ kind: "setAdlMode", mode: a.kind === "adl-queue" ? 0 : 1 });
    });
    return { changes, rawCalls, errors, warnings };
  }, [actions, markets, collaterals, deployment]);

  useEffect(() => {
    const w = new Worker(new URL("./preview.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (event: MessageEvent<{ type: string; id: number; json?: string; ms?: number; message?: string }>) => {
      if (event.data.id !== requestId.current) return;
      if (event.data.type === "preview") setPreview({ ...fromJson<Omit<ProposalPreview, "after">>(event.data.json!), ms: event.data.ms! });
      else setPreviewError(event.data.message ?? "the preview failed");
    };
    fetch("/api/snapshot", { cache: "no-store" })
      .then(async (r) => (r.ok ? r.text() : Promise.reject(new Error(((await r.json().catch(() => ({}))) as { error?: string }).error ?? `the server answered ${r.status}`))))
      .then((json) => w.postMessage({ type: "snapshot", json }))
      .catch((e: unknown) => setPreviewError(`The chain could not be read: ${e instanceof Error ? e.message : String(e)}`));
    return () => w.terminate();
  }, []);

  useEffect(() => {
    if (built.errors.length || !worker.current) return;
    const id = ++requestId.current;
    const timer = setTimeout(() => worker.current?.postMessage({ type: "preview", id, changesJson: toJson(built.changes) }), 120);
    return () => clearTimeout(timer);
  }, [built]);

  const summary = preview
    ? [
        "",
        "## Impact (generated by Backstop at submission)",
        `- Accounts newly liquidatable: ${preview.newlyLiquidatable.length}${preview.newlyLiquidatable.length ? ` (${preview.newlyLiquidatable.map((a) => a.address).join(", ")})` : ""}`,
        `- Liquidating everything liquidatable after it: ${preview.afterChanges.current.accounts} accounts, $${(Number(preview.afterChanges.current.notionalUsd) / 1e18).toFixed(0)} notional, reserves drawn $${(Number(preview.afterChanges.current.insuranceDrawUsd + preview.afterChanges.current.defaultFundDrawUsd) / 1e18).toFixed(0)}, bad debt $${(Number(preview.afterChanges.current.badDebtUsd) / 1e18).toFixed(0)}`,
        ...built.warnings.map((w) => `- Preflight: ${w}`),
      ].join("\n")
    : "";

  async function publish(event: React.FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setStatus({ kind: "failed", message: "Give the proposal a title: voters on every interface see it first." });
    if (built.errors.length) return setStatus({ kind: "failed", message: "Fix the values marked above first; nothing was sent." });
    if (built.changes.length + built.rawCalls.length === 0) return setStatus({ kind: "failed", message: "Add at least one action." });
    const calls = [...built.changes.map((c) => encodeChange(c, deployment)), ...built.rawCalls];
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

  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100";
  const update = (i: number, change: Partial<Action>) => setActions((all) => all.map((a, k) => (k === i ? { ...a, ...change } : a)));
  return (
    <form onSubmit={publish} className="space-y-6" aria-label="New proposal">
      <section className="space-y-3" aria-label="Actions">
        {actions.map((a, i) => {
          const market = markets.find((m) => m.id === a.marketId)!;
          return (
            <fieldset key={i} className="space-y-3 rounded-lg border border-neutral-800 p-4">
              <legend className="px-1 text-sm font-medium text-neutral-200">Action {i + 1}</legend>
              <div className="flex flex-wrap gap-3">
                <label className="flex flex-col gap-1 text-xs text-neutral-400">
                  What
                  <select
                    value={a.kind}
                    onChange={(e) => {
                      const kind = e.target.value as ActionKind;
                      const c = collaterals[0];
                      // A collateral action starts from the asset's current values.
                      update(i, kind === "collateral" && c ? { kind, extra: { ...a.extra, assetId: String(c.id), weight: String(Number(c.weightWad) / 1e16), depositCap: String(BigInt(c.depositCapNative) / 10n ** BigInt(c.decimals)), assetMaxAge: c.oracleMaxAgeSec } } : { kind });
                    }}
                    className={field}
                  >
                    <option value="params">Change risk parameters</option>
                    <option value="freeze">Freeze (reduce-only)</option>
                    <option value="unfreeze">Unfreeze</option>
                    <option value="pause">Pause</option>
                    <option value="unpause">Unpause</option>
                    <option value="adl-queue">ADL mode: queue</option>
                    <option value="adl-pro-rata">ADL mode: pro-rata</option>
                    <option value="collateral">Collateral weight and cap</option>
                    <option value="grace">Liquidation grace period</option>
                    <option value="cooldown">Default-fund cooldown</option>
                    <option value="move-reserves">Move reserves</option>
                    <option value="raw">Raw call</option>
                  </select>
                </label>
                {a.kind.startsWith("adl") || !["params", "freeze", "unfreeze", "pause", "unpause"].includes(a.kind) ? null : (
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    Market
                    <select
                      value={a.marketId}
                      onChange={(e) => {
                        const next = markets.find((m) => m.id === Number(e.target.value))!;
                        update(i, { marketId: next.id, fields: Object.fromEntries(fieldInfo.map((f) => [f.key, shown(next, f)])) as Action["fields"] });
                      }}
                      className={field}
                    >
                      {markets.map((m) => (
                        <option key={m.id} value={m.id}>{m.symbol}</option>
                      ))}
                    </select>
                  </label>
                )}
                {actions.length > 1 ? (
                  <button type="button" onClick={() => setActions((all) => all.filter((_, k) => k !== i))} className="self-end rounded border border-neutral-700 px-2 py-1.5 text-xs text-neutral-300">
                    Remove
                  </button>
                ) : null}
              </div>
              {a.kind === "collateral" ? (
                <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    Asset
                    <select
                      value={a.extra.assetId}
                      onChange={(e) => {
                        const c = collaterals.find((x) => String(x.id) === e.target.value)!;
                        update(i, { extra: { ...a.extra, assetId: e.target.value, weight: String(Number(c.weightWad) / 1e16), depositCap: String(BigInt(c.depositCapNative) / 10n ** BigInt(c.decimals)), assetMaxAge: c.oracleMaxAgeSec } });
                      }}
                      className={field}
                    >
                      {collaterals.map((c) => (
                        <option key={c.id} value={c.id}>{c.symbol}</option>
                      ))}
                    </select>
                  </label>
                  {([["weight", "Weight (%)"], ["depositCap", "Deposit cap (tokens)"], ["assetMaxAge", "Oracle max age (s)"]] as const).map(([k, label]) => (
                    <label key={k} className="flex flex-col gap-1 text-xs text-neutral-400">
                      {`Collateral ${label}`}
                      <input value={a.extra[k]} onChange={(e) => update(i, { extra: { ...a.extra, [k]: e.target.value } })} className={field} />
                    </label>
                  ))}
                </div>
              ) : null}
              {a.kind === "grace" || a.kind === "cooldown" ? (
                <label className="flex flex-col gap-1 text-xs text-neutral-400">
                  {a.kind === "grace" ? "Grace period after unpause (s)" : "Default-fund withdrawal cooldown (s)"}
                  <input value={a.extra.seconds} onChange={(e) => update(i, { extra: { ...a.extra, seconds: e.target.value } })} className={`${field} w-48`} />
                </label>
              ) : null}
              {a.kind === "move-reserves" ? (
                <div className="flex flex-wrap gap-3">
                  {(["from", "to"] as const).map((k) => (
                    <label key={k} className="flex flex-col gap-1 text-xs text-neutral-400">
                      {k === "from" ? "From" : "To"}
                      <select value={a.extra[k]} onChange={(e) => update(i, { extra: { ...a.extra, [k]: e.target.value } })} className={field}>
                        <option value="insurance">Insurance fund</option>
                        <option value="default">Default fund</option>
                      </select>
                    </label>
                  ))}
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    Amount (USD)
                    <input value={a.extra.amount} onChange={(e) => update(i, { extra: { ...a.extra, amount: e.target.value } })} className={field} />
                  </label>
                </div>
              ) : null}
              {a.kind === "raw" ? (
                <div className="grid gap-3">
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    Raw call target
                    <input value={a.extra.target} onChange={(e) => update(i, { extra: { ...a.extra, target: e.target.value } })} className={`${field} font-mono`} placeholder="0x…" />
                  </label>
                  <label className="flex flex-col gap-1 text-xs text-neutral-400">
                    Raw call calldata
                    <textarea value={a.extra.calldata} onChange={(e) => update(i, { extra: { ...a.extra, calldata: e.target.value } })} rows={3} className={`${field} font-mono`} placeholder="0x…" />
                  </label>
                </div>
              ) : null}
              {a.kind === "params" ? (
                <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  {fieldInfo.map((f) => {
                    const error = built.errors.find((e) => e.action === i && e.field === f.key);
                    return (
                      <label key={f.key} className="flex flex-col gap-1 text-xs text-neutral-400">
                        {`${market.symbol} ${f.label}`}
                        <input value={a.fields[f.key]} aria-invalid={Boolean(error)} onChange={(e) => update(i, { fields: { ...a.fields, [f.key]: e.target.value } })} className={`${field} ${error ? "border-red-500" : ""}`} />
                        <span className="text-[11px] text-neutral-500">now {shown(market, f)}</span>
                      </label>
                    );
                  })}
                </div>
              ) : null}
            </fieldset>
          );
        })}
        <button type="button" onClick={() => setActions((all) => [...all, newAction("freeze")])} className="rounded border border-neutral-700 px-3 py-1.5 text-sm text-neutral-300">
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

      <section aria-labelledby="live-preview" className="space-y-2">
        <h2 id="live-preview" className="text-base font-semibold text-neutral-50">Live preview</h2>
        {previewError ? <p role="alert" className="text-sm text-red-300">{previewError}</p> : null}
        {preview ? (
          <>
            <PreviewSummary preview={{ newlyLiquidatable: preview.newlyLiquidatable.map((a) => ({ address: a.address, equityUsd: a.equityUsd.toString(), maintenanceMarginAfterUsd: a.maintenanceMarginAfterUsd.toString(), notionalUsd: a.notionalUsd.toString() })), newlySafe: preview.newlySafe.length, issues: preview.issues.map((x) => x.message), before: preview.before.current, after: preview.afterChanges.current, afterOther: preview.afterChanges.otherAdlMode, oiCapBreaches: preview.oiCapBreaches.length, concentrationBreaches: preview.concentrationBreaches.length }} />
            <p className="text-xs text-neutral-500">Computed in {preview.ms.toFixed(0)} ms in a Web Worker.</p>
          </>
        ) : built.errors.length ? null : <p className="text-sm text-neutral-400">Computing…</p>}
      </section>

      <section aria-labelledby="crash" className="space-y-2">
        <h2 id="crash" className="text-base font-semibold text-neutral-50">What a crash would do, today against proposed</h2>
        {built.errors.length ? (
          <p className="text-sm text-neutral-400">Fix the values above to compare.</p>
        ) : (
          <StressLab markets={markets} variants={[{ label: "Current parameters", changes: [] }, { label: "Proposed parameters", changes: built.changes }]} />
        )}
      </section>

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

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={status.kind === "pending" || !isConnected || walletChainId !== deployment.chainId} className="rounded bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-500 disabled:opacity-50">
          Publish the proposal
        </button>
        {!isConnected ? <span className="text-sm text-neutral-400">Connect a wallet with voting power to publish.</span> : walletChainId !== deployment.chainId ? <span role="alert" className="text-sm text-amber-300">Switch your wallet to chain {deployment.chainId} to publish.</span> : null}
        <span role="status" aria-live="polite" className="text-sm">
          {status.kind === "pending" ? <span className="text-amber-300">Publishing: waiting for your wallet and the chain…</span> : null}
          {status.kind === "failed" ? <span className="text-red-300">Not published: {status.message}</span> : null}
        </span>
      </div>
    </form>
  );
}
