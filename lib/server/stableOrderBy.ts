/**
 * `start` reordered by `keys[row]` ascending, stably: rows with equal keys keep their order in
 * `start`. So with `start` in address order, the result is in (key, address) order — the accounts
 * table's order on a column (lib/server/accountTable) — without a comparison sort: an LSD radix
 * sort on the keys' 64 bits, four passes of 16 bits, each a count and a scatter over typed arrays.
 * ~3 ms for 100,000 rows where a comparator sort took ~40 ms.
 *
 * The bits are made to order as the numbers do: a positive double's bits order as it does once
 * its sign bit is set; a negative one's, once they are all flipped. −0 sorts as +0 (they are
 * equal); NaN is not a key (callers map unknown values to Infinity, after every number).
 *
 * Example: keys [2, −1, 2, Infinity] by row, start [3, 2, 1, 0] → [1, 2, 0, 3]: −1 first, then
 * the two 2s in start's order (row 2 before row 0), Infinity last.
 */
export function stableOrderBy(keys: Float64Array, start: Int32Array): Int32Array<ArrayBuffer> {
  const n = start.length;
  // The order-preserving bits of each row's key, as 16-bit digits: digits[4 * row + d], d = 0 the least significant.
  const bits = new Float64Array(keys.length);
  for (let row = 0; row < keys.length; row++) bits[row] = keys[row]! + 0; // −0 + 0 is +0
  const words = new Uint32Array(bits.buffer); // little-endian: row's low word at 2·row, high at 2·row + 1
  for (let row = 0; row < keys.length; row++) {
    const high = words[2 * row + 1]!;
    if (high & 0x8000_0000) {
      words[2 * row] = ~words[2 * row]!;
      words[2 * row + 1] = ~high;
    } else words[2 * row + 1] = high | 0x8000_0000;
  }
  const digits = new Uint16Array(bits.buffer);
  let from = Int32Array.from(start);
  let to = new Int32Array(n);
  const count = new Int32Array(65_537);
  for (let d = 0; d < 4; d++) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[digits[4 * from[i]! + d]! + 1]!++;
    if (count[digits[4 * from[0]! + d]! + 1] === n) continue; // every row has the same digit: the order stands
    for (let v = 0; v < 65_536; v++) count[v + 1]! += count[v]!;
    for (let i = 0; i < n; i++) to[count[digits[4 * from[i]! + d]!]!++] = from[i]!;
    [from, to] = [to, from];
  }
  return from;
}
