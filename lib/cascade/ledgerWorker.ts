/**
 * The ledger thread of threadedLedger.ts: applies each batch of a cascade's direct liquidations
 * (applySolventRows) as it arrives, reading the columns from shared memory, and on `flush` posts
 * the totals on its port and raises the shared signal the cascade's thread waits on. A failure is
 * kept and reported at the next flush, in words.
 */

import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { applySolventRows, createLedgerBook, markBook, takeTotals, type LedgerBook, type LedgerSetup } from "../../engine/cascade/solventLedger.ts";
import type { LedgerMessage } from "./threadedLedger.ts";
import type { LiquidationColumns } from "../../engine/cascade/liquidateSolventRow.ts";

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
let book: LedgerBook | undefined;
let setup: LedgerSetup | undefined;
let columns: LiquidationColumns | undefined;
let failure: string | undefined;

parentPort!.on("message", (message: LedgerMessage) => {
  if (message.type === "flush") {
    port.postMessage(failure !== undefined || !book ? { error: failure ?? "no cascade begun" } : { totals: takeTotals(book) });
    failure = undefined;
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
    return;
  }
  try {
    if (message.type === "begin") {
      setup = message.setup;
      columns = setup.columns;
      book = createLedgerBook(setup);
      failure = undefined;
    } else if (failure === undefined) {
      let offset = 0;
      for (const batch of message.batches) {
        if ("mark" in batch) markBook(book!);
        else {
          if (batch.columns) columns = batch.columns;
          applySolventRows(book!, columns!, setup!.clearedCash, message.rows.subarray(offset, offset + batch.count), batch.marksWad, batch.collateralPricesWad);
          offset += batch.count;
        }
      }
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
});
