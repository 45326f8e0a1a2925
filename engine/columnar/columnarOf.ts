/**
 * The columnar form of an object snapshot, built once per accounts array and remembered while
 * that array lives (snapshots are values: the engine never changes an accounts array it was
 * given; applyChanges and shockMarks share it, so a proposal's "after" and every shocked copy
 * reuse the columns of "before"). The venue is always the snapshot's own.
 *
 * Given the snapshot it follows (`from`: the last block's, whose columns are remembered), the
 * columns are that snapshot's, only the rows whose account object differs rewritten and the new
 * rows appended: a block that changed 1,000 of 100,000 accounts costs 1,000 rows and a copy of
 * the columns they moved in, not 100,000 rows (~0.25 s). Copied before written, never changed in
 * place: the last block's columns stay what they were for whoever still reads them.
 *
 * Example: previewChanges(before, changes) builds the columns of before.accounts once; the
 * after snapshot, whose markets differ but whose accounts array is the same, reads the same
 * columns at its own parameters.
 */

import type { Account, ProtocolSnapshot } from "../types.ts";
import { buildColumnarSnapshot, copyColumnarSnapshot, setColumnarAccount, type ColumnarSnapshot, type Venue } from "./columnarSnapshot.ts";
import { copyExactColumn, readExact, writeExact, type ExactColumn } from "./exactColumn.ts";
import { rowsChangedSince } from "../margin/pricingOf.ts";

const built = new WeakMap<ProtocolSnapshot["accounts"], ColumnarSnapshot>();

/**
 * The columnar snapshot of `snapshot` (built on first use, then shared), at its venue; from the
 * columns of `from` when they are remembered and `snapshot` only changed or appended its rows.
 */
export function columnarOf(snapshot: ProtocolSnapshot, from?: ProtocolSnapshot): ColumnarSnapshot {
  const { accounts, ...venue } = snapshot;
  const cached = built.get(accounts);
  // The venue is a new object on every call, so a cached build is always re-read at this one.
  if (cached && cached.count === accounts.length) return { ...cached, venue };
  const base = from && built.get(from.accounts);
  const columnar = (base && base.count === from.accounts.length && followColumns(base, from.accounts, venue, accounts)) || buildColumnarSnapshot(venue, accounts);
  built.set(accounts, columnar);
  return columnar;
}

/**
 * The columns of `accounts` from `base` (the columns of `previous`), the rows that differ
 * rewritten; undefined when a row's address moved or the venue's shape differs.
 *
 * Without new rows, every column is `base`'s own array until a row's value in it changes, and
 * copied then (copy on write), as are the addresses and their index, which only new rows touch:
 * a block of trades in one market copies its cash and that market's two columns, not all nine
 * and the addresses (at 1,000,000 accounts, ~50 MB instead of ~200 MB a block, and far fewer
 * buffers for the collector). With new rows, everything is copied and the rows appended.
 */
function followColumns(base: ColumnarSnapshot, previous: readonly Account[], venue: Venue, accounts: readonly Account[]): ColumnarSnapshot | undefined {
  if (accounts.length < previous.length || venue.markets.length !== base.sizeBase.length || venue.collaterals.length !== base.balancesNative.length) return undefined;
  // The rows whose object changed (the diff the block's other followers share); past an eighth of the rows, every row.
  const changed = rowsChangedSince(accounts, previous, accounts.length >>> 3) ?? accounts.keys();
  const rows: number[] = [];
  for (const row of changed) {
    if (row >= previous.length) break;
    if (accounts[row] === previous[row]) continue;
    if (accounts[row]!.address !== previous[row]!.address) return undefined;
    rows.push(row);
  }
  if (accounts.length > previous.length) {
    const columnar = { ...copyColumnarSnapshot(base), venue };
    for (const row of rows) setColumnarAccount(columnar, row, accounts[row]!);
    for (let row = previous.length; row < accounts.length; row++) setColumnarAccount(columnar, row, accounts[row]!);
    return columnar;
  }
  const copied = new Set<ExactColumn>();
  /** `columns[index]` with `x` at `row`: copied first if it is still `base`'s and the value changes. */
  const write = (columns: ExactColumn[], index: number, row: number, x: bigint) => {
    let column = columns[index]!;
    if (!copied.has(column)) {
      if (readExact(column, row) === x) return;
      columns[index] = column = copyExactColumn(column, base.count);
      copied.add(column);
    }
    writeExact(column, row, x);
  };
  const cash = [base.cashUsd];
  const balancesNative = [...base.balancesNative];
  const sizeBase = [...base.sizeBase];
  const openNotionalUsd = [...base.openNotionalUsd];
  const markets = sizeBase.length;
  for (const row of rows) {
    const account = accounts[row]!;
    write(cash, 0, row, account.cashUsd);
    for (let asset = 0; asset < balancesNative.length; asset++) write(balancesNative, asset, row, account.balancesNative[asset] ?? 0n);
    let p = 0;
    for (let m = 0; m < markets; m++) {
      const position = account.positions[p]?.marketId === m ? account.positions[p++] : undefined;
      write(sizeBase, m, row, position?.sizeBase ?? 0n);
      write(openNotionalUsd, m, row, position?.openNotionalUsd ?? 0n);
    }
    if (p !== account.positions.length) throw new RangeError(`account ${account.address}: positions must be in markets of the venue, ascending by market`);
  }
  return { ...base, venue, cashUsd: cash[0]!, balancesNative, sizeBase, openNotionalUsd };
}
