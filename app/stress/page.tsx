import type { Metadata } from "next";
import { ChainUnavailable } from "@/components/chain-unavailable";
import { StressLab } from "@/components/stress/stress-lab";
import { getLatestSnapshot } from "@/lib/server/snapshot";

export const metadata: Metadata = { title: "Stress" };
export const dynamic = "force-dynamic";

export default async function StressPage() {
  let read;
  try {
    read = await getLatestSnapshot();
  } catch (error) {
    return <ChainUnavailable message={error instanceof Error ? error.message : String(error)} />;
  }
  const markets = read.snapshot.markets.map((m) => ({
    id: m.id,
    symbol: m.symbol,
    params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])) as Record<keyof typeof m.params, string>,
  }));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold text-neutral-50">Stress</h1>
        <p className="max-w-3xl text-sm text-neutral-400">
          Replays a crash against today&apos;s accounts: after each move the keeper liquidates, its forced selling moves the price through the market-impact model, and the loop runs to a fixed point. The engine runs in your browser, off the main thread.
        </p>
      </div>
      <StressLab markets={markets} />
    </div>
  );
}
