import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseQuery } from "./parseQuery.ts";
import { emptyQuery, impactQuery, impactQueryKeys } from "./schemas.ts";

const hex40 = fc.stringMatching(/^[0-9a-fA-F]{40}$/);
const goodAccount = hex40.map((h) => `0x${h}`);
const goodProposal = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String);
const query = (entries: [string, string][]) => new URLSearchParams(entries);
/** Any text at all, unicode and huge included. */
const anyText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 50 }), fc.string({ unit: "binary", maxLength: 50 }), fc.string({ minLength: 5_000, maxLength: 20_000 }));

describe("parseQuery", () => {
  it("test_fuzz_arbitrary_query_strings_never_throw_and_bad_ones_get_a_sentence", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.array(fc.tuple(anyText, anyText), { maxLength: 6 }).map((e) => query(e).toString())), (raw) => {
        for (const [schema, keys] of [[impactQuery, impactQueryKeys], [emptyQuery, []]] as const) {
          const result = parseQuery(new URLSearchParams(raw), schema as never, keys);
          if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("test_fuzz_every_valid_impact_query_is_accepted_with_the_address_lowercased", () => {
    fc.assert(
      fc.property(goodProposal, goodAccount, fc.boolean(), (proposal, account, reversed) => {
        const entries: [string, string][] = [["proposal", proposal], ["account", account]];
        const result = parseQuery(query(reversed ? entries.reverse() : entries), impactQuery, impactQueryKeys);
        expect(result).toEqual({ ok: true, value: { proposal, account: account.toLowerCase() } });
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  const badProposal = fc.oneof(
    fc.constant(""),
    fc.bigInt({ min: 1n, max: 2n ** 300n }).map((n) => `-${n}`),
    fc.bigInt({ min: 2n ** 256n, max: 2n ** 400n }).map(String),
    fc.tuple(fc.stringMatching(/^\d{0,5}$/), fc.string({ minLength: 1, maxLength: 5 }).filter((s) => /\D/.test(s))).map(([d, junk]) => `${d}${junk}`),
    fc.constantFrom("1e3", "0x10", " 1", "1.0", "٣", "１"),
  );
  const badAccount = fc.oneof(
    fc.constant(""),
    hex40.map((h) => h), // no 0x
    fc.stringMatching(/^0x[0-9a-fA-F]{0,39}$/),
    fc.stringMatching(/^0x[0-9a-fA-F]{41,80}$/),
    fc.tuple(fc.stringMatching(/^[0-9a-f]{39}$/), fc.constantFrom("g", "z", " ", "é", "-")).map(([h, c]) => `0x${h}${c}`),
    anyText.filter((s) => !/^0x[0-9a-fA-F]{40}$/.test(s)),
  );
  it.each([
    ["proposal id", "proposal", badProposal, goodAccount, 9],
    ["account", "account", goodProposal, badAccount, 10],
  ] as const)("test_fuzz_a_bad_%s_is_refused_naming_%s", (_what, field, proposals, accounts, seed) => {
    fc.assert(
      fc.property(proposals, accounts, (proposal, account) => {
        const result = parseQuery(query([["proposal", proposal], ["account", account]]), impactQuery, impactQueryKeys);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error.startsWith(`${field}: `)).toBe(true);
      }),
      { numRuns: 300, seed },
    );
  });

  it("test_fuzz_an_unknown_or_repeated_parameter_is_refused_by_name", () => {
    fc.assert(
      fc.property(goodProposal, goodAccount, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !["proposal", "account"].includes(k)), anyText, (proposal, account, key, value) => {
        const unknown = parseQuery(query([["proposal", proposal], ["account", account], [key, value]]), impactQuery, impactQueryKeys);
        expect(!unknown.ok && unknown.error).toContain(`unknown query parameter ${JSON.stringify(key.slice(0, 80))}`);
        const repeated = parseQuery(query([["proposal", proposal], ["account", account], ["proposal", proposal]]), impactQuery, impactQueryKeys);
        expect(!repeated.ok && repeated.error).toBe("query parameter proposal is given 2 times; give it once");
        const none = parseQuery(query([[key, value]]), emptyQuery, []);
        expect(!none.ok && none.error).toMatch(/takes no query parameters$/);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it.each([
    ["a missing proposal", [["account", `0x${"a".repeat(40)}`]], "proposal: is required: a proposal id in decimal digits"],
    ["a missing account", [["proposal", "1"]], "account: is required: an address, 0x followed by 40 hexadecimal characters"],
    ["a negative proposal id", [["proposal", "-1"], ["account", `0x${"a".repeat(40)}`]], "proposal: must be a proposal id: decimal digits only (no sign, no spaces, at most 78)"],
    ["a proposal id past uint256", [["proposal", (2n ** 256n).toString()], ["account", `0x${"a".repeat(40)}`]], "proposal: is larger than any uint256 proposal id"],
  ] as const)("refuses %s in words", (_, entries, message) => {
    expect(parseQuery(query(entries as unknown as [string, string][]), impactQuery, impactQueryKeys)).toEqual({ ok: false, error: message });
  });
});
