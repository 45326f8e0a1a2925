/**
 * The lens's account reads encoded and decoded by hand: the calldata of Multicall3's aggregate3
 * over `ClearinghouseLens.getAccounts(offset, limit)` calls, and its return data straight into the
 * engine's Account objects. The layout is fixed by the two ABIs (below), so this is a walk over
 * 32-byte words of the hex string the node returns; viem's generic codec does the same walk
 * through the ABI's description at every value and costs ~80 µs an account (hex to bytes, a
 * selector's keccak per call, an object per tuple before reshapeAccount's own): ~80 ms of a block
 * in which 1,000 accounts changed, 8 s of a full read of 100,000. The ABIs are checked against
 * viem's codec by a property test (accountCodec.test.ts), not trusted.
 *
 *   aggregate3((address target, bool allowFailure, bytes callData)[])
 *     → (bool success, bytes returnData)[]
 *   getAccounts(uint256 offset, uint256 limit)
 *     → (address account, int256 cash, uint256[] balances, (uint256 marketId, int256 size, int256 openNotional)[] positions)[]
 *
 * Return data is read defensively: an offset or length pointing outside the data, or a word too
 * large for what it holds, is a MalformedReturnDataError naming the place, not a wrong account.
 */

import { toFunctionSelector, type Hex } from "viem";
import type { Account } from "../../engine/types.ts";
import { BackstopError } from "../errors/backstopError.ts";

/** The node returned bytes that are not what the lens and Multicall3 encode. */
export class MalformedReturnDataError extends BackstopError {
  override name = "MalformedReturnDataError";
}

const AGGREGATE3 = toFunctionSelector("aggregate3((address,bool,bytes)[])").slice(2);
const GET_ACCOUNTS = toFunctionSelector("getAccounts(uint256,uint256)").slice(2);

/** Hex characters in one 32-byte word. */
const WORD = 64;

const word = (n: number) => n.toString(16).padStart(WORD, "0");

/** One call of aggregate3: `target` called with getAccounts(offset, limit), no failure allowed. */
export interface AccountsCall {
  offset: number;
  limit: number;
}

/**
 * aggregate3's calldata for getAccounts `calls` on `lens`: [selector][offset of the array][its
 * length][an offset per call][per call: target, allowFailure = false, offset of callData (3 words),
 * its length (68 bytes), the 68 bytes in 3 words].
 */
export function encodeAccountsAggregate(lens: Hex, calls: readonly AccountsCall[]): Hex {
  const target = lens.slice(2).toLowerCase().padStart(WORD, "0");
  // Each call's tuple is 7 words: its offsets (relative to the first offset) step by 7 words.
  const tupleBytes = 7 * 32;
  const parts = [AGGREGATE3, word(32), word(calls.length)];
  for (let i = 0; i < calls.length; i++) parts.push(word(32 * calls.length + i * tupleBytes));
  for (const { offset, limit } of calls) {
    parts.push(target, word(0), word(96), word(68), GET_ACCOUNTS, word(offset), word(limit), "0".repeat(WORD - 8));
  }
  return `0x${parts.join("")}`;
}

/** A reader of the 32-byte words of return data held as hex (no 0x), bounds-checked. */
class Words {
  constructor(
    private readonly hex: string,
    private readonly what: string,
  ) {
    if (hex.length % WORD !== 0) throw new MalformedReturnDataError(`${what}: ${hex.length / 2} bytes, not whole 32-byte words`);
  }

  /** Hex position of the word at byte `at`, checked to lie inside the data. */
  private position(at: number): number {
    const p = 2 * at;
    if (!(at >= 0 && p + WORD <= this.hex.length && at % 32 === 0)) throw new MalformedReturnDataError(`${this.what}: a word at byte ${at} lies outside its ${this.hex.length / 2} bytes`);
    return p;
  }

  /** The word at byte `at` as an offset or length: a whole number of at most 2⁴⁸ − 1. */
  small(at: number): number {
    const p = this.position(at);
    for (let i = p; i < p + WORD - 12; i++) if (this.hex.charCodeAt(i) !== 48) throw new MalformedReturnDataError(`${this.what}: the offset or length at byte ${at} is too large`);
    return parseInt(this.hex.slice(p + WORD - 12, p + WORD), 16);
  }

  uint(at: number): bigint {
    const p = this.position(at);
    return BigInt(`0x${this.hex.slice(p, p + WORD)}`);
  }

  int(at: number): bigint {
    return BigInt.asIntN(256, this.uint(at));
  }

  address(at: number): `0x${string}` {
    const p = this.position(at);
    for (let i = p; i < p + 24; i++) if (this.hex.charCodeAt(i) !== 48) throw new MalformedReturnDataError(`${this.what}: the address at byte ${at} has more than 20 bytes`);
    return `0x${this.hex.slice(p + 24, p + WORD).toLowerCase()}`;
  }

  /** The start (a byte) of the tail an offset at `at` points to, measured from `base`. */
  tail(base: number, at: number): number {
    const start = base + this.small(at);
    this.position(start);
    return start;
  }
}

/** The accounts of getAccounts' return data starting at byte `base` of `words`, appended to `into`. */
function readAccountViews(words: Words, base: number, into: Account[]): void {
  const array = words.tail(base, base);
  const count = words.small(array);
  const heads = array + 32;
  for (let i = 0; i < count; i++) {
    const tuple = words.tail(heads, heads + 32 * i);
    const balancesAt = words.tail(tuple, tuple + 64);
    const balances: bigint[] = [];
    for (let c = 0, n = words.small(balancesAt); c < n; c++) balances.push(words.uint(balancesAt + 32 * (c + 1)));
    const positionsAt = words.tail(tuple, tuple + 96);
    const positions: Account["positions"] = [];
    for (let k = 0, n = words.small(positionsAt); k < n; k++) {
      const p = positionsAt + 32 + 96 * k;
      positions.push({ marketId: words.small(p), sizeBase: words.int(p + 32), openNotionalUsd: words.int(p + 64) });
    }
    into.push({ address: words.address(tuple), cashUsd: words.int(tuple + 32), balancesNative: balances, positions });
  }
}

/** The accounts aggregate3 returned for getAccounts calls, in call order; a failed call is an error (none is allowed to fail). */
export function decodeAccountsAggregate(data: Hex): Account[] {
  const words = new Words(data.slice(2), "aggregate3's return data");
  const array = words.tail(0, 0);
  const count = words.small(array);
  const heads = array + 32;
  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const result = words.tail(heads, heads + 32 * i);
    if (words.small(result) !== 1) throw new MalformedReturnDataError(`aggregate3's call ${i} failed, though none was allowed to`);
    const bytes = words.tail(result, result + 32);
    const length = words.small(bytes);
    if (length === 0) throw new MalformedReturnDataError(`aggregate3's call ${i} returned no data (is the lens deployed at the address called?)`);
    // The call's return data starts after its length word, its offsets measured from there.
    if (length % 32 !== 0 || 2 * (bytes + 32 + length) > data.length - 2) throw new MalformedReturnDataError(`aggregate3's call ${i} returned ${length} bytes, not whole words inside the data`);
    readAccountViews(words, bytes + 32, accounts);
  }
  return accounts;
}
