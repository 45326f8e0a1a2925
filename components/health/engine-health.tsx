import { formatDuration, formatUsd, type EngineHealth, type HealthStatus } from "@/engine/index";
import { Badge } from "@/components/ui/badge";
import { Meter } from "@/components/ui/meter";

const tone = { ok: "ok", warning: "warn", critical: "danger" } as const satisfies Record<HealthStatus, string>;
const word = { ok: "OK", warning: "Watch", critical: "Failing" } as const;
const blocks = (b: bigint | null) => (b === null ? "—" : `${b} block${b === 1n ? "" : "s"}`);
const times = (x: number) => (x === Infinity ? "no loss" : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);

function Card({ title, status, definition, children }: { title: string; status: HealthStatus; definition: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={title} className="space-y-2 rounded-lg border border-neutral-800 bg-neutral-900/60 p-4">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs uppercase tracking-wide text-neutral-400" title={definition}>{title}</h3>
        <Badge tone={tone[status]}>{word[status]}</Badge>
      </div>
      {children}
    </div>
  );
}

/** The liquidation engine's health: is the machinery that keeps losses small working? */
export function EngineHealthPanel({ health }: { health: EngineHealth }) {
  const { keeperLag, dust, negativeEquity, oracles, runway, exposure } = health;
  const oracleStatus = oracles.some((o) => o.status === "critical") ? "critical" : oracles.some((o) => o.status === "warning") ? "warning" : "ok";
  const runwayStatus = runway.some((r) => r.shortfallUsd > 0n || r.eventsAbsorbed < 2) ? "warning" : "ok";
  const exposureStatus = exposure.some((e) => e.status === "critical") ? "critical" : exposure.some((e) => e.status === "warning") ? "warning" : "ok";
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
      <Card title="Keeper lag" status={keeperLag.status} definition="Blocks from an account turning liquidatable to its liquidation, measured on the chain by walking back block by block">
        <p className="font-mono text-xl text-neutral-50" data-testid="keeper-lag-waiting">{keeperLag.waiting ? blocks(keeperLag.maxWaitingBlocks) : "none waiting"}</p>
        <p className="text-xs text-neutral-400">
          {keeperLag.waiting} liquidatable now{keeperLag.laggingAccounts.length ? `, ${keeperLag.laggingAccounts.length} past the limit` : ""} · last {keeperLag.recent} liquidation(s): median {blocks(keeperLag.medianRecentBlocks)}, worst {blocks(keeperLag.maxRecentBlocks)}
        </p>
      </Card>
      <Card title="Dust at current gas" status={dust.status} definition="Accounts whose keeper reward at maintenance is below the gas of one liquidation: no rational keeper liquidates them">
        <p className="font-mono text-xl text-neutral-50" data-testid="dust-accounts">{dust.accounts.toLocaleString("en-US")} accounts</p>
        <p className="text-xs text-neutral-400">
          {formatUsd(dust.notionalUsd)} of notional below {formatUsd(health.gasCostUsd, { compact: false })} a liquidation · {dust.liquidatableNow.length} liquidatable and unpaid now ({formatUsd(dust.liquidatableNotionalUsd)}, {formatUsd(dust.liquidatableDeficitUsd)} bankrupt)
        </p>
      </Card>
      <Card title="Unrecognised negative equity" status={negativeEquity.status} definition="Σ −equity of accounts below zero: a loss the reserves have not absorbed yet">
        <p className="font-mono text-xl text-neutral-50" data-testid="negative-equity">{formatUsd(negativeEquity.usd)}</p>
        <p className="text-xs text-neutral-400">{negativeEquity.accounts.length} account(s) owe more than they hold</p>
      </Card>
      <Card title="Oracle age" status={oracleStatus} definition="Seconds since each feed's last price, against the maximum after which trades and liquidations are refused">
        <ul className="space-y-1.5">
          {oracles.map((o) => (
            <li key={`${o.kind}-${o.id}`} className="text-xs">
              <div className="flex justify-between font-mono">
                <span className="text-neutral-300">{o.symbol}</span>
                <span className={o.status === "ok" ? "text-neutral-400" : o.status === "warning" ? "text-amber-300" : "text-red-300"}>{formatDuration(o.ageSec)} / {formatDuration(o.maxAgeSec)}</span>
              </div>
              <Meter label={`${o.symbol} price age against its maximum`} ratio={o.maxAgeSec === 0n ? 1 : Number(o.ageSec) / Number(o.maxAgeSec)} />
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Reserves' runway" status={runwayStatus} definition="For each historical crash of the stress library, the loss beyond collateral if marks jumped by its move, and how many such events the insurance + default fund absorb">
        <table className="w-full text-xs">
          <thead className="text-left text-neutral-400">
            <tr><th scope="col" className="font-normal">Scenario</th><th scope="col" className="text-right font-normal">Loss</th><th scope="col" className="text-right font-normal">Absorbed</th></tr>
          </thead>
          <tbody className="font-mono">
            {runway.map((r) => (
              <tr key={r.id}>
                <td className="max-w-0 truncate pr-2 text-neutral-300" title={r.id}>{r.id}</td>
                <td className="text-right">{formatUsd(r.lossUsd)}</td>
                <td className={`text-right ${r.shortfallUsd > 0n ? "text-red-300" : r.eventsAbsorbed < 2 ? "text-amber-300" : "text-neutral-300"}`}>{times(r.eventsAbsorbed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Exposure by market" status={exposureStatus} definition="The loss if one market alone made its worst recorded move (up or down), as a share of the reserves">
        <ul className="space-y-1.5">
          {exposure.map((e) => (
            <li key={e.marketId} className="text-xs">
              <div className="flex justify-between font-mono">
                <span className="text-neutral-300">{e.symbol} ±{(e.move * 100).toFixed(0)} %</span>
                <span className={e.status === "ok" ? "text-neutral-400" : e.status === "warning" ? "text-amber-300" : "text-red-300"}>{formatUsd(e.lossUsd)} · {e.shareOfReserves === Infinity ? "∞" : `${(e.shareOfReserves * 100).toFixed(1)} %`}</span>
              </div>
              <Meter label={`${e.symbol} exposure as a share of the reserves`} ratio={Math.min(1, e.shareOfReserves)} />
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
