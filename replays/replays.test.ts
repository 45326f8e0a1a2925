/**
 * Every incident replay on its own fresh chain, and what Backstop shows of it checked against
 * the chain's own account (contract views, events) — never against figures copied from the code.
 */

import { afterEach, describe, expect, it } from "vitest";
import { backstopGovernorAbi, backstopTokenAbi, clearinghouseAbi, maliciousPayloadAbi, priceOracleAbi } from "../lib/contracts/abis.ts";
import { parseEventLogs } from "viem";
import { feedId } from "../lib/contracts/deployProtocol.ts";
import type { ReplayHarness } from "./harness.ts";
import { runReplay } from "./replay.ts";
import { blackThursday } from "./black-thursday.ts";
import { yfi2023 } from "./yfi-2023.ts";
import { jelly2025 } from "./jelly-2025.ts";
import { adl20251010 } from "./adl-2025-10-10.ts";
import { beanstalk2022 } from "./beanstalk-2022.ts";
import { tornado2023 } from "./tornado-2023.ts";
import { mango2022 } from "./mango-2022.ts";

let h: ReplayHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ids = (alerts: { id: string }[]) => alerts.map((a) => a.id);

describe("incident replays", () => {
  it("black-thursday: the keeper leaves the small accounts; Backstop shows the dust, the lag and the negative equity", async () => {
    let r: Awaited<ReturnType<typeof blackThursday.run>>;
    ({ h, result: r } = await runReplay(blackThursday));
    // The chain: exactly the large accounts were liquidated.
    expect(new Set(r.liquidated)).toEqual(new Set(r.large));
    // Every small account is underwater on chain, and Backstop lists each as dust it shows as negative equity.
    const deficit = [...r.equityOnChain.values()].reduce((sum, e) => sum - e, 0n);
    expect([...r.equityOnChain.values()].every((e) => e < 0n)).toBe(true);
    expect(new Set(r.shows.health.dust.liquidatableNow)).toEqual(new Set(r.small));
    expect(r.shows.health.dust.liquidatableDeficitUsd).toBe(deficit);
    expect(r.shows.health.negativeEquity.usd).toBe(deficit);
    expect(new Set(r.shows.health.negativeEquity.accounts)).toEqual(new Set(r.small));
    // The keeper lag: the small accounts have waited since the step that made them liquidatable.
    expect(r.shows.health.keeperLag.maxWaitingBlocks).toBeGreaterThanOrEqual(5n);
    expect(new Set(r.shows.health.keeperLag.laggingAccounts)).toEqual(new Set(r.small));
    expect(ids(r.shows.alerts)).toEqual(expect.arrayContaining(["dust", "negative-equity", "keeper-lag"]));
    // The recent liquidations were measured from the block of the $2,700 price (when the large
    // accounts turned liquidatable) to each Liquidated event: one keeper, one transaction a block.
    const { oracle, clearinghouse } = h.fixture.deployment.contracts;
    const prices = await h.fixture.publicClient.getContractEvents({ address: oracle, abi: priceOracleAbi, eventName: "PriceUpdated", fromBlock: 0n });
    const onset = prices.find((l) => l.args.feedId === feedId("ETH/USD") && l.args.priceWad === 2700n * 10n ** 18n)!.blockNumber;
    const liquidations = await h.fixture.publicClient.getContractEvents({ address: clearinghouse, abi: clearinghouseAbi, eventName: "Liquidated", fromBlock: 0n });
    const recent = r.shows.health.keeperLag;
    expect(liquidations.map((l) => l.blockNumber - onset)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect([recent.recent, recent.medianRecentBlocks, recent.maxRecentBlocks]).toEqual([5, 3n, 5n]);
  });

  it("yfi-2023: OI growth and concentration alerts fire before the fall; the stress page's reserve loss is what the chain loses", async () => {
    let r: Awaited<ReturnType<typeof yfi2023.run>>;
    ({ h, result: r } = await runReplay(yfi2023));
    const before = ids(r.alertsBeforeFall);
    expect(before).toContain(`oi-growth-${r.marketId}`);
    expect(before).toContain(`concentration-${r.marketId}`);
    expect(r.alertsBeforeFall.find((a) => a.id === `oi-growth-${r.marketId}`)?.title).toBe("YFI-PERP open interest grew 82×");
    // The stress page shows a loss to the reserves, and the chain lost exactly that, to the wei.
    expect(r.stress.totals.insuranceDrawUsd).toBeGreaterThan(0);
    expect(r.reservesAfterUsd).toBeLessThan(r.reservesBeforeUsd);
    expect(r.reservesAfterUsd).toBe(r.stress.reservesAfterUsd);
    const liquidated = await h.fixture.publicClient.getContractEvents({ address: h.fixture.deployment.contracts.clearinghouse, abi: clearinghouseAbi, eventName: "Liquidated", fromBlock: 0n });
    expect(r.stress.totals.liquidations).toBe(liquidated.length);
  });

  it("jelly-2025: the short self-liquidates into the backstop keeper; the reserves' exposure to JELLY-PERP, and only to it, is flagged", async () => {
    let r: Awaited<ReturnType<typeof jelly2025.run>>;
    ({ h, result: r } = await runReplay(jelly2025));
    const { clearinghouse } = h.fixture.deployment.contracts;
    // The chain: the short was liquidated bankrupt, the insurance fund absorbed it, the keeper holds the short now.
    const [liquidation] = await h.fixture.publicClient.getContractEvents({ address: clearinghouse, abi: clearinghouseAbi, eventName: "Liquidated", fromBlock: 0n });
    expect(liquidation!.args.account!.toLowerCase()).toBe(r.shortAccount);
    expect(liquidation!.args.equity!).toBeLessThan(0n);
    const [absorbed] = await h.fixture.publicClient.getContractEvents({ address: clearinghouse, abi: clearinghouseAbi, eventName: "DeficitAbsorbed", fromBlock: 0n });
    expect(absorbed!.args.insuranceDraw!).toBeGreaterThan(0n);
    const [, , keeperPositions] = await h.fixture.publicClient.readContract({ address: clearinghouse, abi: clearinghouseAbi, functionName: "getAccount", args: [h.keeper.address] });
    expect(keeperPositions.map((p) => [Number(p.marketId), p.size])).toEqual([[r.marketId, -80_000_000n * 10n ** 18n]]);
    // Backstop: exposure to JELLY-PERP is flagged, the markets without positions are not.
    const exposure = r.after.alerts.find((a) => a.id === "exposure");
    expect(exposure?.title).toBe("Reserves exposed to JELLY-PERP");
    const jelly = r.after.health.exposure.find((e) => e.symbol === "JELLY-PERP")!;
    expect(jelly.shareOfReserves).toBeGreaterThanOrEqual(0.5);
    expect(r.after.health.exposure.filter((e) => e.status !== "ok").map((e) => e.symbol)).toEqual(["JELLY-PERP"]);
    expect(ids(r.after.alerts)).toContain(`concentration-${r.marketId}`);
    // The reserves it is measured against are the chain's, after the insurance draw.
    const reserves = await h.reserves();
    expect(r.after.health.reservesUsd).toBe(reserves.insuranceUsd + reserves.defaultFundUsd);
  });

  it("adl-2025-10-10: both ADL modes on chain from one state equal what Backstop shows for each; queue closes winners' positions, pro-rata closes none", async () => {
    let r: Awaited<ReturnType<typeof adl20251010.run>>;
    ({ h, result: r } = await runReplay(adl20251010));
    expect(r.residualUsd).toBeGreaterThan(0n);
    for (const mode of [r.queue, r.proRata]) {
      expect(mode.onChain.adlAbsorbedUsd).toBe(mode.shown.adlAbsorbedUsd);
      expect(mode.onChain.counterparties).toBe(mode.shown.adlCounterparties);
      expect(mode.onChain.closedNotionalUsd).toBe(mode.shown.adlClosedNotionalUsd);
    }
    // Queue: fewer winners pay, and lose positions; pro-rata: every winner pays, nobody is closed.
    expect(r.queue.onChain.closedNotionalUsd).toBeGreaterThan(0n);
    expect(r.proRata.onChain.closedNotionalUsd).toBe(0n);
    expect(r.queue.onChain.counterparties).toBeLessThan(r.proRata.onChain.counterparties);
    expect(r.queue.onChain.largestHaircutUsd).toBeGreaterThan(r.proRata.onChain.largestHaircutUsd);
    expect(r.overshoot.queue.closedPerResidual).toBeGreaterThan(1);
    expect(r.overshoot.proRata.closedPerResidual).toBe(0);
  });

  it("beanstalk-2022: the vote bought in the voting block counts zero on chain; the proposal is flagged while open, and fails", async () => {
    let r: Awaited<ReturnType<typeof beanstalk2022.run>>;
    ({ h, result: r } = await runReplay(beanstalk2022));
    const { governor, governanceToken } = h.fixture.deployment.contracts;
    const votes = await h.fixture.publicClient.getContractEvents({ address: governor, abi: backstopGovernorAbi, eventName: "VoteCast", fromBlock: 0n });
    const borrowed = votes.find((v) => v.args.voter!.toLowerCase() === r.flashBorrower)!;
    expect(borrowed.args.weight).toBe(0n);
    expect(await h.fixture.publicClient.readContract({ address: governanceToken, abi: backstopTokenAbi, functionName: "getVotes", args: [r.flashBorrower] })).toBe(40_000_000n * 10n ** 18n);
    const flags = new Map(r.flagsDuringVote.map((f) => [f.id, f.severity]));
    expect(flags.get(`gov-${r.proposalId}-bought-after-${r.flashBorrower}`)).toBe("warning");
    expect(flags.get(`gov-${r.proposalId}-power-jump-${r.proposer}`)).toBe("critical");
    expect(flags.get(`gov-${r.proposalId}-description`)).toBe("critical");
    expect(await h.proposalState(r.proposalId)).toBe("Defeated");
  });

  it("tornado-2023: the mutable target is flagged from the start, the swapped code before execution, and the swapped code is what runs", async () => {
    let r: Awaited<ReturnType<typeof tornado2023.run>>;
    ({ h, result: r } = await runReplay(tornado2023));
    const target = r.target.toLowerCase();
    const before = new Map(r.flagsBeforeSwap.map((f) => [f.id.replace(`gov-${r.proposalId}-`, ""), f.severity]));
    expect(before.get(`unknown-target-${target}`)).toBe("critical");
    expect(before.get(`mutable-target-${target}`)).toBe("critical");
    expect(before.has(`code-changed-${target}`)).toBe(false);
    const after = new Map(r.flagsAfterSwap.map((f) => [f.id.replace(`gov-${r.proposalId}-`, ""), f.severity]));
    expect(after.get(`code-changed-${target}`)).toBe("critical");
    expect(r.stateBeforeExecution).toBe("Queued");
    // Executed: the malicious implementation is what ran, from the proxy's address.
    const ran = parseEventLogs({ abi: maliciousPayloadAbi, logs: r.executionReceipt.logs, eventName: "PayloadRan" });
    expect(ran.map((e) => [e.address.toLowerCase(), e.args.what])).toEqual([[target, "malicious"]]);
  });

  it("mango-2022: collateral concentration before the push, price deviation after it (not before), the pumped collateral valued as the contract does", async () => {
    let r: Awaited<ReturnType<typeof mango2022.run>>;
    ({ h, result: r } = await runReplay(mango2022));
    const deviation = `price-deviation-${r.feedId}`;
    const concentration = `collateral-concentration-${r.assetId}`;
    expect(ids(r.alertsBeforePush)).toContain(concentration);
    expect(ids(r.alertsBeforePush)).not.toContain(deviation);
    expect(r.alertsAfterPush.find((a) => a.id === deviation)?.severity).toBe("critical");
    expect(r.alertsAfterPush.find((a) => a.id === concentration)?.accounts).toEqual([r.attacker]);
    expect(r.equityShown).toBe(r.equityOnChain);
  });
});
