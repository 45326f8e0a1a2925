import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { StressLab } from "@/components/stress/stress-lab";
import { tryLatestSnapshot } from "@/lib/server/snapshot";
import { engineSideOf, marketsForClient } from "@/lib/server/views";
import { monitorWithin } from "@/lib/server/monitor";
import { CrashTwoWays } from "./_components/crash-two-ways";

export const metadata: Metadata = { title: "Stress" };
export const dynamic = "force-dynamic";

export default async function StressPage() {
  const read = await tryLatestSnapshot();
  if ("error" in read) return <ChainUnavailable message={read.error} />;
  const markets = marketsForClient(read.snapshot);
  const engine = engineSideOf(read.views.accountCount);
  const monitor = await monitorWithin(read.monitor);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">Stress</h1>
        <p className="max-w-3xl text-sm text-neutral-400">
          Replays a crash against today&apos;s accounts: after each move the keeper liquidates, its forced selling moves the price through the market-impact model, and the loop runs to a fixed point. {engine === "server" ? "At this venue's size the engine runs on the server, its progress streamed here." : "The engine runs in your browser, off the main thread."}
        </p>
      </div>
      {"error" in monitor ? <p className="text-sm text-amber-300">The worst crash is not shown: {monitor.error}</p> : <CrashTwoWays snapshot={read.snapshot} runway={monitor.health.runway} />}
      <h2 className="text-base font-semibold text-neutral-50">Run a crash</h2>
      <StressLab markets={markets} engine={engine} />
    </div>
  );
}
