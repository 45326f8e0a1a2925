/**
 * Which accounts a cascade round must re-value, without rescanning the book. An account found
 * safe at prices P with screened margin D̃ and bound ε (marginScreen.ts) gets a budget
 * B = (D̃ − ε)/2, split evenly over the n prices it is exposed to (the marks of its markets, the
 * prices of its collateral): D is linear in each of them while everything else is fixed, with
 * slope k_m = s_m − |s_m|·mmr_m for a mark and k_c = b_c for a collateral's value per unit
 * (weight and decimals in it). It is re-valued only once some price crosses its trigger
 *
 *   t = P_d − (B/n)/k_d  (k_d > 0: a fall hurts)      t = P_d + (B/n)/|k_d|  (k_d < 0: a rise)
 *
 * moved 2⁻⁴⁸·|P_d| towards P_d to cover the rounding of prices, slopes and t (each a few u
 * relative, far inside that and the factor 2 of B). Until then every price has taken at most
 * its share, so D_real ≥ D̃ − ε + floorWei − B·(1 + 10⁻¹²) > floorWei and the exact D > 0: it is
 * safe, as a full rescan would find. Per market and direction the triggers sit in a binary heap,
 * so a round pops only what the move crossed. Accounts a liquidation touched (liquidated, ADL
 * counterparties) are re-valued in the next round; liquidatable ones every round (their exact
 * risk drives the keeper's choice).
 *
 * Example: long 10 ETH at $3,000 with $3,000 of equity over MM $1,500 (5 %): slope 9.5 ETH,
 * budget $750 → trigger at $3,000 − 750/9.5 ≈ $2,921: a −1 % step leaves it alone, a −3 %
 * move re-values it (margin then ≈ $740, new trigger ≈ $2,880), and so on, halving towards
 * the liquidation price at $2,842.
 */

import { copyColumnarSnapshot, setColumnarAccount, type ColumnarSnapshot } from "../columnar/columnarSnapshot.ts";
import type { WorkingState } from "../liquidation/applyTrade.ts";
import { computeAccountRisk } from "../margin/computeAccountRisk.ts";
import { exactVerdict, prepareMarginScreen, screenBound, screenMargin, type MarginScreen } from "../screen/marginScreen.ts";
import type { CascadeScan } from "./simulateCascade.ts";

/** A max-heap of (key, row, version) in typed arrays. */
interface TriggerHeap {
  keys: Float64Array;
  rows: Int32Array;
  versions: Int32Array;
  size: number;
}

const newHeap = (): TriggerHeap => ({ keys: new Float64Array(64), rows: new Int32Array(64), versions: new Int32Array(64), size: 0 });

function swap(h: TriggerHeap, i: number, j: number) {
  const k = h.keys[i]!, r = h.rows[i]!, v = h.versions[i]!;
  h.keys[i] = h.keys[j]!; h.rows[i] = h.rows[j]!; h.versions[i] = h.versions[j]!;
  h.keys[j] = k; h.rows[j] = r; h.versions[j] = v;
}

function push(h: TriggerHeap, key: number, row: number, version: number) {
  if (h.size === h.keys.length) {
    const grow = <T extends Float64Array | Int32Array>(a: T, b: T) => (b.set(a), b);
    h.keys = grow(h.keys, new Float64Array(2 * h.size));
    h.rows = grow(h.rows, new Int32Array(2 * h.size));
    h.versions = grow(h.versions, new Int32Array(2 * h.size));
  }
  let i = h.size++;
  h.keys[i] = key; h.rows[i] = row; h.versions[i] = version;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (h.keys[parent]! >= h.keys[i]!) break;
    swap(h, i, parent);
    i = parent;
  }
}

function pop(h: TriggerHeap) {
  swap(h, 0, --h.size);
  let i = 0;
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let top = i;
    if (l < h.size && h.keys[l]! > h.keys[top]!) top = l;
    if (r < h.size && h.keys[r]! > h.keys[top]!) top = r;
    if (top === i) return;
    swap(h, i, top);
    i = top;
  }
}

