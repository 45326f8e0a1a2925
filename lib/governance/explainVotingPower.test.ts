import { zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { explainVotingPower, type VotingPowerFacts } from "./explainVotingPower.ts";

/** Fake facts (a unit test of a pure function): a holder, another delegate, one open proposal. */
const me = "0x00000000000000000000000000000000000000a1" as const;
const other = "0x00000000000000000000000000000000000000b2" as const;
const tokens = (n: number) => BigInt(n) * 10n ** 18n;
const facts = (f: Partial<VotingPowerFacts>): VotingPowerFacts => ({ self: me, balance: 0n, delegate: zeroAddress, votes: 0n, proposals: [], ...f });
const active = (votesAtSnapshot: bigint | null, hasVoted = false) => ({ id: "1", title: "Raise margins", state: "Active" as const, snapshotBlock: 100n, votesAtSnapshot, hasVoted });

describe("explainVotingPower", () => {
  it("tokens never delegated do not vote, and the fix is to delegate them to yourself", () => {
    const e = explainVotingPower(facts({ balance: tokens(500) }));
    expect(e.headline).toBe("You hold 500 tokens, but they do not vote: tokens vote only once delegated, to yourself or to someone you trust.");
    expect(e.fix).toBe("delegate-to-self");
  });

  it("tokens delegated to someone else vote through them; what others delegate to you is yours", () => {
    expect(explainVotingPower(facts({ balance: tokens(500), delegate: other })).headline).toBe("Your 500 tokens vote through 0x0000…00b2, not through you. Your own voting power is 0.");
    expect(explainVotingPower(facts({ balance: tokens(500), delegate: other, votes: tokens(20) })).headline).toBe("Your 500 tokens vote through 0x0000…00b2, not through you. You vote with 20 that others delegated to you.");
    expect(explainVotingPower(facts({ balance: tokens(500), delegate: me, votes: tokens(520) })).headline).toBe("You vote with 520: your 500 tokens and 20 delegated to you.");
    expect(explainVotingPower(facts({})).fix).toBeNull();
  });

  it("power that arrived after a proposal's snapshot does not count for it, and says so", () => {
    const late = explainVotingPower(facts({ balance: tokens(500), delegate: me, votes: tokens(500), proposals: [active(0n)] }));
    expect(late.proposals[0]!.line).toMatch(/^You had no voting power at its snapshot, block #100: the 500 you have now came later and count from the next proposal on\./);
    const part = explainVotingPower(facts({ balance: tokens(500), delegate: me, votes: tokens(500), proposals: [active(tokens(200))] }));
    expect(part.proposals[0]!.line).toBe("You can vote with 200 (your power at its snapshot, block #100); the 300 that came later count from the next proposal on.");
    expect(explainVotingPower(facts({ votes: tokens(5), delegate: me, balance: tokens(5), proposals: [active(tokens(5), true)] })).proposals[0]!.line).toBe("You voted, with the 5 you held at its snapshot, block #100.");
    expect(explainVotingPower(facts({ votes: tokens(5), delegate: me, balance: tokens(5), proposals: [{ ...active(null), state: "Pending" }] })).proposals[0]!.line).toMatch(/still ahead: delegate before then and it counts/);
  });
});
