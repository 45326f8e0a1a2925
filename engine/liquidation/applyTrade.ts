/**
 * Trade settlement on a working copy of a snapshot, exactly as the contract's
 * AccountLogic.applyTrade (docs/PROTOCOL.md "Trades"):
 *
 * - open or increase: size += d, openNotional += floor(d·P / 1e18)
 * - reduce, close or flip: the closing part c = sign(d)·min(|d|, |size|) realises
 *   cash += −floor(c·P / 1e18) − closedNotional, where
 *   closedNotional = sign(openNotional)·floor(|openNotional|·|c| / |size|);
 *   a full close also moves the rounding dust of open notional into cash; the rest opens.
 *
 * Example: long 1 ETH from $3,000, sell 3 at $2,900 → close 1 (cash += 2,900 − 3,000 = −$100),
 * then open short 2 with open notional −$5,800.
 */

import { abs, mulDivDown, signedValue } from "../math/wad.ts";
import type { Account, Market, ProtocolSnapshot } from "../types.ts";

/** A snapshot being changed in place, with accounts indexed by address. */
export interface WorkingState {
  snapshot: ProtocolSnapshot;
  /** Each account looked up so far, where it sits in `snapshot.accounts`, and whether this copy owns it yet. */
  byAddress: Map<string, { account: Account; index: number; owned: boolean }>;
  /** Where an address sits among the input's accounts (−1: nowhere); entries enter byAddress on first use. */
  locate: (address: string) => number;
  /** Told the index of every account about to change (the cascade re-values exactly those). */
  onTouch?: (index: number) => void;
  /** While a transaction is open: what to put back on rollback (copy-on-write per account). */
  journal?: {
    accounts: Map<string, Account>;
    created: string[];
    markets: ProtocolSnapshot["markets"];
    collaterals: ProtocolSnapshot["collaterals"];
    reserves: ProtocolSnapshot["reserves"];
  };
}

/** Opens a transaction: changes made until commit or rollback can be undone cheaply. */
export function begin(state: WorkingState) {
  // A liquidation changes only top-level fields of markets and collaterals (open interest,
  // deposits, seized), never their params: a shallow copy of each is a full save point.
  state.journal = {
    accounts: new Map(),
    created: [],
    markets: state.snapshot.markets.map((m) => ({ ...m })),
    collaterals: state.snapshot.collaterals.map((c) => ({ ...c })),
    reserves: { ...state.snapshot.reserves },
  };
}

export function commit(state: WorkingState) {
  state.journal = undefined;
}

/** Undoes every change since `begin`, as a reverted transaction leaves the chain. */
export function rollback(state: WorkingState) {
  const journal = state.journal;
  if (!journal) return;
  for (const [address, saved] of journal.accounts) Object.assign(state.byAddress.get(address)!.account, saved);
  if (journal.created.length) {
    // Accounts are only ever appended, so the ones created in this transaction are the last ones.
    state.snapshot.accounts.length -= journal.created.length;
    for (const address of journal.created) state.byAddress.delete(address);
  }
  state.snapshot.markets = journal.markets;
  state.snapshot.collaterals = journal.collaterals;
  state.snapshot.reserves = journal.reserves;
  state.journal = undefined;
}

/**
 * A working copy that shares the input's accounts until one is touched (copy on write): a
 * liquidation changes a handful of accounts out of thousands, so only those are copied.
 * Markets, collaterals, reserves and settings are small and copied at once. Accounts are found
 * by `locate` (say the columnar snapshot's hash table) or, without one, by an index of every
 * address built on the first look-up.
 */
export function workingCopy(snapshot: ProtocolSnapshot, locate?: (address: string) => number): WorkingState {
  const copy: ProtocolSnapshot = {
    ...snapshot,
    markets: structuredClone(snapshot.markets),
    collaterals: structuredClone(snapshot.collaterals),
    reserves: { ...snapshot.reserves },
    global: { ...snapshot.global },
    accounts: [...snapshot.accounts],
  };
  let index: Map<string, number> | undefined;
  const byIndex = (address: string) => (index ??= new Map(snapshot.accounts.map((a, i) => [a.address, i]))).get(address) ?? -1;
  return { snapshot: copy, byAddress: new Map(), locate: locate ?? byIndex };
}

/** A deep copy of an account (its arrays and positions are the only nested parts). */
function cloneAccount(account: Account): Account {
  return { ...account, balancesNative: [...account.balancesNative], positions: account.positions.map((p) => ({ ...p })) };
}

function entryOf(state: WorkingState, key: string, indexHint?: number) {
  const known = state.byAddress.get(key);
  if (known) return known;
  const index = indexHint !== undefined && state.snapshot.accounts[indexHint]?.address === key ? indexHint : state.locate(key);
  const account = index >= 0 ? state.snapshot.accounts[index] : undefined;
  if (!account || account.address !== key) return undefined;
  const entry = { account, index, owned: false };
  state.byAddress.set(key, entry);
  return entry;
}

