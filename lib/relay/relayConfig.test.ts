import { describe, expect, it } from "vitest";
import { parseEther, parseGwei } from "viem";
import { DEFAULT_RELAY_RULES, relayConfig } from "./relayConfig.ts";
import { windowInWords } from "./createRelay.ts";

// Fake environments: relayConfig is a pure function of the variables it is given.
const key = `0x${"ab".repeat(32)}`;

describe("relayConfig", () => {
  it.each([
    ["no relayer key: the relay is off", {}, null],
    ["an empty relayer key counts as unset", { BACKSTOP_RELAYER_KEY: " " }, null],
    ["a key alone: every rule at its default", { BACKSTOP_RELAYER_KEY: key }, { relayerKey: key, rules: DEFAULT_RELAY_RULES }],
    ["a key without 0x is taken", { BACKSTOP_RELAYER_KEY: "ab".repeat(32) }, { relayerKey: key, rules: DEFAULT_RELAY_RULES }],
    [
      "each rule from its variable, in its unit",
      { BACKSTOP_RELAYER_KEY: key, BACKSTOP_RELAY_BUDGET_ETH: "0.5", BACKSTOP_RELAY_MIN_VOTES: "100", BACKSTOP_RELAY_RATE_LIMIT: "3", BACKSTOP_RELAY_RATE_WINDOW_SECONDS: "600", BACKSTOP_RELAY_MAX_GAS_PRICE_GWEI: "2.5" },
      { relayerKey: key, rules: { budgetWei: parseEther("0.5"), minVotesWei: parseEther("100"), rateLimit: 3, rateWindowSeconds: 600, maxGasPriceWei: parseGwei("2.5") } },
    ],
  ])("%s", (_, env, expected) => {
    expect(relayConfig(env)).toEqual(expected);
  });

  it.each([
    ["a key that is not one", { BACKSTOP_RELAYER_KEY: "0x1234" }, "BACKSTOP_RELAYER_KEY is not a private key: expected 64 hex digits, with or without 0x"],
    ["a negative budget", { BACKSTOP_RELAYER_KEY: key, BACKSTOP_RELAY_BUDGET_ETH: "-1" }, 'BACKSTOP_RELAY_BUDGET_ETH must be a non-negative number of ETH, got "-1"'],
    ["a rate limit of zero", { BACKSTOP_RELAYER_KEY: key, BACKSTOP_RELAY_RATE_LIMIT: "0" }, 'BACKSTOP_RELAY_RATE_LIMIT must be a whole number of at least 1, got "0"'],
    ["a ceiling in words", { BACKSTOP_RELAYER_KEY: key, BACKSTOP_RELAY_MAX_GAS_PRICE_GWEI: "cheap" }, 'BACKSTOP_RELAY_MAX_GAS_PRICE_GWEI must be a non-negative number of gwei, got "cheap"'],
  ])("refuses %s, naming the variable", (_, env, message) => {
    expect(() => relayConfig(env)).toThrow(message);
  });
});

describe("windowInWords", () => {
  it.each([
    [86_400, "24 hours"],
    [3_600, "1 hour"],
    [600, "10 minutes"],
    [60, "1 minute"],
    [45, "45 seconds"],
    [1, "1 second"],
  ])("%i seconds → %s", (seconds, words) => {
    expect(windowInWords(seconds)).toBe(words);
  });
});
