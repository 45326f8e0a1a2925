/**
 * mango-2022 (2022-10-11): a trader pushed MNGO's price ~10× in minutes on thin spot markets;
 * the oracle followed, the trader's MNGO position became "collateral" worth hundreds of millions
 * and was borrowed against until the treasury was empty.
 *
 * Staged: MNGO listed earlier as collateral (60 % weight) at $0.03, its oracle posting a quiet
 * range; one account deposits most of the MNGO there is. Then the price is pushed to $0.09 and
 * $0.12 and the account borrows against it: a $1.2M ETH long a maker takes the other side of.
 * Backstop must show the collateral concentration before the push, the price deviation after it
 * (and not before), and value the pumped collateral exactly as the contract does.
 */

import { computeAccountRisk, type Alert } from "../engine/index.ts";
import type { Replay } from "./replay.ts";

export interface MangoResult {
  assetId: number;
  feedId: `0x${string}`;
  attacker: `0x${string}`;
  alertsBeforePush: Alert[];
  alertsAfterPush: Alert[];
  equityShown: bigint;
  equityOnChain: bigint;
}

export const mango2022: Replay<MangoResult> = {
  name: "mango-2022",
  date: "2022-10-11",
  summary: "A collateral price pumped far from its recent range: the price-deviation and collateral-concentration alerts fire.",
  async run(h, log) {
    const { assetId, token } = await h.listCollateral({ symbol: "MNGO", feed: "MNGO/USD", price: 0.03, weight: 60, depositCap: 1_000_000_000 });
    const others = { "ETH/USD": 3000, "BTC/USD": 65_000, "SOL/USD": 150, "USDC/USD": 1 };
    for (const price of [0.031, 0.029, 0.03, 0.0305]) {
      await h.setPrices({ "MNGO/USD": price, ...others });
      await h.mine(5);
    }
    const [attacker, holder, maker] = await Promise.all([h.actor("mango-attacker"), h.actor("mngo-holder"), h.actor("mango-maker")]);
    await h.depositToken(attacker, token, assetId, 200_000_000);
    await h.depositToken(holder, token, assetId, 5_000_000);
    await h.deposit(maker, 5_000_000);
    const before = await h.monitor();
    log(`MNGO at $0.0305, the attacker holds 200M of 205M deposited; alerts: ${before.alerts.map((a) => a.id).join(", ")}`);

    for (const price of [0.09, 0.12]) await h.setPrices({ "MNGO/USD": price, ...others });
    // Borrowing power from the pumped collateral: $14.4M of MNGO at 60 % → a $1.2M ETH long is well within it.
    await h.trade(attacker, maker, 0, 400);
    const after = await h.monitor();
    log(`MNGO pushed to $0.12 and borrowed against; alerts: ${after.alerts.map((a) => a.id).join(", ")}`);
    const account = after.snapshot.accounts.find((a) => a.address === attacker.toLowerCase())!;
    return {
      assetId,
      feedId: after.snapshot.collaterals[assetId]!.feedId,
      attacker: attacker.toLowerCase() as `0x${string}`,
      alertsBeforePush: before.alerts,
      alertsAfterPush: after.alerts,
      equityShown: computeAccountRisk(after.snapshot, account).equityUsd,
      equityOnChain: await h.equityOnChain(attacker),
    };
  },
};
