/**
 * parseTradeForm(input, { self }) — the trade form's values as the clearinghouse's `trade`
 * arguments, or the first field that is wrong with a sentence naming it. Mirrors the contract's
 * refusals that need no chain state (ZeroAmount, SelfTrade) and the ABI's int256 range, so the
 * form says them before the wallet is asked.
 */

import { isAddress, parseEther } from "viem";

export interface TradeFormInput {
  side: "buy" | "sell";
  /** Base units, a positive decimal with at most 18 decimals. */
  size: string;
  counterparty: string;
}

export type ParseTradeFormReturnType =
  | { ok: true; sizeDeltaWad: bigint; counterparty: `0x${string}` }
  | { ok: false; field: "size" | "counterparty"; message: string };

const INT256_MAX = 2n ** 255n - 1n;

export function parseTradeForm(input: TradeFormInput, { self }: { self: `0x${string}` }): ParseTradeFormReturnType {
  const size = input.size.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(size)) return { ok: false, field: "size", message: `Size: "${input.size}" is not a positive amount of the base asset (digits, at most 18 decimals)` };
  const sizeWad = parseEther(size);
  if (sizeWad === 0n) return { ok: false, field: "size", message: "Size: must be above zero" };
  if (sizeWad > INT256_MAX) return { ok: false, field: "size", message: `Size: ${size} is larger than a position can be` };
  const counterparty = input.counterparty.trim();
  if (!isAddress(counterparty, { strict: false })) return { ok: false, field: "counterparty", message: `Counterparty: "${input.counterparty}" is not an address (0x followed by 40 hexadecimal characters)` };
  if (counterparty.toLowerCase() === self.toLowerCase()) return { ok: false, field: "counterparty", message: "Counterparty: that is your own address; a trade needs another account" };
  return { ok: true, sizeDeltaWad: input.side === "buy" ? sizeWad : -sizeWad, counterparty: counterparty as `0x${string}` };
}
