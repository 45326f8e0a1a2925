import { describe, expect, it } from "vitest";
import { parseJsonText } from "./parseJsonBody.ts";
import { relayDelegationBody, relayVoteBody } from "./schemas.ts";

// Fake bodies: parseJsonText and the relay's schemas are pure; nothing here reaches a chain.
const fakeSignature = `0x${"11".repeat(65)}`;
const fakeVoter = `0x${"Ab".repeat(20)}`;
const vote = { proposalId: "42", support: 1, voter: fakeVoter, nonce: "0", signature: fakeSignature };
const delegation = { delegator: fakeVoter, delegatee: fakeVoter, nonce: "3", expiry: "1800000000", signature: fakeSignature };

describe("parseJsonText with the relay's bodies", () => {
  it("accepts a signed vote, the voter lowercased, and keeps a reason that is present", () => {
    expect(parseJsonText(JSON.stringify({ ...vote, reason: "" }), relayVoteBody)).toEqual({ ok: true, value: { ...vote, voter: fakeVoter.toLowerCase(), reason: "" } });
    expect(parseJsonText(JSON.stringify(delegation), relayDelegationBody)).toEqual({ ok: true, value: { ...delegation, delegator: fakeVoter.toLowerCase(), delegatee: fakeVoter.toLowerCase() } });
  });

  it.each([
    ["an empty body", "", "the body is empty: send a JSON object"],
    ["text that is not JSON", "vote for", 'the body is not JSON (it starts "vote for")'],
    ["an array", "[]", "must be a JSON object"],
    ["a support of 3", JSON.stringify({ ...vote, support: 3 }), "support: must be 0 (Against), 1 (For) or 2 (Abstain)"],
    ["a voter that is not an address", JSON.stringify({ ...vote, voter: "me" }), "voter: must be an address: 0x followed by 40 hexadecimal characters"],
    ["a nonce with a sign", JSON.stringify({ ...vote, nonce: "-1" }), "nonce: must be the governor's nonce for the voter: decimal digits only"],
    ["a nonce past uint256", JSON.stringify({ ...vote, nonce: (2n ** 256n).toString() }), "nonce: is larger than a uint256"],
    ["a signature of an odd number of digits", JSON.stringify({ ...vote, signature: "0x123" }), "signature: must be the signature: 0x followed by an even number of hexadecimal digits"],
    ["a field a signed vote does not have", JSON.stringify({ ...vote, gas: "1" }), "has fields a signed vote does not: gas"],
  ])("refuses %s in words naming the field", (_, text, error) => {
    expect(parseJsonText(text, relayVoteBody)).toEqual({ ok: false, error });
  });

  it("refuses a delegation's signature longer than 65 bytes (the token takes v, r, s)", () => {
    expect(parseJsonText(JSON.stringify({ ...delegation, signature: `0x${"11".repeat(66)}` }), relayDelegationBody)).toEqual({ ok: false, error: "signature: is longer than 65 bytes" });
  });
});
