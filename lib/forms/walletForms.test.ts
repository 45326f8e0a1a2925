import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDelegateTarget } from "./parseDelegateTarget.ts";
import { parseTradeForm } from "./parseTradeForm.ts";
import { parseVoteReason, VOTE_REASON_MAX_BYTES } from "./parseVoteReason.ts";

const self = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" as const;
const address = fc.stringMatching(/^[0-9a-fA-F]{40}$/).map((h) => `0x${h}`).filter((a) => a.toLowerCase() !== self);
const notAddress = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.stringMatching(/^0x[0-9a-fA-F]{0,39}$/),
  fc.stringMatching(/^0x[0-9a-fA-F]{41,60}$/),
  fc.stringMatching(/^[0-9a-fA-F]{40}$/),
  fc.stringMatching(/^0x[0-9a-f]{39}[g-zG-Z]$/),
).filter((s) => !/^\s*0x[0-9a-fA-F]{40}\s*$/.test(s));
/** Sizes in base units with at most 18 decimals, as text and as the WAD the chain gets. */
const size = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 18 }), fc.bigInt({ min: 0n, max: 10n ** 18n - 1n })).map(([whole, places, frac]) => {
  const fraction = (frac % 10n ** BigInt(places)).toString().padStart(places, "0");
  const text = places ? `${whole}.${fraction}` : `${whole}`;
  return { text, wad: whole * 10n ** 18n + (places ? BigInt(fraction) * 10n ** BigInt(18 - places) : 0n) };
}).filter((s) => s.wad > 0n);
const badSize = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\s*\d+(\.\d+)?\s*$/.test(s)),
  fc.integer({ min: 1, max: 10 ** 6 }).map((n) => `-${n}`),
  fc.constantFrom("", "0", "0.0", "000.000", "1e3", "0x10", "1.0000000000000000001", "Infinity", "١"),
  fc.bigInt({ min: 2n ** 255n, max: 2n ** 300n }).map((n) => (n / 10n ** 18n + 1n).toString()),
);

describe("trade form", () => {
  it("test_fuzz_valid_size_and_counterparty_give_the_signed_wad_and_no_message", () => {
    fc.assert(
      fc.property(size, address, fc.constantFrom("buy" as const, "sell" as const), (s, counterparty, side) => {
        expect(parseTradeForm({ side, size: ` ${s.text} `, counterparty }, { self })).toEqual({ ok: true, sizeDeltaWad: side === "buy" ? s.wad : -s.wad, counterparty });
      }),
      { numRuns: 500, seed: 31 },
    );
  });
  it("test_fuzz_an_invalid_size_is_refused_naming_size", () => {
    fc.assert(
      fc.property(badSize, address, (s, counterparty) => {
        const result = parseTradeForm({ side: "buy", size: s, counterparty }, { self });
        expect(result.ok).toBe(false);
        expect(!result.ok && [result.field, result.message.slice(0, 6)]).toEqual(["size", "Size: "]);
      }),
      { numRuns: 500, seed: 32 },
    );
  });
  it("test_fuzz_an_invalid_or_own_counterparty_is_refused_naming_counterparty", () => {
    fc.assert(
      fc.property(size, fc.oneof(notAddress, fc.constantFrom(self, self.toUpperCase().replace("0X", "0x"))), (s, counterparty) => {
        const result = parseTradeForm({ side: "sell", size: s.text, counterparty }, { self });
        expect(!result.ok && result.field).toBe("counterparty");
        expect(!result.ok && result.message).toMatch(/^Counterparty: /);
      }),
      { numRuns: 500, seed: 33 },
    );
  });
});

describe("delegate form", () => {
  it("test_fuzz_any_address_in_any_case_is_accepted_and_anything_else_refused_naming_the_field", () => {
    fc.assert(
      fc.property(address, (a) => {
        expect(parseDelegateTarget(`  ${a} `)).toEqual({ ok: true, delegatee: a });
      }),
      { numRuns: 300, seed: 34 },
    );
    fc.assert(
      fc.property(notAddress, (raw) => {
        const result = parseDelegateTarget(raw);
        expect(!result.ok && result.message).toMatch(/^Delegate address: /);
      }),
      { numRuns: 500, seed: 35 },
    );
  });
});

describe("vote reason", () => {
  it("test_fuzz_reasons_up_to_the_byte_limit_pass_trimmed_and_longer_ones_are_refused", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 1200 }), (text) => {
        const bytes = Buffer.byteLength(text.trim(), "utf8");
        const result = parseVoteReason(text);
        if (bytes <= VOTE_REASON_MAX_BYTES) expect(result).toEqual({ ok: true, reason: text.trim() });
        else expect(!result.ok && result.message).toMatch(/^Reason: [\d,]+ bytes is too long/);
      }),
      { numRuns: 300, seed: 36 },
    );
    const tooLong = parseVoteReason("€".repeat(1366));
    expect(tooLong).toEqual({ ok: false, field: "reason", message: "Reason: 4,098 bytes is too long; at most 4,096 (it is stored on chain and costs gas)" });
  });
});
