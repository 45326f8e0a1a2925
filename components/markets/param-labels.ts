import { formatDuration, formatPercent, formatUsd } from "@/engine/format";
import type { MarketParams } from "@/engine/types";

/** Each governable market parameter with its label and how to show its value. */
export const marketParamLabels: [keyof MarketParams, string, (v: bigint) => string][] = [
  ["imrWad", "Initial margin (IMR)", formatPercent],
  ["mmrWad", "Maintenance margin (MMR)", formatPercent],
  ["liquidationPenaltyWad", "Liquidation penalty", formatPercent],
  ["keeperShareWad", "Keeper share of penalty", formatPercent],
  ["oiCapUsd", "Open-interest cap", (v) => formatUsd(v)],
  ["concentrationCapWad", "Concentration cap", formatPercent],
  ["oracleMaxAgeSec", "Oracle max age", formatDuration],
];
