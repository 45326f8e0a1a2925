/**
 * The relay's configuration from the environment: off unless a sponsor key is set, and the
 * operator's rules, each with a default (README, "Free votes and delegations"):
 * - BACKSTOP_RELAYER_KEY                 private key that sends and pays for relayed signatures (server only)
 * - BACKSTOP_RELAY_BUDGET_ETH            total the relayer may spend on gas, in ETH (default 1)
 * - BACKSTOP_RELAY_MIN_VOTES             least voting power, in tokens, a relayed signer must hold (default 1)
 * - BACKSTOP_RELAY_RATE_LIMIT            relayed signatures per address per window (default 10)
 * - BACKSTOP_RELAY_RATE_WINDOW_SECONDS   that window (default 86400: a day)
 * - BACKSTOP_RELAY_MAX_GAS_PRICE_GWEI    the relay waits out gas dearer than this (default 100)
 * An empty variable counts as unset; a malformed one is a ConfigError naming it.
 */

import { parseEther, parseGwei, type Hex } from "viem";
import { ConfigError } from "../env.ts";

export interface RelayRules {
  budgetWei: bigint;
  minVotesWei: bigint;
  rateLimit: number;
  rateWindowSeconds: number;
  maxGasPriceWei: bigint;
}

export interface RelayConfig {
  relayerKey: Hex;
  rules: RelayRules;
}

export const DEFAULT_RELAY_RULES: RelayRules = {
  budgetWei: parseEther("1"),
  minVotesWei: parseEther("1"),
  rateLimit: 10,
  rateWindowSeconds: 86_400,
  maxGasPriceWei: parseGwei("100"),
};

type Env = Record<string, string | undefined>;

const decimal = /^\d+(\.\d+)?$/;

function amount(env: Env, name: string, parse: (s: string) => bigint, fallback: bigint, unit: string): bigint {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!decimal.test(raw)) throw new ConfigError(`${name} must be a non-negative number of ${unit}, got "${raw}"`);
  return parse(raw);
}

function count(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

/** The relay's key and rules, or null when no BACKSTOP_RELAYER_KEY is set (the relay is off). */
export function relayConfig(env: Env = process.env): RelayConfig | null {
  const raw = env.BACKSTOP_RELAYER_KEY?.trim();
  if (!raw) return null;
  const relayerKey = (raw.startsWith("0x") ? raw : `0x${raw}`) as Hex;
  if (!/^0x[0-9a-fA-F]{64}$/.test(relayerKey)) throw new ConfigError("BACKSTOP_RELAYER_KEY is not a private key: expected 64 hex digits, with or without 0x");
  const d = DEFAULT_RELAY_RULES;
  return {
    relayerKey,
    rules: {
      budgetWei: amount(env, "BACKSTOP_RELAY_BUDGET_ETH", parseEther, d.budgetWei, "ETH"),
      minVotesWei: amount(env, "BACKSTOP_RELAY_MIN_VOTES", parseEther, d.minVotesWei, "tokens"),
      rateLimit: count(env, "BACKSTOP_RELAY_RATE_LIMIT", d.rateLimit, 1),
      rateWindowSeconds: count(env, "BACKSTOP_RELAY_RATE_WINDOW_SECONDS", d.rateWindowSeconds, 1),
      maxGasPriceWei: amount(env, "BACKSTOP_RELAY_MAX_GAS_PRICE_GWEI", parseGwei, d.maxGasPriceWei, "gwei"),
    },
  };
}
