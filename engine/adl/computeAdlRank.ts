/**
 * ADL rank (BitMEX's formula, in the contract's integer form; docs/PROTOCOL.md "Rank"):
 *
 *   pnlPct = floor(uPnL · 1e18 / max(|openNotional|, 1))
 *   rank   = floor(pnlPct · notional / equity)          when equity > 0
 *   rank   = 2^256 − 1                                  when equity ≤ 0 (first in line)
 *
 * Only positions in profit are ranked (the contract only deleverages those); a loss gives null.
 * Example: short 2 ETH from $3,000 at $2,000 → uPnL $2,000, pnlPct = 1/3 (333…e15); the account's
 * notional $4,000 over equity $7,000 → rank = 0.190476… e18.
 */

import { abs, max, MAX_UINT256, mulDivDown, signedValue, WAD } from "../math/wad.ts";

export interface AdlRankInput {
  sizeBase: bigint;
  openNotionalUsd: bigint;
  markPriceWad: bigint;
  /** The whole account's equity and notional (ranks are taken at account level). */
  accountEquityUsd: bigint;
  accountNotionalUsd: bigint;
}

export function computeAdlRank({ sizeBase, openNotionalUsd, markPriceWad, accountEquityUsd, accountNotionalUsd }: AdlRankInput): bigint | null {
  const pnl = signedValue(sizeBase, markPriceWad) - openNotionalUsd;
  if (pnl <= 0n) return null;
  if (accountEquityUsd <= 0n) return MAX_UINT256;
  const pnlPct = mulDivDown(pnl, WAD, max(abs(openNotionalUsd), 1n));
  return mulDivDown(pnlPct, accountNotionalUsd, accountEquityUsd);
}
