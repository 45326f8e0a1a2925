import { describe, expect, it } from "vitest";
import { createRowArena, type PlacedRows } from "./rowArena.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);
const rowsOf = ({ bytes: all, starts, ends }: PlacedRows) => Array.from(ends, (end, row) => [...all.subarray(starts[row], end)]);

describe("createRowArena", () => {
  it("appends a block's fresh rows to the same arena, the others kept where they were, and names a new arena when it compacts", () => {
    const arena = createRowArena();
    const first = arena.update(3, [
      { row: 0, bytes: bytes(1, 2, 3) },
      { row: 1, bytes: bytes(4, 5) },
      { row: 2, bytes: bytes(6) },
    ]);
    expect(rowsOf(first)).toEqual([[1, 2, 3], [4, 5], [6]]);
    const second = arena.update(3, [{ row: 1, bytes: bytes(7, 8) }]);
    expect(rowsOf(second)).toEqual([[1, 2, 3], [7, 8], [6]]);
    expect(second.arena, "appended: the same arena").toBe(first.arena);
    expect([second.starts[0], second.ends[0], second.starts[2], second.ends[2]]).toEqual([first.starts[0], first.ends[0], first.starts[2], first.ends[2]]);
    expect(rowsOf(first), "the first block's rows as they were").toEqual([[1, 2, 3], [4, 5], [6]]);
    // Past the arena's room (64 kB at least): the live rows copied into a new one, under a new name.
    const third = arena.update(3, [{ row: 2, bytes: new Uint8Array(70_000).fill(9) }]);
    expect(third.arena).not.toBe(second.arena);
    expect(rowsOf(third).slice(0, 2)).toEqual([[1, 2, 3], [7, 8]]);
    expect(third.ends[2]! - third.starts[2]!).toBe(70_000);
  });
});
