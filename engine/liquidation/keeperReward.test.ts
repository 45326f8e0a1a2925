import { describe, expect, it } from "vitest";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { fakeLong, fakeSnapshot, usd, WAD } from "../testing/fakes.ts";
import { keeperReward } from "./keeperReward.ts";

// The fake market: penalty 2 %, keeper share 50 %, MMR 5 %. Long 10 ETH at a $1,000 mark = $10k notional.
const at = (cash: number, eth = 10, mark = 1000) => {
  const account = fakeLong(1, cash, eth);
  const snapshot = fakeSnapshot([account], { mark });
  return { snapshot, risk: computeAccountRisk(snapshot, account) };
};

describe("keeperReward", () => {
  it("the header's example: $10k of ETH at a 2 % penalty and 50 % keeper share pays a $200 penalty and a $100 reward", () => {
    const { snapshot, risk } = at(1_000);
    expect(keeperReward(snapshot, risk)).toEqual({ rawPenaltyUsd: usd(200), penaltyUsd: usd(200), rewardUsd: usd(100) });
  });

  it("the penalty is capped at the equity left, and the reward shrinks in the same proportion", () => {
    const { snapshot, risk } = at(50);
    expect(risk.equityUsd).toBe(usd(50));
    expect(keeperReward(snapshot, risk)).toEqual({ rawPenaltyUsd: usd(200), penaltyUsd: usd(50), rewardUsd: usd(25) });
  });

  it("an account in negative equity pays no penalty and no reward", () => {
    const { snapshot, risk } = at(-10);
    expect(keeperReward(snapshot, risk)).toMatchObject({ penaltyUsd: 0n, rewardUsd: 0n });
  });

  it("atMaintenance prices it where it first becomes liquidatable: equity = maintenance margin ($500 here)", () => {
    const { snapshot, risk } = at(-10);
    expect(risk.maintenanceMarginUsd).toBe(usd(500));
    expect(keeperReward(snapshot, risk, { atMaintenance: true })).toEqual({ rawPenaltyUsd: usd(200), penaltyUsd: usd(200), rewardUsd: usd(100) });
  });

  it("no position: nothing to pay, and no division by a zero penalty", () => {
    const { snapshot, risk } = at(1_000, 0);
    expect(keeperReward(snapshot, risk)).toEqual({ rawPenaltyUsd: 0n, penaltyUsd: 0n, rewardUsd: 0n });
  });

  it("rounds down, as the contract does: a third of a $200 penalty is cut at the wei, never rounded up", () => {
    const { snapshot, risk } = at(1_000);
    snapshot.markets[0] = { ...snapshot.markets[0]!, params: { ...snapshot.markets[0]!.params, keeperShareWad: WAD / 3n } };
    // WAD / 3 is itself cut to 0.333…333 (18 threes): $200 × that is $66.6666666666666666 (16 sixes, then 00).
    expect(keeperReward(snapshot, risk).rewardUsd).toBe(66_666_666_666_666_666_600n);
  });
});
