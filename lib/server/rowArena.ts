/**
 * Rows' bytes in shared memory, block after block: the block worker's accounts (lazyTransfer). A
 * block changes a few rows of many; their new bytes
 * are appended to an arena (a SharedArrayBuffer the request thread reads in place), the others
 * stay where they were, and the block hands over where each row's bytes lie (`starts`, `ends`).
 * Bytes once written are never written again: a reader of an earlier block reads its own rows
 * while later blocks append past them. When the arena is full, the live rows are copied into a
 * new one twice their size; the old one lives while a reader holds it.
 *
 * At 1,000,000 accounts they were a new ~250 MB buffer a block, and its allocation brought on full
 * collections of the worker's heap; a trading block now appends ~0.5 MB.
 *
 * Example: rows A, B, C placed at [0, 3), [3, 5), [5, 9). B changes to 4 bytes: they go to
 * [9, 13); A and C stay. A reader of the first block still reads B at [3, 5).
 */

import { randomUUID } from "node:crypto";

/** Row i's bytes are `bytes[starts[i], ends[i])`. */
export interface PlacedRows {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /**
   * The arena the bytes are in (a name no other arena has): bytes once written in an arena are
   * never written again, so two blocks' rows of the same arena at the same start and end hold the
   * same bytes, without comparing them (lib/server/poolSnapshot).
   */
  arena: string;
}

export interface RowArena {
  /** `count` rows: the last call's, but those in `fresh` (and every row past the last call's count, which must be there). */
  update(count: number, fresh: readonly { row: number; bytes: Uint8Array }[]): PlacedRows;
}

/** The smallest arena, in bytes. */
const MIN_ARENA = 1 << 16;

export const sharedInts = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));
const sharedBytes = (length: number) => new Uint8Array(new SharedArrayBuffer(length));

export function createRowArena(): RowArena {
  let arena = sharedBytes(0);
  let name = randomUUID();
  let used = 0;
  let last: PlacedRows = { bytes: arena, starts: sharedInts(0), ends: sharedInts(0), arena: name };
  const placed = (starts: Int32Array, ends: Int32Array) => (last = { bytes: arena.subarray(0, used), starts, ends, arena: name });
  return {
    update(count, fresh) {
      const [starts, ends] = [sharedInts(count), sharedInts(count)];
      starts.set(last.starts.subarray(0, Math.min(count, last.starts.length)));
      ends.set(last.ends.subarray(0, Math.min(count, last.ends.length)));
      let freshBytes = 0;
      for (const { row, bytes } of fresh) {
        // Marked fresh (a row's bytes are never empty: its end is never 0).
        ends[row] = 0;
        freshBytes += bytes.byteLength;
      }
      if (used + freshBytes > arena.byteLength) {
        let keptBytes = 0;
        for (let row = 0; row < count; row++) if (ends[row] !== 0) keptBytes += ends[row]! - starts[row]!;
        const next = sharedBytes(Math.max(MIN_ARENA, 2 * (keptBytes + freshBytes)));
        used = 0;
        for (let row = 0; row < count; row++) {
          if (ends[row] === 0) continue;
          next.set(arena.subarray(starts[row], ends[row]), used);
          ends[row] = used + ends[row]! - starts[row]!;
          starts[row] = used;
          used = ends[row]!;
        }
        arena = next;
        name = randomUUID();
      }
      for (const { row, bytes } of fresh) {
        arena.set(bytes, used);
        starts[row] = used;
        ends[row] = used += bytes.byteLength;
      }
      return placed(starts, ends);
    },
  };
}
