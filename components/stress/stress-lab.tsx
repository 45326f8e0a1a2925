"use client";

import { useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { formatUsdFloat, historicalScenarios, parsePercent, pathFromMoves, scenarioMoves, validateMarketParams, type MarketParams, type ParamChange } from "@/engine/index";
import { LineChart } from "@/components/charts/line-chart";
import type { CascadeRequest } from "./cascade.worker";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { useHydrated } from "@/lib/hooks/useWalletAccount";
import { messageOf } from "@/lib/errors/messageOf";
import { ApiError, fetchApiText, snapshotFailure } from "@/lib/query/fetchApi";
import { BackstopError } from "@/lib/errors/backstopError";
import { streamServerCascade } from "@/lib/query/serverEngine";
import type { StressBody } from "@/lib/api/engineRunBodies";
import type { VariantResult } from "@/lib/engineRuns/engineRuns";

export interface StressVariant {
  label: string;
  changes: ParamChange[];
}

const colors = ["#34d399", "#f59e0b", "#60a5fa", "#f472b6"];

function parseNumber(label: string, raw: string, { min = 0, integer = false } = {}): number {
  const value = Number(raw.replace(/[$,_\s]/g, ""));
  if (raw.trim() === "" || !Number.isFinite(value)) throw new BackstopError(`${label}: "${raw}" is not a number`);
  if (value < min) throw new BackstopError(`${label} must be at least ${min}`);
  if (integer && !Number.isInteger(value)) throw new BackstopError(`${label} must be a whole number`);
  return value;
}

export interface StressMarket {
  id: number;
  symbol: string;
  /** Current parameters, WAD values as decimal strings (props cross the server boundary). */
  params: Record<keyof MarketParams, string>;
}

const pctOf = (wad: string) => `${(Number(wad) / 1e16).toString()}`;

/** Where the engine runs: in the browser (a Web Worker, the venue sent whole) or on the server's engine pool (a venue too big to send). */
export type EngineSide = "browser" | "server";

/**
 * Stress lab: pick a historical crash or build one, and run the engine's liquidation cascade in
 * a Web Worker or, for a venue too big to send the browser (`engine` "server", or the snapshot
 * route's 413), on the server, streamed (POST /api/stress) — progress shown either way, once per
 * parameter set — current and, when given, proposed — side by side.
 */
export function StressLab({ markets, variants: given, engine = "browser" }: { markets: StressMarket[]; variants?: StressVariant[]; engine?: EngineSide }) {
  const [compare, setCompare] = useState(false);
  const [proposed, setProposed] = useState(() => markets.map((m) => ({ imr: pctOf(m.params.imrWad), mmr: pctOf(m.params.mmrWad), penalty: pctOf(m.params.liquidationPenaltyWad) })));
  const [scenarioId, setScenarioId] = useState("2020-03-12-black-thursday");
  const [custom, setCustom] = useState<string[]>(markets.map(() => "-20"));
  const [steps, setSteps] = useState("24");
  const [model, setModel] = useState<"sqrt" | "linear">("sqrt");
  const [depth, setDepth] = useState("25000000");
  const [gas, setGas] = useState("5");
  const [capacity, setCapacity] = useState("");
  const [latency, setLatency] = useState("0");
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const hydrated = useHydrated();
  const [results, setResults] = useState<VariantResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const worker = useRef<Worker | null>(null);
  const serverRun = useRef<AbortController | null>(null);
  const runId = useRef(0);
  // Where this venue's runs go: the page's word, or the server once the snapshot route said the venue is too big to send.
  const side = useRef<EngineSide>(engine);

  useEffect(
    () => () => {
      worker.current?.terminate();
      serverRun.current?.abort();
    },
    [],
  );

  const scenario = historicalScenarios.find((s) => s.id === scenarioId);

  async function run(event: React.SyntheticEvent) {
    event.preventDefault();
    setError(null);
    let request: Omit<CascadeRequest, "id" | "snapshotJson">;
    let serverRequest: StressBody;
    let variants: StressVariant[] = given ?? [{ label: "Current parameters", changes: [] }];
    try {
      if (compare && !given) {
        const changes: ParamChange[] = markets.map((m, i) => {
          const p = proposed[i]!;
          const read = (label: string, raw: string) => {
            try {
              return parsePercent(`${raw}%`);
            } catch {
              throw new BackstopError(`${m.symbol} proposed ${label}: "${raw}" is not a percentage`);
            }
          };
          const params: MarketParams = {
            imrWad: read("IMR", p.imr),
            mmrWad: read("MMR", p.mmr),
            liquidationPenaltyWad: read("penalty", p.penalty),
            keeperShareWad: BigInt(m.params.keeperShareWad),
            oiCapUsd: BigInt(m.params.oiCapUsd),
            concentrationCapWad: BigInt(m.params.concentrationCapWad),
            oracleMaxAgeSec: BigInt(m.params.oracleMaxAgeSec),
          };
          const issue = validateMarketParams(params)[0];
          if (issue) throw new BackstopError(`${m.symbol}: ${issue.message}`);
          return { kind: "setMarketParams", marketId: m.id, params };
        });
        variants = [...variants, { label: "Proposed parameters", changes }];
      }
      const moves = scenario ? scenarioMoves(scenario, markets) : custom.map((c, i) => parseNumber(`${markets[i]!.symbol} move`, c, { min: -99 }) / 100);
      const stepCount = parseNumber("Steps", steps, { min: 1, integer: true });
      if (stepCount > 200) throw new BackstopError("Steps: at most 200");
      const impact = markets.map(() => ({ model, depthUsd: parseNumber("Depth", depth, { min: 1 }) }));
      const capacityPerStep = capacity.trim() === "" ? null : parseNumber("Capacity", capacity, { min: 1, integer: true });
      const keeper = { gasCostUsd: parseNumber("Gas cost", gas), latencySteps: parseNumber("Latency", latency, { integer: true }) };
      request = { variants, path: pathFromMoves(moves, stepCount), impact, keeper: { ...keeper, capacityPerStep: capacityPerStep ?? Infinity } };
      // The same run for the server, which makes the path from the moves itself (JSON has no Infinity: null is an unlimited keeper).
      serverRequest = { variants, moves, steps: stepCount, impact, keeper: { ...keeper, capacityPerStep } };
    } catch (e) {
      setError(messageOf(e));
      return;
    }
    const id = ++runId.current;
    setProgress({ done: 0, total: request.path.length * variants.length });
    setResults(null);
    worker.current?.terminate();
    serverRun.current?.abort();
    if (side.current === "server") return runOnServer(id, serverRequest);
    let snapshotJson: string;
    try {
      snapshotJson = await fetchApiText("/api/snapshot");
    } catch (e) {
      // Too big to send the browser: the server runs it, and every run after it.
      if (e instanceof ApiError && e.status === 413) {
        side.current = "server";
        return runOnServer(id, serverRequest);
      }
      setProgress(null);
      setError(snapshotFailure(e));
      return;
    }
    const w = new Worker(new URL("./cascade.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (message: MessageEvent<{ id: number; type: string; done?: number; total?: number; results?: VariantResult[]; message?: string }>) => {
      const data = message.data;
      if (data.id !== runId.current) return;
      // Each step is committed as it arrives: left to React's batching, a fast run's steps all
      // land before the first render and the bar would jump from 0 to the result.
      if (data.type === "progress") flushSync(() => setProgress({ done: data.done!, total: data.total! }));
      else if (data.type === "result") {
        setResults(data.results!);
        setProgress(null);
        w.terminate();
      } else {
        setError(`The simulation failed: ${data.message}`);
        setProgress(null);
      }
    };
    w.onerror = (e) => {
      setError(`The simulation failed: ${e.message}`);
      setProgress(null);
    };
    w.postMessage({ ...request, id, snapshotJson } satisfies CascadeRequest);
  }

  /** The run on the server's engine pool, its progress streamed into the same bar; a newer run or leaving the page stops it there too. */
  async function runOnServer(id: number, request: StressBody) {
    const controller = new AbortController();
    serverRun.current = controller;
    try {
      const results = await streamServerCascade(request, (done, total) => {
        if (id === runId.current) flushSync(() => setProgress({ done, total }));
      }, controller.signal);
      if (id !== runId.current) return;
      setResults(results);
      setProgress(null);
    } catch (e) {
      if (controller.signal.aborted || id !== runId.current) return;
      setError(`The simulation failed: ${messageOf(e)}`);
      setProgress(null);
    }
  }

  const field = "rounded border border-neutral-700 bg-neutral-900 px-2 py-1.5 text-sm text-neutral-100";
  return (
    <div className="space-y-6">
      {/* A group, not a form: the lab also sits inside the proposal builder's form. It takes input
          once hydrated: a value chosen before would be put back by the next render (its change event
          never reached the state). */}
      <fieldset disabled={!hydrated} className="grid min-w-0 grid-cols-1 gap-4 rounded-lg border border-neutral-800 p-4 md:grid-cols-3" aria-label="Stress scenario">
        <label className="flex flex-col gap-1 text-xs text-neutral-400 md:col-span-3">
          Scenario
          <select value={scenarioId} onChange={(e) => setScenarioId(e.target.value)} className={field}>
            {historicalScenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id} — {Object.entries(s.moves).map(([a, m]) => `${a} ${m}%`).join(", ")} over {s.durationHours} h
              </option>
            ))}
            <option value="custom">Build my own</option>
          </select>
        </label>
        {scenario ? (
          <p className="text-xs text-neutral-400 md:col-span-3">
            {scenario.notes} Sources: {scenario.sources.join("; ")}.
          </p>
        ) : (
          markets.map((m, i) => (
            <label key={m.id} className="flex flex-col gap-1 text-xs text-neutral-400">
              {m.symbol} move (%)
              <input inputMode="decimal" value={custom[i]} onChange={(e) => setCustom((c) => c.map((v, k) => (k === i ? e.target.value : v)))} className={field} />
            </label>
          ))
        )}
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Steps
          <input inputMode="numeric" value={steps} onChange={(e) => setSteps(e.target.value)} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Market impact
          <select value={model} onChange={(e) => setModel(e.target.value as "sqrt" | "linear")} className={field}>
            <option value="sqrt">Square root</option>
            <option value="linear">Linear</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Depth per market (USD)
          <input inputMode="numeric" value={depth} onChange={(e) => setDepth(e.target.value)} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Keeper gas cost (USD)
          <input inputMode="decimal" value={gas} onChange={(e) => setGas(e.target.value)} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Keeper capacity per step (blank: unlimited)
          <input inputMode="numeric" value={capacity} onChange={(e) => setCapacity(e.target.value)} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-400">
          Keeper latency (steps)
          <input inputMode="numeric" value={latency} onChange={(e) => setLatency(e.target.value)} className={field} />
        </label>
        {given ? null : (
        <fieldset className="space-y-2 md:col-span-3">
          <label className="flex items-center gap-2 text-sm text-neutral-300">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
            Compare with proposed parameters
          </label>
          {compare ? (
            <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
              {markets.map((m, i) => (
                <div key={m.id} className="space-y-1 rounded border border-neutral-800 p-2">
                  <p className="text-xs font-medium text-neutral-300">{m.symbol} proposed</p>
                  {(["imr", "mmr", "penalty"] as const).map((k) => (
                    <label key={k} className="flex items-center justify-between gap-2 text-xs text-neutral-400">
                      {`${m.symbol} proposed ${k === "penalty" ? "penalty" : k.toUpperCase()} (%)`}
                      <input inputMode="decimal" value={proposed[i]![k]} onChange={(e) => setProposed((all) => all.map((v, j) => (j === i ? { ...v, [k]: e.target.value } : v)))} className={`${field} w-20`} />
                    </label>
                  ))}
                </div>
              ))}
            </div>
          ) : null}
        </fieldset>
        )}
        <div className="flex items-center gap-3 md:col-span-3">
          <button type="button" onClick={run} disabled={progress !== null} className="rounded bg-emerald-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50">
            Run the cascade
          </button>
          {progress ? (
            <div className="flex flex-1 items-center gap-2">
              <progress aria-label="Simulation progress" max={progress.total} value={progress.done} className="h-2 flex-1 accent-emerald-500" />
              <span className="text-xs text-neutral-400">{progress.done}/{progress.total} steps</span>
            </div>
          ) : null}
        </div>
        {error ? <p role="alert" className="text-sm text-red-300 md:col-span-3">{error}</p> : null}
      </fieldset>

      {results ? (
        <section aria-label="Results" className="space-y-6">
          <ScrollRegion label="Cascade outcome (scrolls sideways)">
            <table className="w-full min-w-[44rem] text-sm">
              <caption className="sr-only">Cascade outcome per parameter set</caption>
              <thead className="bg-neutral-900 text-left text-xs uppercase text-neutral-400">
                <tr>
                  {["Parameters", "Liquidations", "Notional", "Insurance drawn", "Default fund drawn", "ADL absorbed", "Bad debt", ...markets.map((m) => `${m.symbol} amplification`)].map((h) => (
                    <th key={h} scope="col" className="px-3 py-2">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <tr key={r.label} className="border-t border-neutral-800">
                    <th scope="row" className="px-3 py-2 text-left">{r.label}</th>
                    <td className="px-3 py-2 font-mono">{r.totals.liquidations.toLocaleString("en-US")}</td>
                    <td className="px-3 py-2 font-mono">{formatUsdFloat(r.totals.liquidatedNotionalUsd)}</td>
                    <td className="px-3 py-2 font-mono">{formatUsdFloat(r.totals.insuranceDrawUsd)}</td>
                    <td className="px-3 py-2 font-mono">{formatUsdFloat(r.totals.defaultFundDrawUsd)}</td>
                    <td className="px-3 py-2 font-mono">{formatUsdFloat(r.totals.adlAbsorbedUsd)}</td>
                    <td className={`px-3 py-2 font-mono ${r.totals.badDebtUsd > 0 ? "text-red-300" : ""}`}>{formatUsdFloat(r.totals.badDebtUsd)}</td>
                    {r.amplification.map((a, i) => (
                      <td key={i} className="px-3 py-2 font-mono">{a === null ? "—" : `${a.toFixed(2)}×`}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            {markets.map((m) => (
              <LineChart
                key={m.id}
                title={`${m.symbol}: exogenous path against the path with forced selling`}
                format={(v) => `$${v.toLocaleString("en-US", { maximumFractionDigits: v > 100 ? 0 : 2 })}`}
                series={[
                  { label: "exogenous", values: results[0]!.steps.map((s) => s.exogenousPrice[m.id]!), color: "#a3a3a3", dashed: true },
                  ...results.map((r, k) => ({ label: `with the cascade (${r.label})`, values: r.steps.map((s) => s.markPrice[m.id]!), color: colors[k % colors.length]! })),
                ]}
              />
            ))}
            <LineChart title="Notional liquidated per step" format={(x) => formatUsdFloat(x)} series={results.map((r, k) => ({ label: r.label, values: r.steps.map((s) => s.liquidatedNotionalUsd), color: colors[k % colors.length]! }))} />
            <LineChart
              title="Reserves along the path"
              format={(x) => formatUsdFloat(x)}
              series={results.flatMap((r, k) => [
                { label: `insurance fund (${r.label})`, values: r.steps.map((s) => s.insuranceFundUsd), color: colors[k % colors.length]! },
                { label: `default fund (${r.label})`, values: r.steps.map((s) => s.defaultFundUsd), color: colors[k % colors.length]!, dashed: true },
              ])}
            />
            <LineChart
              title="ADL absorbed and bad debt"
              format={(x) => formatUsdFloat(x)}
              series={results.flatMap((r, k) => [
                { label: `ADL absorbed per step (${r.label})`, values: r.steps.map((s) => s.adlAbsorbedUsd), color: colors[k % colors.length]! },
                { label: `bad debt (${r.label})`, values: r.steps.map((s) => s.badDebtUsd), color: "#ef4444", dashed: true },
              ])}
            />
            <LineChart title="Dust: liquidatable accounts not worth the keeper's gas" series={results.map((r, k) => ({ label: r.label, values: r.steps.map((s) => s.dustAccounts), color: colors[k % colors.length]! }))} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
