/**
 * The upper half of a cascade's rows re-valued on a worker thread (Node only), beside the lower
 * half on the cascade's own (engine/cascade/rowScan.ts): at a million accounts the re-valuations
 * and trigger queues are most of a cascade's scan — ~3 million re-valuations, each reading a
 * dozen columns at a row far from the last.
 *
 * A round posts the prices, the rows a liquidation touched or took and, when the columns were
 * replaced, the new ones; the cascade's thread re-values its own half meanwhile, then blocks
 * until the thread has answered with its half (lib/cascade/keptThread). The columns, the cleared flags and the
 * parked flags are SharedArrayBuffers read and written in place; a value too wide for its
 * floats (kept in its column's Map) is sent with the row.
 */

import type { ColumnarSnapshot } from "../../engine/columnar/columnarSnapshot.ts";
import type { ExactColumn } from "../../engine/columnar/exactColumn.ts";
import type { RowScanPartnerFactory, RowScanResult, RowScanSetup } from "../../engine/cascade/rowScan.ts";
import type { Prices } from "../../engine/screen/marginScreen.ts";
import { BackstopError } from "../errors/backstopError.ts";
import { keptThread } from "./keptThread.ts";

export type ScanMessage =
  | { type: "begin"; setup: RowScanSetup; nM: number; prices: Prices; columns: ColumnarSnapshot; cleared: Uint8Array; parked: Uint8Array }
  | { type: "round"; marksWad: bigint[]; collateralPricesWad: bigint[]; touched: Int32Array; moved: Int32Array; columns?: ColumnarSnapshot; wide: [column: number, row: number, value: bigint][] }
  | { type: "release" };

export type ScanReply = { listed: Int32Array; safe: Int32Array } | { error: string };

/** The scan thread failed or stopped answering. */
export class ScanThreadError extends BackstopError {
  override name = "ScanThreadError";
}

const thread = keptThread<ScanReply>(new URL("./scanWorker.boot.mjs", import.meta.url));

/** How long a round waits for the thread before calling it stuck. */
const ROUND_TIMEOUT_MS = 60_000;

/** A columnar snapshot's columns in a fixed order: the order `wide` entries name them by. */
export const columnsOf = (c: Pick<ColumnarSnapshot, "cashUsd" | "balancesNative" | "sizeBase" | "openNotionalUsd">): ExactColumn[] => [c.cashUsd, ...c.balancesNative, ...c.sizeBase, ...c.openNotionalUsd];

const isShared = (array: ArrayBufferView) => array.buffer instanceof SharedArrayBuffer;

/** What the thread needs of the columns (not the address index): their arrays shared, their wide maps copied. */
const forThread = (c: ColumnarSnapshot): ColumnarSnapshot => ({ ...c, addressIndex: new Int32Array(0) });

/**
 * A partner on the worker thread for cascades of at least `minRows` rows whose columns and flags
 * sit on shared memory; none for the others (a round trip a round costs more than a small venue's
 * re-valuations), and the cascade's thread scans all its rows.
 */
export function threadedScan({ minRows = 20_000 } = {}): RowScanPartnerFactory {
  return (setup, nM, columns) => {
    if (columns.count < minRows || !columnsOf(columns).every((c) => isShared(c.hi) && isShared(c.lo)) || !isShared(columns.addresses)) return undefined;
    const t = thread();
    let begun = false;
    let sentColumns = columns;
    return {
      begin({ columns, screen, cleared, parked, touched, moved }) {
        if (!isShared(cleared) || !isShared(parked)) throw new ScanThreadError("the cascade's flags are not on shared memory");
        const prices = screen.prices;
        if (!begun) {
          t.worker.postMessage({ type: "begin", setup, nM, prices: { markets: prices.markets, collaterals: prices.collaterals }, columns: forThread(columns), cleared, parked } satisfies ScanMessage);
          begun = true;
          sentColumns = columns;
        }
        const mine = (row: number) => row >= setup.from && row < setup.to;
        const touchedHere = Int32Array.from(Array.from(touched).filter(mine));
        // A touched row's values too wide for their floats live in their columns' maps, one per thread.
        const wide: [number, number, bigint][] = [];
        const all = columnsOf(columns);
        for (const row of touchedHere) all.forEach((c, i) => c.lo[row] !== c.lo[row] && wide.push([i, row, c.wide.get(row)!]));
        const replaced = columns !== sentColumns;
        sentColumns = columns;
        t.expect();
        t.worker.postMessage({
          type: "round",
          marksWad: prices.markets.map((m) => m.markPriceWad),
          collateralPricesWad: prices.collaterals.map((c) => c.priceWad),
          touched: touchedHere,
          moved: Int32Array.from(Array.from(moved).filter(mine)),
          columns: replaced ? forThread(columns) : undefined,
          wide,
        } satisfies ScanMessage);
      },
      end(): RowScanResult {
        const reply = t.answer(ROUND_TIMEOUT_MS);
        if (!reply) throw new ScanThreadError(`the scan thread did not answer within ${ROUND_TIMEOUT_MS / 1000} s`);
        if ("error" in reply) throw new ScanThreadError(`the scan thread failed: ${reply.error}`);
        return { listed: reply.listed, safe: Array.from(reply.safe) };
      },
      release() {
        if (begun) t.worker.postMessage({ type: "release" } satisfies ScanMessage);
      },
    };
  };
}
