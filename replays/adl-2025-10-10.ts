/**
 * adl-2025-10-10: $19B liquidated in a day; on one venue the deficits went past the insurance
 * fund and queue-style auto-deleveraging closed about $2.1B of winners' positions in minutes,
 * taking ~$45–52M more than the deficit needed; a pro-rata haircut was estimated at ~$3M.
 *
 * Staged: an ALT-PERP market listed earlier ($150, 20 % IMR), a $15M long on $3.2M and five
 * profitable-to-be shorts of different sizes and leverage against it; reserves of $2M. ALT
 * falls 40 % at once: the long is $2.8M under water,
 * $0.8M beyond both funds. The liquidation runs twice from the same state on chain — queue mode,
 * then (state reverted) pro-rata — and Backstop's outcome under both modes (summariseLiquidations,
 * which the proposal preview shows side by side) is compared with what each did.
 *
 * Overshoot here, in this protocol's terms: queue ADL charges the residual to the top-ranked
 * counterparties *and* closes their positions — notional they did not choose to give up —
 * while pro-rata haircuts every winner by its share of profit and closes nothing. Measured:
 * notional force-closed per dollar of residual, and the largest single haircut's share.
 */

import { AdlMode, summariseLiquidations, type LiquidationSummary } from "../engine/index.ts";
import { clearinghouseAbi } from "../lib/contracts/abis.ts";
import type { Replay } from "./replay.ts";

export interface AdlModeOutcome {
  shown: LiquidationSummary;
  onChain: { adlAbsorbedUsd: bigint; closedNotionalUsd: bigint; counterparties: number; largestHaircutUsd: bigint; fills: { counterparty: `0x${string}`; quantityBase: bigint; haircutUsd: bigint }[] };
}

export interface AdlResult {
  residualUsd: bigint;
  /** Winners' notional force-closed per dollar of residual, and the largest haircut's share of it. */
  overshoot: { queue: { closedPerResidual: number; largestShare: number }; proRata: { closedPerResidual: number; largestShare: number } };
  queue: AdlModeOutcome;
  proRata: AdlModeOutcome;
}

export const adl20251010: Replay<AdlResult> = {
  name: "adl-2025-10-10",
  date: "2025-10-10",
  summary: "A deficit beyond both funds: the same liquidation on chain in queue and in pro-rata ADL, the queue's overshoot measured against pro-rata, and both as Backstop shows them before it happens.",
  harness: { backstopKeeper: true },
  async run(h, log) {
    const ALT = await h.listMarket({ symbol: "ALT-PERP", feed: "ALT/USD", price: 150, imr: 20, mmr: 10, penalty: 2, keeperShare: 50, oiCapUsd: 100_000_000, concentrationCap: 100 });
    await h.fundReserves(1_000_000, 1_000_000);
    const whale = await h.actor("adl-whale");
    await h.deposit(whale, 3_200_000);
    await h.deposit(h.keeper.address, 5_000_000);
    const shorts = [
      { label: "short-1", deposit: 350_000, size: 10_000 },
      { label: "short-2", deposit: 1_500_000, size: 40_000 },
      { label: "short-3", deposit: 2_000_000, size: 25_000 },
      { label: "short-4", deposit: 700_000, size: 20_000 },
      { label: "short-5", deposit: 5_000_000, size: 5_000 },
    ];
    for (const s of shorts) {
      const a = await h.actor(s.label);
      await h.deposit(a, s.deposit);
      await h.trade(whale, a, ALT, s.size);
    }
    await h.setPrices({ "ALT/USD": 90, "SOL/USD": 150, "ETH/USD": 3000, "BTC/USD": 65_000, "USDC/USD": 1 });
    const snapshot = await h.snapshot();
    const shown = { queue: summariseLiquidations(snapshot, AdlMode.Queue), proRata: summariseLiquidations(snapshot, AdlMode.ProRata) };

    const { publicClient, testClient, deployment } = h.fixture;
    async function liquidateAndRead(): Promise<AdlModeOutcome["onChain"]> {
      const from = await publicClient.getBlockNumber({ cacheTime: 0 });
      await h.keeper.tick();
      const fills = await publicClient.getContractEvents({ address: deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName: "AdlFill", fromBlock: from + 1n });
      const list = fills.map((f) => ({ counterparty: f.args.counterparty!.toLowerCase() as `0x${string}`, quantityBase: f.args.quantity!, haircutUsd: f.args.haircut! }));
      return {
        fills: list,
        adlAbsorbedUsd: list.reduce((s, f) => s + f.haircutUsd, 0n),
        closedNotionalUsd: list.reduce((s, f) => s + (f.quantityBase * snapshot.markets[ALT]!.markPriceWad) / 10n ** 18n, 0n),
        counterparties: new Set(list.map((f) => f.counterparty)).size,
        largestHaircutUsd: list.reduce((m, f) => (f.haircutUsd > m ? f.haircutUsd : m), 0n),
      };
    }
    const start = await testClient.snapshot();
    const queue = await liquidateAndRead();
    await testClient.revert({ id: start });
    await h.fixture.govern("setAdlMode", [1]);
    await h.mine(1);
    const proRata = await liquidateAndRead();
    const residualUsd = shown.queue.adlAbsorbedUsd + shown.queue.badDebtUsd;
    const ratio = (a: bigint, b: bigint) => Number((a * 1_000_000n) / b) / 1e6;
    const overshoot = {
      queue: { closedPerResidual: ratio(queue.closedNotionalUsd, residualUsd), largestShare: ratio(queue.largestHaircutUsd, residualUsd) },
      proRata: { closedPerResidual: ratio(proRata.closedNotionalUsd, residualUsd), largestShare: ratio(proRata.largestHaircutUsd, residualUsd) },
    };
    log(`residual beyond both funds $${Number(residualUsd) / 1e18}: queue closed $${Number(queue.closedNotionalUsd) / 1e18} of winners' positions (${overshoot.queue.closedPerResidual.toFixed(2)} per $ of residual) over ${queue.counterparties} accounts, the largest paying ${(overshoot.queue.largestShare * 100).toFixed(0)} %; pro-rata closed nothing over ${proRata.counterparties}, the largest paying ${(overshoot.proRata.largestShare * 100).toFixed(0)} %`);
    return { residualUsd, overshoot, queue: { shown: shown.queue, onChain: queue }, proRata: { shown: shown.proRata, onChain: proRata } };
  },
};
