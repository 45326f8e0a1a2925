/**
 * The columnar form of an object snapshot, built once per accounts array and remembered while
 * that array lives (snapshots are values: the engine never changes an accounts array it was
 * given; applyChanges and shockMarks share it, so a proposal's "after" and every shocked copy
 * reuse the columns of "before"). The venue is always the snapshot's own.
 *
 * Example: previewChanges(before, changes) builds the columns of before.accounts once; the
 * after snapshot, whose markets differ but whose accounts array is the same, reads the same
 * columns at its own parameters.
 */

import type { ProtocolSnapshot } from "../types.ts";
import { buildColumnarSnapshot, type ColumnarSnapshot } from "./columnarSnapshot.ts";

const built = new WeakMap<ProtocolSnapshot["accounts"], ColumnarSnapshot>();

/** The columnar snapshot of `snapshot` (built on first use, then shared), at its venue. */
export function columnarOf(snapshot: ProtocolSnapshot): ColumnarSnapshot {
  const { accounts, ...venue } = snapshot;
  const cached = built.get(accounts);
  // The venue is a new object on every call, so a cached build is always re-read at this one.
  if (cached && cached.count === accounts.length) return { ...cached, venue };
  const columnar = buildColumnarSnapshot(venue, accounts);
  built.set(accounts, columnar);
  return columnar;
}