const BUMP = 2 ** -48;

/** The scan of one cascade (runCascade's `scanOf`): re-values only the accounts the moves or the liquidations reached. */
export function cascadeTriggers(state: WorkingState, keeperIndex: number, original: ColumnarSnapshot): CascadeScan {
  const s = state.snapshot;
  const columnar = copyColumnarSnapshot(original);
  const rows = columnar.count;
  const nM = columnar.sizeBase.length;
  const dims = nM + columnar.balancesNative.length;
  // Heap 2d: triggers on a fall of price d (key t); heap 2d + 1: on a rise (key −t).
  const heaps = Array.from({ length: 2 * dims }, newHeap);
  const version = new Int32Array(rows);
  const seen = new Int32Array(rows);
  const liquidatable = new Set<number>();
  const dirty = new Set<number>();
  state.onTouch = (index) => void dirty.add(index);
  const slopes = new Float64Array(dims);
  let round = 0;

  const price = (screen: MarginScreen, d: number) => (d < nM ? screen.markUsd[d]! : screen.collateralUsd[d - nM]!);

  function revalue(row: number, screen: MarginScreen, safe: string[]) {
    version[row]!++;
    const account = s.accounts[row]!;
    if (account.positions.length === 0) return void liquidatable.delete(row);
    const d = screenMargin(columnar, row, screen);
    const bound = screenBound(screen);
    if (d < -bound || (d <= bound && exactVerdict(columnar, row, screen) < 0)) return void liquidatable.add(row);
    liquidatable.delete(row);
    safe.push(account.address);
    let exposed = 0;
    for (let m = 0; m < nM; m++) {
      const size = columnar.sizeBase[m]!.hi[row]!;
      slopes[m] = size - Math.abs(size) * screen.mmr[m]!;
      if (slopes[m] !== 0) exposed++;
    }
    for (let c = 0; c < dims - nM; c++) {
      slopes[nM + c] = columnar.balancesNative[c]!.hi[row]!;
      if (slopes[nM + c] !== 0) exposed++;
    }
    const share = d > bound ? (d - bound) / 2 / exposed : 0;
    for (let k = 0; k < dims; k++) {
      const slope = slopes[k]!;
      if (slope === 0) continue;
      const p = price(screen, k);
      const room = share / Math.abs(slope) - BUMP * Math.abs(p);
      if (slope > 0) push(heaps[2 * k]!, p - Math.max(0, room), row, version[row]!);
      else push(heaps[2 * k + 1]!, -(p + Math.max(0, room)), row, version[row]!);
    }
  }

  return () => {
    const screen = prepareMarginScreen(s);
    const safe: string[] = [];
    round++;
    const candidates: number[] = [];
    const consider = (row: number) => {
      if (row >= rows || row === keeperIndex || seen[row] === round) return;
      seen[row] = round;
      candidates.push(row);
    };
    if (round === 1) for (let row = 0; row < rows; row++) consider(row);
    for (const row of dirty) {
      if (row < rows && row !== keeperIndex) setColumnarAccount(columnar, row, s.accounts[row]!);
      consider(row);
    }
    dirty.clear();
    for (const row of liquidatable) consider(row);
    for (let k = 0; k < dims; k++) {
      const p = price(screen, k);
      for (const [heap, probe] of [[heaps[2 * k]!, p], [heaps[2 * k + 1]!, -p]] as const) {
        while (heap.size > 0 && heap.keys[0]! >= probe) {
          if (heap.versions[0] === version[heap.rows[0]!]) consider(heap.rows[0]!);
          pop(heap);
        }
      }
    }
    for (const row of candidates) revalue(row, screen, safe);
    const ordered = [...liquidatable].sort((a, b) => a - b);
    return { liquidatable: ordered.map((row) => ({ address: s.accounts[row]!.address, risk: computeAccountRisk(s, s.accounts[row]!) })), safe };
  };
}
