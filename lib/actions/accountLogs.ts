/**
 * A block's accounts from the last block's and the clearinghouse's logs in between, without
 * asking the node for any account: the contract announces every change to an account's state
 * with its result or its exact amount, which is how the indexer keeps its tables equal to the
 * lens (indexer/src/clearinghouse.ts):
 *
 *   AccountRegistered(account, index)          a new row at `index`: no cash, no balance, no position
 *   CashUpdated(account, cash)                 the cash after the change
 *   PositionUpdated(account, marketId, size, openNotional)   the position after it (size 0: closed)
 *   Deposited(account, payer, assetId, amount) the balance up by `amount`
 *   Withdrawn(account, assetId, amount)        down by `amount`
 *   CollateralSeized(account, assetId, amount) down by `amount`
 *
 * Every other event of the clearinghouse changes no account. A log whose event the ABI does not
 * know, or that does not fit what was kept (an account never registered, a row registered out of
 * order, a balance below zero, an asset or market id past the venue's), makes the whole answer
 * undefined: the caller reads the state from the node instead.
 *
 * The topics and words are read by hand (viem's decodeEventLog cost ~20 µs a log; a block of
 * 500 trades has ~2,500 of them).
 */

import { toEventSelector, type AbiEvent, type Hex, type Log } from "viem";
import type { Account, Position } from "../../engine/types.ts";
import { clearinghouseAbi } from "../contracts/abis.ts";

const events = (clearinghouseAbi as readonly { type: string }[]).filter((item): item is AbiEvent => item.type === "event");
const selectorOf = (name: string) => toEventSelector(events.find((event) => event.name === name)!);
const REGISTERED = selectorOf("AccountRegistered");
const CASH = selectorOf("CashUpdated");
const POSITION = selectorOf("PositionUpdated");
const DEPOSITED = selectorOf("Deposited");
const WITHDRAWN = selectorOf("Withdrawn");
const SEIZED = selectorOf("CollateralSeized");
/** Every event the clearinghouse's ABI declares. */
const KNOWN = new Set<string>(events.map((event) => toEventSelector(event)));

const TWO_255 = 1n << 255n;
const TWO_256 = 1n << 256n;
/** The i-th 32-byte word of `data` as an unsigned integer (undefined past its end). */
function word(data: Hex, i: number): bigint | undefined {
  const hex = data.slice(2 + 64 * i, 2 + 64 * (i + 1));
  return hex.length === 64 ? BigInt(`0x${hex}`) : undefined;
}
const signed = (x: bigint) => (x >= TWO_255 ? x - TWO_256 : x);
/** The address in an indexed topic, lower-case. */
const addressIn = (topic: Hex) => `0x${topic.slice(26).toLowerCase()}` as `0x${string}`;

export interface AccountLogsVenue {
  /** Markets and collaterals listed at the block read (ids are 0 … count − 1). */
  marketCount: number;
  collateralCount: number;
}

/**
 * Applies `logs` (in chain order) to `accounts` in place — a copy the caller made of the last
 * block's array: an account a log changes is replaced by a new object (the last block's objects
 * are shared, never modified), a registered one appended — and `rows` (address → row) likewise.
 * Returns the rows replaced or appended, ascending; undefined when the logs cannot be applied
 * (then `accounts` and `rows` are half-changed: read the state again).
 */
export function applyAccountLogs(accounts: Account[], rows: Map<string, number>, logs: readonly Pick<Log, "topics" | "data">[], venue: AccountLogsVenue): number[] | undefined {
  const changed = new Set<number>();
  const edit = (topic: Hex | undefined): Account | undefined => {
    const row = topic === undefined ? undefined : rows.get(addressIn(topic));
    if (row === undefined) return undefined;
    if (!changed.has(row)) {
      const a = accounts[row]!;
      accounts[row] = { address: a.address, cashUsd: a.cashUsd, balancesNative: a.balancesNative.slice(), positions: a.positions.slice() };
      changed.add(row);
    }
    return accounts[row];
  };
  for (const { topics, data } of logs) {
    const selector = topics[0];
    if (!selector || !KNOWN.has(selector)) return undefined;
    if (selector === REGISTERED) {
      const index = word(data, 0);
      if (!topics[1] || index !== BigInt(accounts.length) || rows.has(addressIn(topics[1]))) return undefined;
      rows.set(addressIn(topics[1]), accounts.length);
      changed.add(accounts.length);
      accounts.push({ address: addressIn(topics[1]), cashUsd: 0n, balancesNative: Array.from({ length: venue.collateralCount }, () => 0n), positions: [] });
    } else if (selector === CASH) {
      const [account, cash] = [edit(topics[1]), word(data, 0)];
      if (!account || cash === undefined) return undefined;
      account.cashUsd = signed(cash);
    } else if (selector === POSITION) {
      const [account, size, openNotional] = [edit(topics[1]), word(data, 0), word(data, 1)];
      const marketId = topics[2] === undefined ? NaN : Number(BigInt(topics[2]));
      if (!account || size === undefined || openNotional === undefined || !(marketId < venue.marketCount)) return undefined;
      setPosition(account.positions, { marketId, sizeBase: signed(size), openNotionalUsd: signed(openNotional) });
    } else if (selector === DEPOSITED || selector === WITHDRAWN || selector === SEIZED) {
      // Deposited names its payer second; the others' asset id is their second topic.
      const [account, amount] = [edit(topics[1]), word(data, 0)];
      const assetTopic = selector === DEPOSITED ? topics[3] : topics[2];
      const assetId = assetTopic === undefined ? NaN : Number(BigInt(assetTopic));
      if (!account || amount === undefined || !(assetId < account.balancesNative.length)) return undefined;
      account.balancesNative[assetId] = account.balancesNative[assetId]! + (selector === DEPOSITED ? amount : -amount);
      if (account.balancesNative[assetId]! < 0n) return undefined;
    }
  }
  return [...changed].sort((a, b) => a - b);
}

/** `position` in `positions` (ascending market id, no zero sizes), replacing its market's; removed at size 0. */
function setPosition(positions: Position[], position: Position) {
  let at = 0;
  while (at < positions.length && positions[at]!.marketId < position.marketId) at++;
  const replaces = at < positions.length && positions[at]!.marketId === position.marketId ? 1 : 0;
  if (position.sizeBase === 0n) positions.splice(at, replaces);
  else positions.splice(at, replaces, position);
}