/**
 * The account at `address` as it stands, or undefined: a read that neither copies nor touches
 * it. `indexHint`, where the caller believes it sits in the accounts, saves the look-up when right.
 */
export function peekAccount(state: WorkingState, address: `0x${string}`, indexHint?: number): Account | undefined {
  // An account a transaction changed sits at its index too (copies replace it there), so a right hint is the answer.
  const hinted = indexHint === undefined ? undefined : state.snapshot.accounts[indexHint];
  if (hinted && hinted.address === address) return hinted;
  return entryOf(state, address.toLowerCase())?.account;
}

/**
 * The account at `address`, registered (empty) if the chain has never seen it. `indexHint`, where
 * the caller believes it sits in the accounts, saves the look-up when right.
 */
export function accountOf(state: WorkingState, address: `0x${string}`, indexHint?: number): Account {
  const key = address.toLowerCase() as `0x${string}`;
  const entry = entryOf(state, key, indexHint);
  if (!entry) {
    const account: Account = { address: key, cashUsd: 0n, balancesNative: state.snapshot.collaterals.map(() => 0n), positions: [] };
    state.snapshot.accounts.push(account);
    state.byAddress.set(key, { account, index: state.snapshot.accounts.length - 1, owned: true });
    state.journal?.created.push(key);
    state.onTouch?.(state.snapshot.accounts.length - 1);
    return account;
  }
  state.onTouch?.(entry.index);
  if (!entry.owned) {
    entry.account = cloneAccount(entry.account);
    entry.owned = true;
    state.snapshot.accounts[entry.index] = entry.account;
  }
  if (state.journal && !state.journal.accounts.has(key) && !state.journal.created.includes(key)) {
    state.journal.accounts.set(key, cloneAccount(entry.account));
  }
  return entry.account;
}

/**
 * Puts `account` at `index` of the state's accounts as the state's own copy (no copy on its next
 * write): how a caller that changed an account outside the object form (the cascade's columnar
 * liquidations) hands the result back. Not inside a transaction: nothing would undo it.
 */
export function replaceAccount(state: WorkingState, index: number, account: Account): void {
  if (state.journal) throw new Error("replaceAccount inside a transaction");
  state.snapshot.accounts[index] = account;
  const entry = state.byAddress.get(account.address);
  if (entry) {
    entry.account = account;
    entry.owned = true;
  } else state.byAddress.set(account.address, { account, index, owned: true });
}

/** Open interest of `market` as a position of `size` opens (sign 1n) or goes (sign −1n); one bigint made, not three (a cascade moves it for every position it liquidates). */
export function addOpenInterest(market: Market, size: bigint, sign: 1n | -1n) {
  if (size > 0n) market.longOpenInterestBase = sign === 1n ? market.longOpenInterestBase + size : market.longOpenInterestBase - size;
  else if (size < 0n) market.shortOpenInterestBase = sign === 1n ? market.shortOpenInterestBase - size : market.shortOpenInterestBase + size;
}

/** Sets an account's position in a market, keeping positions sorted and open interest in step. */
export function setPosition(state: WorkingState, account: Account, marketId: number, sizeBase: bigint, openNotionalUsd: bigint) {
  const market = state.snapshot.markets[marketId]!;
  const index = account.positions.findIndex((p) => p.marketId === marketId);
  if (index !== -1) addOpenInterest(market, account.positions[index]!.sizeBase, -1n);
  addOpenInterest(market, sizeBase, 1n);
  if (sizeBase === 0n) {
    if (index !== -1) account.positions.splice(index, 1);
    return;
  }
  const position = { marketId, sizeBase, openNotionalUsd };
  if (index !== -1) account.positions[index] = position;
  else {
    const at = account.positions.findIndex((p) => p.marketId > marketId);
    account.positions.splice(at === -1 ? account.positions.length : at, 0, position);
  }
}

/** Settles `deltaBase` of `marketId` for `address` at `priceWad`. */
export function applyTrade(state: WorkingState, address: `0x${string}`, marketId: number, deltaBase: bigint, priceWad: bigint) {
  const account = accountOf(state, address);
  const current = account.positions.find((p) => p.marketId === marketId);
  let size = current?.sizeBase ?? 0n;
  let openNotional = current?.openNotionalUsd ?? 0n;
  let delta = deltaBase;
  if (size !== 0n && size > 0n !== delta > 0n) {
    const closing = abs(delta) < abs(size) ? abs(delta) : abs(size);
    const c = delta > 0n ? closing : -closing;
    const closedAbs = mulDivDown(abs(openNotional), closing, abs(size));
    const closed = openNotional >= 0n ? closedAbs : -closedAbs;
    account.cashUsd += -signedValue(c, priceWad) - closed;
    size += c;
    openNotional -= closed;
    if (size === 0n) {
      account.cashUsd -= openNotional;
      openNotional = 0n;
    }
    delta -= c;
  }
  if (delta !== 0n) {
    size += delta;
    openNotional += signedValue(delta, priceWad);
  }
  setPosition(state, account, marketId, size, openNotional);
}
