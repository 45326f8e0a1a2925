/**
 * Where an item goes in a sequence that was in order and of which some places have since moved
 * (their keys changed: a block's changed rows), from `from` on: the first place whose unmoved
 * places from there on do not `precede` the item (precede(k): place k comes before it). A probe
 * that lands on a moved place (its key is new, so its place says nothing) reads the nearest
 * unmoved place to its left instead. Reading keys in order across a million places costs a cache
 * miss a place; a binary search reads ~20 of them.
 *
 * The block views merge each ADL line this way (lib/server/followBlockViews): the changed places
 * put in by a search each, the runs between them copied.
 */
export function placeAmong(from: number, to: number, moved: (k: number) => boolean, precedes: (k: number) => boolean): number {
  let [lo, hi] = [from, to];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let probe = mid;
    while (probe >= lo && moved(probe)) probe--;
    if (probe < lo) lo = mid + 1;
    else if (precedes(probe)) lo = probe + 1;
    else hi = probe;
  }
  return lo;
}
